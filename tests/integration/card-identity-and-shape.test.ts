import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { LIMITS, addCard, cardsMap, readCards, type CreateWorkshopResponse, type JoinResponse } from '@goldthread/shared';
import { api, createWorkshop, facilitatorToken, joinRoom, newServer, type TestServer } from './support/server.js';
import { connectProvider, waitForDoc, within, type ProviderClient } from './support/yjs-clients.js';

let server: TestServer;
let workshop: CreateWorkshopResponse;
let ada: JoinResponse;
let adaClient: ProviderClient;
/** The facilitator's view of the room, and every card id it ever held. */
let watcher: ProviderClient;
let seenIds: Set<string>;
let facilitator: string;
const clients: ProviderClient[] = [];
const board = () => workshop.boards[0]!.id;

beforeEach(async () => {
  server = await newServer();
  workshop = await createWorkshop(server.url);
  ada = await joinRoom(server.url, workshop, 'North', 'Ada');
  facilitator = await facilitatorToken(server.url, workshop);
  adaClient = connectProvider(server.wsUrl, workshop.id, ada.roomId, ada.token);
  watcher = connectProvider(server.wsUrl, workshop.id, ada.roomId, facilitator);
  clients.push(adaClient, watcher);
  seenIds = new Set();
  watcher.doc.on('update', () => cardsMap(watcher.doc).forEach((_entry, id) => seenIds.add(id)));
  await within(Promise.all(clients.map((c) => c.synced)), 5000, 'sync');
});
afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  await server.close({ removeData: true });
});

/** Ada writes a card entry exactly as `fill` makes it; resolves once the server has answered it. */
async function adaWritesRaw(fill: (entry: Y.Map<unknown>) => void): Promise<{ id: string; accepted: boolean }> {
  const id = `raw-${Math.random().toString(36).slice(2, 10)}`;
  adaClient.doc.transact(() => {
    const entry = new Y.Map<unknown>();
    cardsMap(adaClient.doc).set(id, entry);
    fill(entry);
  });
  // A valid card of Ada's after it: once the watcher has that, the server has judged the first.
  const marker = addCard(adaClient.doc, { boardId: board(), text: `after ${id}`, authorId: ada.participantId, authorName: 'Ada' });
  await waitForDoc(watcher.doc, (doc) => cardsMap(doc).has(marker), 5000, 'the marker card');
  return { id, accepted: seenIds.has(id) };
}

const validFields = (entry: Y.Map<unknown>) => {
  entry.set('boardId', board());
  entry.set('text', new Y.Text('A fair card'));
  entry.set('authorId', ada.participantId);
  entry.set('authorName', 'Ada');
  entry.set('color', 'blue');
  entry.set('createdAt', Date.now());
};

describe('who wrote a card is the server’s to say', () => {
  it('a card written well is accepted (the baseline of the refusals below)', async () => {
    expect((await adaWritesRaw(validFields)).accepted).toBe(true);
  });

  it.each([
    ['another name', (entry: Y.Map<unknown>) => entry.set('authorName', 'Facilitator')],
    ['proxy: true', (entry: Y.Map<unknown>) => entry.set('proxy', true)],
    ['a source room', (entry: Y.Map<unknown>) => entry.set('sourceRoomId', workshop.rooms[1]!.id)]
  ])('a participant’s card carrying %s never reaches anyone, and their own copy is put right', async (_what, spoof) => {
    const { id, accepted } = await adaWritesRaw((entry) => {
      validFields(entry);
      spoof(entry);
    });
    expect(accepted).toBe(false);
    await waitForDoc(adaClient.doc, (doc) => !cardsMap(doc).has(id), 5000, 'Ada’s copy to be put right');
  });

  it('a creation time far from the server’s clock (pinning a card first) is replaced by the server’s', async () => {
    const before = Date.now();
    const { id, accepted } = await adaWritesRaw((entry) => {
      validFields(entry);
      entry.set('createdAt', 1);
    });
    expect(accepted).toBe(true);
    await waitForDoc(watcher.doc, (doc) => (readCards(doc).find((c) => c.id === id)?.createdAt ?? 0) >= before, 5000, 'the server’s time');
    await waitForDoc(adaClient.doc, (doc) => (readCards(doc).find((c) => c.id === id)?.createdAt ?? 0) >= before, 5000, 'the time at Ada');
  });

  it('the author and time of a card already on the board cannot be changed by its author', async () => {
    const id = addCard(adaClient.doc, { boardId: board(), text: 'Mine', authorId: ada.participantId, authorName: 'Ada' });
    await waitForDoc(watcher.doc, (doc) => cardsMap(doc).has(id));
    for (const [field, value] of [['authorName', 'Facilitator'], ['createdAt', 1], ['proxy', true]] as const) {
      cardsMap(adaClient.doc).get(id)!.set(field, value);
      const marker = addCard(adaClient.doc, { boardId: board(), text: `after ${field}`, authorId: ada.participantId, authorName: 'Ada' });
      await waitForDoc(watcher.doc, (doc) => cardsMap(doc).has(marker), 5000, 'the marker');
      await waitForDoc(adaClient.doc, (doc) => readCards(doc).find((c) => c.id === id)?.authorName === 'Ada', 5000, 'Ada’s copy put right');
    }
    expect(readCards(watcher.doc).find((c) => c.id === id)).toMatchObject({ authorName: 'Ada', authorId: ada.participantId });
    expect(readCards(watcher.doc).find((c) => c.id === id)?.proxy).toBeUndefined();
    expect(readCards(watcher.doc).find((c) => c.id === id)?.createdAt).toBeGreaterThan(1);
  });
});

describe('one card schema on every way in', () => {
  it.each([
    ['an extra 900 KiB field', (entry: Y.Map<unknown>) => entry.set('notes', 'x'.repeat(900 * 1024))],
    ['a 500 KiB embed inside its text', (entry: Y.Map<unknown>) => (entry.get('text') as Y.Text).insertEmbed(2, { blob: 'x'.repeat(500 * 1024) })],
    ['formatting inside its text', (entry: Y.Map<unknown>) => (entry.get('text') as Y.Text).format(0, 4, { bold: true })],
    ['text as a number', (entry: Y.Map<unknown>) => entry.set('text', 42)],
    ['a createdAt that is not a time', (entry: Y.Map<unknown>) => entry.set('createdAt', 'yesterday')],
    ['no author name', (entry: Y.Map<unknown>) => entry.delete('authorName')],
    ['a colour outside the palette', (entry: Y.Map<unknown>) => entry.set('color', 'url(//evil)')],
    ['a nested map as a field', (entry: Y.Map<unknown>) => entry.set('boardId', new Y.Map())]
  ])('a card with %s is refused over Yjs', async (_what, spoil) => {
    const { accepted } = await adaWritesRaw((entry) => {
      validFields(entry);
      spoil(entry);
    });
    expect(accepted).toBe(false);
  });

  it('one participant’s update cannot fill a board: more new cards than one update may bring are refused', async () => {
    const ids: string[] = [];
    adaClient.doc.transact(() => {
      for (let i = 0; i < 60; i++) ids.push(addCard(adaClient.doc, { boardId: board(), text: `bulk ${i}`, authorId: ada.participantId, authorName: 'Ada' }));
    });
    const marker = addCard(adaClient.doc, { boardId: board(), text: 'after the bulk', authorId: ada.participantId, authorName: 'Ada' });
    await waitForDoc(watcher.doc, (doc) => cardsMap(doc).has(marker), 5000, 'the marker');
    expect(ids.some((id) => seenIds.has(id))).toBe(false);
  });

  it('one participant cannot fill the room: past their share of bytes their updates are refused, others still write', async () => {
    const ben = await joinRoom(server.url, workshop, 'North', 'Ben');
    const benClient = connectProvider(server.wsUrl, workshop.id, ben.roomId, ben.token);
    clients.push(benClient);
    await within(benClient.synced, 5000, 'Ben');
    // Forty cards of 1000 characters, written and deleted again and again: the document stays
    // small, but every update counts towards what Ada may add.
    let refused = false;
    for (let round = 0; round < 80 && !refused; round++) {
      const ids: string[] = [];
      adaClient.doc.transact(() => {
        for (let i = 0; i < 40; i++) {
          ids.push(addCard(adaClient.doc, { boardId: board(), text: `${round}-${i} `.padEnd(LIMITS.cardText, 'z'), authorId: ada.participantId, authorName: 'Ada' }));
        }
      });
      const probe = ids[0]!;
      const outcome = await Promise.race([
        waitForDoc(watcher.doc, (doc) => cardsMap(doc).has(probe), 5000, 'a bulk round').then(() => 'accepted'),
        waitForDoc(adaClient.doc, (doc) => !cardsMap(doc).has(probe), 5000, 'a refusal').then(() => 'refused')
      ]);
      if (outcome === 'refused') refused = true;
      else adaClient.doc.transact(() => ids.forEach((id) => cardsMap(adaClient.doc).delete(id)));
    }
    expect(refused).toBe(true);
    const benCard = addCard(benClient.doc, { boardId: board(), text: 'Ben still writes', authorId: ben.participantId, authorName: 'Ben' });
    await waitForDoc(watcher.doc, (doc) => cardsMap(doc).has(benCard), 5000, 'Ben’s card');
  }, 60_000);

  it('HTTP card creation keeps the board’s card cap', async () => {
    // The facilitator fills the board over Yjs (the facilitator is held to the cap too, one short of it here).
    watcher.doc.transact(() => {
      for (let i = 0; i < LIMITS.cardsPerBoard; i++) addCard(watcher.doc, { boardId: board(), text: `f${i}`, authorId: 'facilitator', authorName: 'Facilitator' });
    });
    const route = `/api/workshops/${workshop.id}/rooms/${ada.roomId}/cards`;
    const auth = { authorization: `Bearer ${ada.token}` };
    await waitForDoc(adaClient.doc, (doc) => readCards(doc).length === LIMITS.cardsPerBoard, 5000, 'the full board');
    const refused = await api(server.url, 'POST', route, { boardId: board(), text: 'One too many' }, auth);
    expect(refused.status).toBe(413);
    expect(refused.body).toMatchObject({ error: { code: 'payload_too_large' } });
    const elsewhere = await api(server.url, 'POST', route, { boardId: workshop.boards[1]!.id, text: 'Another board has room' }, auth);
    expect(elsewhere.status).toBe(201);
    expect(elsewhere.body).toMatchObject({ authorId: ada.participantId, authorName: 'Ada' });
  });
});
