import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { LIMITS, PROTOCOL_VERSION, type Ack, type RoomCounts, type SessionInfo } from '@goldthread/shared';
import { api, createWorkshop, facilitatorToken, joinRoom, newServer, type TestServer } from './support/server.js';
import { connectProvider, within, type ProviderClient } from './support/yjs-clients.js';
import { connected, controlClient, nextEvent, refused, type ControlClient } from './support/control-client.js';

let server: TestServer;
const sockets: ControlClient[] = [];
const providers: ProviderClient[] = [];

const open = (auth?: Record<string, unknown>, url = server.url, transports?: ('polling' | 'websocket')[]) => {
  const socket = controlClient(url, auth, transports);
  sockets.push(socket);
  return socket;
};
const openProvider = (...args: Parameters<typeof connectProvider>) => {
  const client = connectProvider(...args);
  providers.push(client);
  return client;
};
/** The same socket without the typed event maps, to send what a typed client never would. */
const untyped = (socket: ControlClient) => socket as unknown as Socket;
const sessionOf = (socket: ControlClient) => socket.timeout(5000).emitWithAck('session:get', {}) as Promise<Ack<SessionInfo>>;

beforeEach(async () => {
  server = await newServer();
});

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.disconnect();
  for (const client of providers.splice(0)) client.destroy();
  await server.close({ removeData: true });
});

describe('control channel handshake', () => {
  it.each([
    ['no auth at all', undefined],
    ['no token', {}],
    ['a token that is not a token', { token: 'nonsense' }],
    ['a token that is a number', { token: 12345 }],
    ['a token that is an object', { token: { role: 'facilitator' } }]
  ])('refuses %s with connect_error data {error:{code:"unauthorized"}}', async (_what, auth) => {
    const error = await refused(open(auth));
    expect(error.data).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
  });

  it('refuses the facilitator key itself, a tampered token and an expired one', async () => {
    const workshop = await createWorkshop(server.url);
    const person = await joinRoom(server.url, workshop, 'North');
    const tampered = `${person.token.slice(0, -2)}${person.token.endsWith('AA') ? 'BB' : 'AA'}`;
    for (const token of [workshop.facilitatorKey, tampered]) {
      expect((await refused(open({ token }))).data).toMatchObject({ error: { code: 'unauthorized' } });
    }

    const expiring = await newServer({ config: { participantTokenTtlSeconds: 0 } });
    try {
      const elsewhere = await createWorkshop(expiring.url);
      const expired = await joinRoom(expiring.url, elsewhere, 'North');
      expect((await refused(open({ token: expired.token }, expiring.url))).data).toMatchObject({ error: { code: 'unauthorized' } });
    } finally {
      await expiring.close({ removeData: true });
    }
  });
});

describe('session:get', () => {
  it("tells a participant who they are and shows the workshop without its join code", async () => {
    const workshop = await createWorkshop(server.url, { title: 'Control' });
    const person = await joinRoom(server.url, workshop, 'Central', 'Carmen');
    const socket = open({ token: person.token });
    await connected(socket);

    const reply = await sessionOf(socket);
    expect(reply).toEqual({
      data: {
        identity: {
          role: 'participant',
          workshopId: workshop.id,
          roomId: workshop.rooms[1]!.id,
          participantId: person.participantId,
          name: 'Carmen'
        },
        workshop: {
          id: workshop.id,
          title: 'Control',
          createdAt: expect.any(Number),
          rooms: workshop.rooms,
          boards: workshop.boards,
          details: { date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) },
          attribution: 'organisation'
        },
        protocol: PROTOCOL_VERSION
      }
    });
    expect((reply as { data: SessionInfo }).data.workshop).not.toHaveProperty('joinCode');
  });

  it('tells the facilitator their role and shows the join code', async () => {
    const workshop = await createWorkshop(server.url);
    const socket = open({ token: await facilitatorToken(server.url, workshop) });
    await connected(socket);

    const reply = await sessionOf(socket);
    expect(reply).toEqual({
      data: {
        identity: { role: 'facilitator', workshopId: workshop.id },
        workshop: expect.objectContaining({ id: workshop.id, joinCode: workshop.joinCode }),
        protocol: PROTOCOL_VERSION
      }
    });
  });
});

describe('room head-counts', () => {
  it("the facilitator receives rooms:counts as a participant's y-websocket client joins and leaves a room", async () => {
    const workshop = await createWorkshop(server.url);
    const north = workshop.rooms[0]!;
    const person = await joinRoom(server.url, workshop, 'North');
    const facilitator = open({ token: await facilitatorToken(server.url, workshop) });
    const first = nextEvent(facilitator, 'rooms:counts', () => true, 5000, 'the counts sent on connection');
    await connected(facilitator);
    const [initial] = await first;
    expect(initial).toEqual({ workshopId: workshop.id, counts: {} });

    const arrived = nextEvent(facilitator, 'rooms:counts', (c) => c.counts[north.id] === 1, 5000, 'North to count one');
    const client = openProvider(server.wsUrl, workshop.id, north.id, person.token);
    await within(client.synced, 5000, 'sync');
    const [counts] = await arrived;
    expect(counts).toEqual<RoomCounts>({ workshopId: workshop.id, counts: { [north.id]: 1 } });

    const left = nextEvent(facilitator, 'rooms:counts', (c) => c.counts[north.id] === 0, 5000, 'North to count zero');
    client.destroy();
    expect((await left)[0].workshopId).toBe(workshop.id);
  });

  it('two connections of the same participant count as one person', async () => {
    const workshop = await createWorkshop(server.url);
    const north = workshop.rooms[0]!;
    const [ann, bo] = [await joinRoom(server.url, workshop, 'North', 'Ann'), await joinRoom(server.url, workshop, 'North', 'Bo')];
    const facilitator = open({ token: await facilitatorToken(server.url, workshop) });
    await connected(facilitator);

    const clients = [ann, ann, bo].map((p) => openProvider(server.wsUrl, workshop.id, north.id, p.token));
    await within(Promise.all(clients.map((c) => c.synced)), 5000, 'three connections to sync');
    // A fresh facilitator connection gets the counts as they are now.
    const late = open({ token: await facilitatorToken(server.url, workshop) });
    const now = nextEvent(late, 'rooms:counts', () => true, 5000, 'counts on connection');
    await connected(late);
    expect((await now)[0].counts).toEqual({ [north.id]: 2 });
  });

  it('forty people arriving at once reach the facilitator as a few head-counts, the last one right', async () => {
    const workshop = await createWorkshop(server.url);
    const north = workshop.rooms[0]!;
    const people = await Promise.all(Array.from({ length: 40 }, (_, i) => joinRoom(server.url, workshop, 'North', `Person ${i}`)));
    const facilitator = open({ token: await facilitatorToken(server.url, workshop) });
    await connected(facilitator);
    const seen: RoomCounts[] = [];
    facilitator.on('rooms:counts', (c) => seen.push(c));
    const everyone = nextEvent(facilitator, 'rooms:counts', (c) => c.counts[north.id] === 40, 5000, 'North to count forty');
    const clients = people.map((p) => openProvider(server.wsUrl, workshop.id, north.id, p.token));
    await within(Promise.all(clients.map((c) => c.synced)), 10_000, 'forty connections to sync');
    await everyone;
    // Nothing more comes once the count is right.
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(seen.at(-1)!.counts[north.id]).toBe(40);
    expect(seen.length).toBeLessThan(15);
  });

  it('neither participants nor the facilitator of another workshop receive the counts', async () => {
    const workshop = await createWorkshop(server.url);
    const other = await createWorkshop(server.url);
    const north = workshop.rooms[0]!;
    const person = await joinRoom(server.url, workshop, 'North');
    const facilitator = open({ token: await facilitatorToken(server.url, workshop) });
    const participantSocket = open({ token: person.token });
    const otherFacilitator = open({ token: await facilitatorToken(server.url, other) });
    await Promise.all([connected(facilitator), connected(participantSocket), connected(otherFacilitator)]);

    const seenByParticipant: RoomCounts[] = [];
    const seenByOther: RoomCounts[] = [];
    participantSocket.on('rooms:counts', (c) => seenByParticipant.push(c));
    otherFacilitator.on('rooms:counts', (c) => seenByOther.push(c));

    const arrived = nextEvent(facilitator, 'rooms:counts', (c) => c.counts[north.id] === 1, 5000, 'North to count one');
    openProvider(server.wsUrl, workshop.id, north.id, person.token);
    await arrived;
    // A round trip on each socket after the broadcast proves anything sent to them has arrived.
    await Promise.all([sessionOf(participantSocket), sessionOf(otherFacilitator)]);
    expect(seenByParticipant).toEqual([]);
    expect(seenByOther.filter((c) => c.workshopId === workshop.id)).toEqual([]);
  });
});

describe('robustness', () => {
  it('a malformed payload is answered with a validation error, a missing ack is tolerated, and the connection and server carry on', async () => {
    const workshop = await createWorkshop(server.url);
    const person = await joinRoom(server.url, workshop, 'North');
    const socket = open({ token: person.token });
    await connected(socket);
    const raw = untyped(socket);

    raw.emit('session:get');
    raw.emit('session:get', { surprise: true });
    raw.emit('session:get', 'not an object', 42, null);
    raw.emit('no:such-event', { x: 1 }, () => undefined);
    raw.emit('session:get', Buffer.from([1, 2, 3]));
    for (const payload of [42, 'text', [1, 2], { nested: { deep: [1, { a: 2 }] } }]) {
      const reply = (await raw.timeout(5000).emitWithAck('session:get', payload)) as Ack<SessionInfo>;
      expect(reply, `payload ${JSON.stringify(payload)}`).toEqual({ error: { code: 'validation_failed', message: expect.any(String) } });
    }
    // Only a callback, or an empty object: answered normally.
    const bare = (await raw.timeout(5000).emitWithAck('session:get')) as Ack<SessionInfo>;
    expect(bare).toMatchObject({ data: { identity: { participantId: person.participantId } } });
    const plain = (await raw.timeout(5000).emitWithAck('session:get', {})) as Ack<SessionInfo>;
    expect(plain).toMatchObject({ data: { identity: { participantId: person.participantId } } });
    expect(socket.connected).toBe(true);
    expect((await api(server.url, 'GET', '/api/health')).status).toBe(200);
  });

  it('a message over the size limit drops only that connection; others carry on', async () => {
    const workshop = await createWorkshop(server.url);
    const person = await joinRoom(server.url, workshop, 'North');
    const bystander = open({ token: person.token });
    const noisy = open({ token: person.token });
    await Promise.all([connected(bystander), connected(noisy)]);

    const dropped = new Promise<string>((resolve) => noisy.once('disconnect', (reason) => resolve(reason)));
    untyped(noisy).emit('session:get', { padding: 'x'.repeat(LIMITS.httpBodyBytes + 1024) });
    await within(dropped, 5000, 'the oversized connection to be dropped');

    expect(await sessionOf(bystander)).toHaveProperty('data');
    const fresh = open({ token: person.token });
    await connected(fresh);
    expect(await sessionOf(fresh)).toHaveProperty('data');
  });

  it('a client connected over websocket is told the server is restarting before it is disconnected', async () => {
    const workshop = await createWorkshop(server.url);
    // Pinned to websocket: a long-polling client caught between two polls can miss the notice.
    const socket = open({ token: await facilitatorToken(server.url, workshop) }, server.url, ['websocket']);
    await connected(socket);
    const told: { message: string }[] = [];
    socket.on('server:restarting', (info) => told.push(info));
    const disconnected = new Promise<void>((resolve) => socket.once('disconnect', () => resolve()));

    await server.close();
    await within(disconnected, 5000, 'the disconnect');
    // Packets on one connection arrive in order, so the notice must be here by the time the disconnect is.
    expect(told).toEqual([{ message: expect.any(String) }]);
    server = await newServer();
  });
});
