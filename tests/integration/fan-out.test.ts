import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLIENT_OWNERS_KEY, addCard, readCards } from '@goldthread/shared';
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
      await waitForDoc(client.doc, (doc) => readCards(doc).length === 3 && doc.getMap(CLIENT_OWNERS_KEY).size === 2, 5000, 'everyone to agree');
    }
  });
});
