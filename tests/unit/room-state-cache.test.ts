import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addCard, readCards } from '@goldthread/shared';
import { Room } from '../../server/src/rooms/room.js';
import { encodeAwarenessMessage, encodeUpdateMessage } from '../../server/src/sync/messages.js';

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
const newRoom = () =>
  new Room({
    workshopId: 'w',
    roomId: 'r',
    save: async () => undefined,
    saveQuietMs: 60_000,
    saveMaxMs: 60_000,
    journal: null,
    rules: null,
    logger: silent,
    encodeUpdate: encodeUpdateMessage,
    encodeAwareness: encodeAwarenessMessage
  });
const emptyStateVector = Y.encodeStateVector(new Y.Doc());
const cardsIn = (update: Uint8Array) => {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, update);
  return readCards(doc).map((c) => c.text);
};

describe('what a joining client is sent', () => {
  it('a client that arrives empty gets the whole document, and the next one gets the same bytes until something changes', () => {
    const room = newRoom();
    addCard(room.doc, { boardId: 'b', text: 'First', authorId: 'a', authorName: 'A' });
    const first = room.missingFor(emptyStateVector);
    expect(cardsIn(first)).toEqual(['First']);
    expect(room.missingFor(emptyStateVector)).toBe(first);
    addCard(room.doc, { boardId: 'b', text: 'Second', authorId: 'a', authorName: 'A' });
    const after = room.missingFor(emptyStateVector);
    expect(after).not.toBe(first);
    expect(cardsIn(after).sort()).toEqual(['First', 'Second']);
    room.destroy();
  });

  it('a client that already has part of the document gets only what it lacks', () => {
    const room = newRoom();
    addCard(room.doc, { boardId: 'b', text: 'Known', authorId: 'a', authorName: 'A' });
    const client = new Y.Doc();
    Y.applyUpdate(client, room.missingFor(emptyStateVector));
    addCard(room.doc, { boardId: 'b', text: 'New', authorId: 'a', authorName: 'A' });
    const missing = room.missingFor(Y.encodeStateVector(client));
    expect(missing.length).toBeLessThan(room.missingFor(emptyStateVector).length);
    Y.applyUpdate(client, missing);
    expect(readCards(client).map((c) => c.text).sort()).toEqual(['Known', 'New']);
    room.destroy();
  });
});
