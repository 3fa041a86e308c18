import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { addCard, readCards, roomDocName } from '@goldthread/shared';
import { api, createWorkshop, joinRoom, newServer, type TestServer } from './support/server.js';
import { connectProvider, rawUpgrade, waitForDoc, within, type ProviderClient } from './support/yjs-clients.js';
import { controlClient, refused } from './support/control-client.js';

const servers: TestServer[] = [];
const clients: ProviderClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  for (const server of servers.splice(0)) await server.close({ removeData: true });
});

describe('token expiry', () => {
  it('an expired participant or facilitator token is refused on HTTP, Socket.IO and the Yjs socket', async () => {
    // Tokens that expire the moment they are issued.
    const server = await newServer({ config: { participantTokenTtlSeconds: 0, facilitatorTokenTtlSeconds: 0 } });
    servers.push(server);
    const workshop = await createWorkshop(server.url);
    const person = await joinRoom(server.url, workshop, 'North');
    const session = await api<{ token: string }>(server.url, 'POST', `/api/workshops/${workshop.id}/facilitator-session`, undefined, {
      authorization: `Bearer ${workshop.facilitatorKey}`
    });
    for (const token of [person.token, session.body.token]) {
      const http = await api(server.url, 'GET', `/api/workshops/${workshop.id}`, undefined, { authorization: `Bearer ${token}` });
      expect(http.status).toBe(401);
      expect(http.body).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });

      const socket = controlClient(server.url, { token }, ['websocket']);
      const refusal = await refused(socket);
      expect(refusal.data).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
      socket.close();

      const yjs = await rawUpgrade(`${server.wsUrl}/${roomDocName(workshop.id, person.roomId)}?token=${token}`);
      expect(yjs.status).toBe(401);
    }
  });
});

describe('idle rooms', () => {
  it('are saved and unloaded once everyone has left, and come back intact', async () => {
    const server = await newServer({ config: { roomIdleUnloadMs: 50 } });
    servers.push(server);
    const texts: string[] = [];
    const visits: { token: string; workshopId: string; roomId: string }[] = [];
    for (let w = 0; w < 4; w++) {
      const workshop = await createWorkshop(server.url, { title: `Workshop ${w}` });
      for (const roomName of ['North', 'Central', 'South']) {
        const person = await joinRoom(server.url, workshop, roomName, 'P');
        const client = connectProvider(server.wsUrl, workshop.id, person.roomId, person.token);
        clients.push(client);
        await within(client.synced, 5000, 'sync');
        const text = `${workshop.title} ${roomName}`;
        addCard(client.doc, { boardId: workshop.boards[0]!.id, text, authorId: person.participantId, authorName: 'P' });
        texts.push(text);
        visits.push({ token: person.token, workshopId: workshop.id, roomId: person.roomId });
      }
    }
    // The last writer's card must reach the server before everyone leaves.
    const last = visits.at(-1)!;
    const check = connectProvider(server.wsUrl, last.workshopId, last.roomId, last.token);
    await waitForDoc(check.doc, (doc) => readCards(doc).length === 1, 5000, 'the last card on the server');
    check.destroy();
    expect(server.server.rooms.size).toBe(12);
    for (const client of clients.splice(0)) client.destroy();

    const deadline = Date.now() + 5000;
    while (server.server.rooms.size > 0) {
      if (Date.now() > deadline) throw new Error(`${server.server.rooms.size} rooms still loaded`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }

    const seen: string[] = [];
    for (const visit of visits) {
      const client = connectProvider(server.wsUrl, visit.workshopId, visit.roomId, visit.token);
      clients.push(client);
      await waitForDoc(client.doc, (doc) => readCards(doc).length === 1, 5000, 'a reloaded room');
      seen.push(readCards(client.doc)[0]!.text);
    }
    expect(seen.sort()).toEqual(texts.sort());
  });
});

describe('dead connections', () => {
  it('a laptop that stops answering (lost Wi-Fi) is dropped within a few heartbeats; everyone else stays connected', async () => {
    const server = await newServer({ config: { yjsHeartbeatMs: 1500 } });
    servers.push(server);
    const workshop = await createWorkshop(server.url);
    const north = workshop.rooms[0]!;
    const people = await Promise.all(Array.from({ length: 8 }, (_, i) => joinRoom(server.url, workshop, 'North', `Person ${i}`)));
    const url = (token: string) => `${server.wsUrl}/${workshop.id}/${north.id}?token=${encodeURIComponent(token)}`;
    // Half of them go silent: their sockets never answer a ping, as when a laptop drops off the network.
    const silent = await Promise.all(
      people.slice(0, 4).map(
        (person) =>
          new Promise<{ closed: Promise<number> }>((resolve, reject) => {
            const socket = new WebSocket(url(person.token), { autoPong: false });
            const closed = new Promise<number>((done) => socket.once('close', (code) => done(code)));
            socket.once('open', () => resolve({ closed }));
            socket.once('error', reject);
          })
      )
    );
    const awake = people.slice(4).map((person) => connectProvider(server.wsUrl, workshop.id, north.id, person.token));
    clients.push(...awake);
    await within(Promise.all(awake.map((c) => c.synced)), 5000, 'the others to sync');
    let reconnects = 0;
    for (const client of awake) client.provider.on('status', ({ status }: { status: string }) => status === 'disconnected' && reconnects++);

    // Each connection is checked once per heartbeat: unanswered at one visit, dropped at the next.
    await within(Promise.all(silent.map((s) => s.closed)), 6000, 'the silent sockets to be dropped');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(reconnects).toBe(0);
    expect(awake.every((c) => c.provider.wsconnected)).toBe(true);
  });
});
