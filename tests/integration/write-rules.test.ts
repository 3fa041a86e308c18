import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addCard, cardsMap, deleteCard, readCards, setCardText, type CreateWorkshopResponse, type JoinResponse } from '@goldthread/shared';
import { createWorkshop, facilitatorToken, joinRoom, newServer, type TestServer } from './support/server.js';
import { connectProvider, waitForDoc, within, type ProviderClient } from './support/yjs-clients.js';

let server: TestServer;
let workshop: CreateWorkshopResponse;
let ada: JoinResponse;
let ben: JoinResponse;
let adaClient: ProviderClient;
let benClient: ProviderClient;
/** A third client in the room that records every card text it ever sees. */
let watcher: ProviderClient;
let seenByWatcher: Set<string>;
const clients: ProviderClient[] = [];
const texts = (doc: Y.Doc) => readCards(doc).map((card) => card.text).sort();

beforeEach(async () => {
  server = await newServer();
  workshop = await createWorkshop(server.url);
  [ada, ben] = [await joinRoom(server.url, workshop, 'North', 'Ada'), await joinRoom(server.url, workshop, 'North', 'Ben')];
  const room = workshop.rooms[0]!.id;
  adaClient = connectProvider(server.wsUrl, workshop.id, room, ada.token);
  benClient = connectProvider(server.wsUrl, workshop.id, room, ben.token);
  watcher = connectProvider(server.wsUrl, workshop.id, room, await facilitatorToken(server.url, workshop));
  clients.push(adaClient, benClient, watcher);
  seenByWatcher = new Set();
  watcher.doc.on('update', () => readCards(watcher.doc).forEach((card) => seenByWatcher.add(card.text)));
  await within(Promise.all(clients.map((c) => c.synced)), 5000, 'sync');
});

afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  await server.close({ removeData: true });
});

/** Ada adds a card and everyone has it. */
async function adaAddsCard(text: string, boardIndex = 0) {
  const id = addCard(adaClient.doc, { boardId: workshop.boards[boardIndex]!.id, text, authorId: ada.participantId, authorName: 'Ada' });
  await waitForDoc(benClient.doc, (doc) => texts(doc).includes(text), 5000, `"${text}" at Ben`);
  await waitForDoc(watcher.doc, (doc) => texts(doc).includes(text), 5000, `"${text}" at the watcher`);
  return id;
}

/** A marker change by Ada that every client has once the refused change before it was handled. */
async function barrier(label: string) {
  await adaAddsCard(`barrier ${label}`);
  await waitForDoc(benClient.doc, (doc) => texts(doc).includes(`barrier ${label}`));
}

describe('rules on board changes', () => {
  it("a participant's edit of someone else's card is reverted for everyone, the editor included", async () => {
    const id = await adaAddsCard('Ada wrote this');
    setCardText(benClient.doc, id, 'Ben rewrote it');
    await waitForDoc(benClient.doc, (doc) => texts(doc).includes('Ada wrote this'), 5000, "Ben's copy to be reverted");
    await barrier('edit');
    expect(texts(adaClient.doc)).toEqual(['Ada wrote this', 'barrier edit']);
    expect(texts(benClient.doc)).toEqual(['Ada wrote this', 'barrier edit']);
    expect(seenByWatcher.has('Ben rewrote it')).toBe(false);
  });

  it("a participant cannot delete someone else's card", async () => {
    const id = await adaAddsCard('Keep me');
    deleteCard(benClient.doc, id);
    await waitForDoc(benClient.doc, (doc) => texts(doc).includes('Keep me'), 5000, 'the card to come back at Ben');
    await barrier('delete');
    expect(texts(watcher.doc)).toContain('Keep me');
    expect(texts(adaClient.doc)).toContain('Keep me');
    // The restored card is the same card, still Ada's, and Ada can still edit it.
    const restored = readCards(adaClient.doc).find((card) => card.text === 'Keep me')!;
    expect(restored).toMatchObject({ id, authorId: ada.participantId });
    setCardText(adaClient.doc, id, 'Keep me, edited');
    await waitForDoc(watcher.doc, (doc) => texts(doc).includes('Keep me, edited'), 5000, "Ada's later edit");
  });

  it('a card written in someone else’s name is refused', async () => {
    addCard(benClient.doc, { boardId: workshop.boards[0]!.id, text: 'Impersonation', authorId: ada.participantId, authorName: 'Ada' });
    await waitForDoc(benClient.doc, (doc) => !texts(doc).includes('Impersonation'), 5000, 'the forged card to be removed');
    await barrier('forged');
    expect(seenByWatcher.has('Impersonation')).toBe(false);
  });

  it('a card on a board that is not part of the workshop is refused', async () => {
    addCard(benClient.doc, { boardId: 'no-such-board', text: 'Stray', authorId: ben.participantId, authorName: 'Ben' });
    await waitForDoc(benClient.doc, (doc) => !texts(doc).includes('Stray'), 5000, 'the stray card to be removed');
    await barrier('stray');
    expect(seenByWatcher.has('Stray')).toBe(false);
  });

  it('card text over 1000 characters sent over Yjs is refused (the 1000-character card is kept)', async () => {
    const id = addCard(benClient.doc, { boardId: workshop.boards[0]!.id, text: 'x'.repeat(1000), authorId: ben.participantId, authorName: 'Ben' });
    await waitForDoc(watcher.doc, (doc) => texts(doc).includes('x'.repeat(1000)), 5000, 'the 1000-character card');
    const text = cardsMap(benClient.doc).get(id)!.get('text') as Y.Text;
    text.insert(1000, 'y');
    await waitForDoc(benClient.doc, (doc) => texts(doc).includes('x'.repeat(1000)), 5000, 'the 1001st character to be removed');
    await barrier('long');
    expect(texts(watcher.doc)).toContain('x'.repeat(1000));
    expect([...seenByWatcher].some((t) => t.length > 1000)).toBe(false);
  });

  it('participants cannot add data outside the cards map', async () => {
    benClient.doc.getMap('junk').set('payload', 'x'.repeat(100));
    await barrier('junk');
    expect(watcher.doc.getMap('junk').get('payload')).toBeUndefined();
  });

  it('a locked board refuses participants’ changes and accepts them again when unlocked', async () => {
    const [priorities, vision] = workshop.boards;
    const room = await server.server.rooms.loaded(workshop.id, workshop.rooms[0]!.id)!;
    const state = (locked: boolean) =>
      workshop.boards.map((b) => ({ boardId: b.id, phase: 'brainstorm' as const, private: false, revealed: false, locked: locked && b.id === priorities!.id, resultsShown: false }));
    room.setBoards(state(true));
    addCard(benClient.doc, { boardId: priorities!.id, text: 'While locked', authorId: ben.participantId, authorName: 'Ben' });
    await waitForDoc(benClient.doc, (doc) => !texts(doc).includes('While locked'), 5000, 'the locked-board card to be removed');
    // Other boards stay open.
    addCard(benClient.doc, { boardId: vision!.id, text: 'On the open board', authorId: ben.participantId, authorName: 'Ben' });
    await waitForDoc(watcher.doc, (doc) => texts(doc).includes('On the open board'), 5000, 'the open-board card');
    expect(seenByWatcher.has('While locked')).toBe(false);

    room.setBoards(state(false));
    addCard(benClient.doc, { boardId: priorities!.id, text: 'After unlock', authorId: ben.participantId, authorName: 'Ben' });
    await waitForDoc(watcher.doc, (doc) => texts(doc).includes('After unlock'), 5000, 'the card after unlock');
  });
});

describe('cards over HTTP follow the board rules', () => {
  it('a participant cannot add a card over HTTP to a locked board, one being voted on, or one in private brainstorm', async () => {
    const { controlClient, connected } = await import('./support/control-client.js');
    const { api, facilitatorToken: sessionFor } = await import('./support/server.js');
    const facilitator = controlClient(server.url, { token: await sessionFor(server.url, workshop) }, ['websocket']);
    await connected(facilitator);
    const steer = (name: string, payload: unknown) =>
      (facilitator as unknown as { timeout(ms: number): { emitWithAck(n: string, p: unknown): Promise<unknown> } }).timeout(5000).emitWithAck(name, payload);
    const [priorities, vision, barriers] = workshop.boards;
    const post = (boardId: string) =>
      api(server.url, 'POST', `/api/workshops/${workshop.id}/rooms/${workshop.rooms[0]!.id}/cards`, { boardId, text: 'Over HTTP' }, { authorization: `Bearer ${ben.token}` });
    await steer('board:lock', { boardId: priorities!.id, locked: true });
    await steer('phase:set', { boardId: vision!.id, phase: 'vote' });
    await steer('board:private', { boardId: barriers!.id, private: true });
    expect((await post(priorities!.id)).status).toBe(403);
    expect((await post(vision!.id)).status).toBe(403);
    expect((await post(barriers!.id)).status).toBe(409);
    await steer('board:lock', { boardId: priorities!.id, locked: false });
    expect((await post(priorities!.id)).status).toBe(201);
    facilitator.disconnect();
  });
});
