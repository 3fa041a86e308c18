import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addCard,
  addTheme,
  deleteTheme,
  mergeThemes,
  moveCardToTheme,
  readCards,
  readThemes,
  reconcileCards,
  reconcileThemes,
  renameTheme,
  type NewCard
} from '@goldthread/shared';

const card = (text: string, boardId = 'priorities'): NewCard => ({ boardId, text, authorId: 'p1', authorName: 'Ada' });

/** What a restore does with a room's saved state (see SnapshotService#restore). */
function restore(doc: Y.Doc, saved: Y.Doc): void {
  doc.transact(() => {
    reconcileThemes(doc, readThemes(saved));
    reconcileCards(doc, readCards(saved));
  });
}

/** A board grouped into two themes, and a copy of it as a snapshot would keep it. */
function groupedBoard() {
  const doc = new Y.Doc();
  const housing = addCard(doc, card('Housing'));
  const buses = addCard(doc, card('Buses'));
  const loose = addCard(doc, card('Loose idea'));
  const homes = addTheme(doc, 'priorities', 'Homes');
  const transport = addTheme(doc, 'priorities', 'Transport');
  moveCardToTheme(doc, housing, homes);
  moveCardToTheme(doc, buses, transport);
  const saved = new Y.Doc();
  Y.applyUpdate(saved, Y.encodeStateAsUpdate(doc));
  return { doc, saved, ids: { housing, buses, loose, homes, transport } };
}

const grouping = (doc: Y.Doc) => readThemes(doc).map((theme) => ({ name: theme.name, cards: theme.cardIds }));

describe('restoring a board’s themes', () => {
  it('brings back a deleted theme with its name, place and cards', () => {
    const { doc, saved, ids } = groupedBoard();
    const before = grouping(doc);
    deleteTheme(doc, ids.homes);
    expect(readThemes(doc).map((t) => t.name)).toEqual(['Transport']);

    restore(doc, saved);
    expect(grouping(doc)).toEqual(before);
    expect(readThemes(doc).map((t) => t.id).sort()).toEqual([ids.homes, ids.transport].sort());
  });

  it('undoes a merge, a rename and a regrouping, and removes a theme made since', () => {
    const { doc, saved, ids } = groupedBoard();
    const before = grouping(doc);
    mergeThemes(doc, ids.transport, ids.homes);
    renameTheme(doc, ids.homes, 'Everything');
    moveCardToTheme(doc, ids.loose, addTheme(doc, 'priorities', 'Made later'));

    restore(doc, saved);
    expect(grouping(doc)).toEqual(before);
    expect(readCards(doc).find((c) => c.id === ids.loose)?.themeId).toBeUndefined();
  });

  it('sends a peer one update that leaves it with the same grouping', () => {
    const { doc, saved, ids } = groupedBoard();
    const peer = new Y.Doc();
    Y.applyUpdate(peer, Y.encodeStateAsUpdate(doc));
    deleteTheme(doc, ids.transport);
    moveCardToTheme(doc, ids.housing, null);
    Y.applyUpdate(peer, Y.encodeStateAsUpdate(doc, Y.encodeStateVector(peer)));

    const updates: Uint8Array[] = [];
    doc.on('update', (update: Uint8Array) => updates.push(update));
    restore(doc, saved);
    expect(updates).toHaveLength(1);
    Y.applyUpdate(peer, updates[0]!);
    expect(grouping(peer)).toEqual(grouping(saved));
  });

  it('changes nothing when the board is already as saved', () => {
    const { doc, saved } = groupedBoard();
    const updates: Uint8Array[] = [];
    doc.on('update', (update: Uint8Array) => updates.push(update));
    restore(doc, saved);
    expect(updates).toEqual([]);
  });
});
