/** What a busy room sends: presence from many people, and edits fanned out to everyone. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as encoding from 'lib0/encoding';
import type * as Y from 'yjs';
import WebSocket from 'ws';
import { CLIENT_OWNERS_KEY, PRESENCE_COLOURS, SERVER_CLIENT_OWNER, addCard, readCards } from '@goldthread/shared';
import { createWorkshop, joinRoom, newServer, type TestServer } from './support/server.js';
import { connectProvider, waitForDoc, within, type ProviderClient } from './support/yjs-clients.js';

let server: TestServer;
const clients: ProviderClient[] = [];

beforeEach(async () => {
  server = await newServer();
});

afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  await server.close({ removeData: true });
});

/** Resolves once `check` holds for the client's view of everyone's presence. */
function untilPresence(client: ProviderClient, check: (states: Map<number, Record<string, unknown>>) => boolean, what: string) {
  const awareness = client.provider.awareness;
  return within(
    new Promise<void>((resolve) => {
      const look = () => {
        if (!check(awareness.getStates() as Map<number, Record<string, unknown>>)) return;
        awareness.off('change', look);
        resolve();
      };
      awareness.on('change', look);
      look();
    }),
    5000,
    what
  );
}

async function room(count: number) {
  const workshop = await createWorkshop(server.url);
  const north = workshop.rooms[0]!;
  const people = await Promise.all(Array.from({ length: count }, (_, i) => joinRoom(server.url, workshop, 'North', `Person ${i}`)));
  const connected = people.map((person) => connectProvider(server.wsUrl, workshop.id, north.id, person.token));
  clients.push(...connected);
  await within(Promise.all(connected.map((c) => c.synced)), 10_000, 'everyone to sync');
  return { workshop, north, people, connected };
}

describe('presence', () => {
  it('thirty people moving at once all see each other, in a handful of messages each, and nobody is cut off', async () => {
    const { connected } = await room(30);
    let closes = 0;
    for (const client of connected) client.provider.on('connection-close', () => closes++);
    let messages = 0;
    // Presence messages (type 1 of the y-websocket protocol) reaching one person.
    connected[0]!.provider.ws!.addEventListener('message', (event: { data: unknown }) => {
      if (new Uint8Array(event.data as ArrayBuffer)[0] === 1) messages++;
    });
    // A sizeable state each (a long "typing" preview): everyone's together is well over 8 KiB, which
    // each stock client sends back to the server as it arrives.
    connected.forEach((client, i) => client.provider.awareness.setLocalStateField('typing', `Person ${i} is typing ${'a long idea '.repeat(40)}`));
    for (const client of connected) await untilPresence(client, (states) => [...states.values()].filter((s) => typeof s.typing === 'string').length === 30, 'everyone typing');
    expect(closes).toBe(0);
    expect(messages).toBeGreaterThan(0);
    expect(messages).toBeLessThan(10);
  });

  it("nobody can overwrite another person's presence", async () => {
    const { workshop, north, people, connected } = await room(2);
    const [ann, bo] = connected as [ProviderClient, ProviderClient];
    ann.provider.awareness.setLocalStateField('user', { id: people[0]!.participantId, name: 'Person 0', role: 'participant', color: PRESENCE_COLOURS[0] });
    await untilPresence(bo, (states) => (states.get(ann.doc.clientID)?.user as { name?: string } | undefined)?.name === 'Person 0', 'Bo to see Ann');

    // A third connection claims Ann's client id with a newer clock and a different name.
    const mallory = await joinRoom(server.url, workshop, 'North', 'Mallory');
    const socket = new WebSocket(`${server.wsUrl}/${workshop.id}/${north.id}?token=${encodeURIComponent(mallory.token)}`);
    await within(new Promise((resolve) => socket.once('open', resolve)), 5000, 'Mallory to connect');
    let forged = false;
    bo.provider.awareness.on('change', () => {
      if ((bo.provider.awareness.getStates().get(ann.doc.clientID)?.user as { name?: string } | undefined)?.name === 'Not Ann') forged = true;
    });
    async function forgeAnn(clock: number): Promise<void> {
      const inner = encoding.createEncoder();
      encoding.writeVarUint(inner, 1);
      encoding.writeVarUint(inner, ann.doc.clientID);
      encoding.writeVarUint(inner, clock);
      encoding.writeVarString(inner, JSON.stringify({ user: { id: 'x', name: 'Not Ann' } }));
      const message = encoding.createEncoder();
      encoding.writeVarUint(message, 1);
      encoding.writeVarUint8Array(message, encoding.toUint8Array(inner));
      socket.send(encoding.toUint8Array(message));
      // A presence query on the same socket is answered only after the forged update was handled.
      const answered = new Promise<void>((resolve) => {
        const onMessage = (data: Buffer) => {
          if (data[0] !== 1) return;
          socket.off('message', onMessage);
          resolve();
        };
        socket.on('message', onMessage);
      });
      socket.send(Uint8Array.of(3));
      await within(answered, 5000, "the server to answer Mallory's query");
      await new Promise((resolve) => setTimeout(resolve, 250));
    }

    await forgeAnn(1000);
    // Ann's own next change still reaches Bo (a forged newer clock would have hidden it), and her name never changed.
    ann.provider.awareness.setLocalStateField('cursor', 7);
    await untilPresence(bo, (states) => states.get(ann.doc.clientID)?.cursor === 7, "Bo to see Ann's cursor");

    // After a network blip Ann's client comes back with the same id; it is still hers alone.
    ann.provider.disconnect();
    ann.provider.connect();
    await untilPresence(bo, (states) => states.get(ann.doc.clientID)?.cursor === 7, 'Bo to see Ann back');
    await new Promise((resolve) => setTimeout(resolve, 250));
    await forgeAnn(2000);
    ann.provider.awareness.setLocalStateField('cursor', 8);
    await untilPresence(bo, (states) => states.get(ann.doc.clientID)?.cursor === 8, "Bo to see Ann's cursor after she came back");
    socket.close();
    expect(forged).toBe(false);
  });
});

describe('fan-out', () => {
  it("someone's first card reaches the others as one message, and the server's note of who wrote it follows everyone", async () => {
    const workshop = await createWorkshop(server.url);
    const north = workshop.rooms[0]!;
    const [writer, watcher, other] = await Promise.all(['Ann', 'Bo', 'Cy'].map((name) => joinRoom(server.url, workshop, 'North', name)));
    const [w, b, c] = [writer, watcher, other].map((p) => connectProvider(server.wsUrl, workshop.id, north.id, p!.token)) as [ProviderClient, ProviderClient, ProviderClient];
    clients.push(w, b, c);
    await within(Promise.all([w.synced, b.synced, c.synced]), 5000, 'three clients to sync');
    let updates = 0;
    b.provider.ws!.addEventListener('message', (event: { data: unknown }) => {
      const bytes = new Uint8Array(event.data as ArrayBuffer);
      // y-websocket: message type 0 (sync), subtype 2 (update).
      if (bytes[0] === 0 && bytes[1] === 2) updates++;
    });

    addCard(w.doc, { boardId: workshop.boards[0]!.id, text: 'Shared referral route', authorId: writer!.participantId, authorName: 'Ann' });
    await waitForDoc(b.doc, (doc) => readCards(doc).length === 1, 5000, 'the card at Bo');
    // The claim goes out alone a moment later when nobody else writes: every client ends up with it.
    for (const client of [w, b, c]) {
      await waitForDoc(client.doc, (doc) => doc.getMap(CLIENT_OWNERS_KEY).has(String(w.doc.clientID)), 5000, 'the claim everywhere');
    }
    expect(updates).toBe(2);

    // With a second edit straight after, the claims of a new writer ride along with it.
    const [late] = await Promise.all([joinRoom(server.url, workshop, 'North', 'Di')]);
    const d = connectProvider(server.wsUrl, workshop.id, north.id, late!.token);
    clients.push(d);
    await within(d.synced, 5000, 'Di to sync');
    updates = 0;
    addCard(d.doc, { boardId: workshop.boards[0]!.id, text: 'Youth club hours', authorId: late!.participantId, authorName: 'Di' });
    await waitForDoc(b.doc, (doc) => readCards(doc).length === 2, 5000, "Di's card at Bo");
    addCard(w.doc, { boardId: workshop.boards[0]!.id, text: 'Bus passes', authorId: writer!.participantId, authorName: 'Ann' });
    await waitForDoc(b.doc, (doc) => readCards(doc).length === 3 && doc.getMap(CLIENT_OWNERS_KEY).has(String(d.doc.clientID)), 5000, "Ann's card and Di's claim at Bo");
    expect(updates).toBe(2);
    for (const client of [w, c, d]) {
      // Two writers' client ids, and the server's own (recorded with its first claim).
      const owners = (doc: Y.Doc) => [...doc.getMap<string>(CLIENT_OWNERS_KEY).values()].sort();
      await waitForDoc(client.doc, (doc) => readCards(doc).length === 3 && owners(doc).length === 3, 5000, 'everyone to agree');
      expect(owners(client.doc)).toEqual([writer!.participantId, late!.participantId, SERVER_CLIENT_OWNER].sort());
    }
  });
});
