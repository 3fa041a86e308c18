import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import * as awarenessProtocol from 'y-protocols/awareness';
import { createWorkshop, joinRoom, newServer, type TestServer } from './support/server.js';
import { connectProvider, within, type ProviderClient } from './support/yjs-clients.js';

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
    ann.provider.awareness.setLocalStateField('user', { id: people[0]!.participantId, name: 'Ann' });
    await untilPresence(bo, (states) => (states.get(ann.doc.clientID)?.user as { name?: string } | undefined)?.name === 'Ann', 'Bo to see Ann');

    // A third connection claims Ann's client id with a newer clock and a different name.
    const mallory = await joinRoom(server.url, workshop, 'North', 'Mallory');
    const socket = new WebSocket(`${server.wsUrl}/${workshop.id}/${north.id}?token=${encodeURIComponent(mallory.token)}`);
    await within(new Promise((resolve) => socket.once('open', resolve)), 5000, 'Mallory to connect');
    const inner = encoding.createEncoder();
    encoding.writeVarUint(inner, 1);
    encoding.writeVarUint(inner, ann.doc.clientID);
    encoding.writeVarUint(inner, 1000);
    encoding.writeVarString(inner, JSON.stringify({ user: { id: 'x', name: 'Not Ann' } }));
    const message = encoding.createEncoder();
    encoding.writeVarUint(message, 1);
    encoding.writeVarUint8Array(message, encoding.toUint8Array(inner));
    socket.send(encoding.toUint8Array(message));
    // Bo then hears from Ann again; Ann's name never changed in between.
    let forged = false;
    bo.provider.awareness.on('change', () => {
      if ((bo.provider.awareness.getStates().get(ann.doc.clientID)?.user as { name?: string } | undefined)?.name === 'Not Ann') forged = true;
    });
    ann.provider.awareness.setLocalStateField('cursor', 7);
    await untilPresence(bo, (states) => states.get(ann.doc.clientID)?.cursor === 7, "Bo to see Ann's cursor");
    socket.close();
    expect(forged).toBe(false);
    expect(awarenessProtocol.encodeAwarenessUpdate(bo.provider.awareness, [ann.doc.clientID]).length).toBeGreaterThan(0);
  });
});
