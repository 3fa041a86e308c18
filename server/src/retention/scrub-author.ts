import * as Y from 'yjs';
import { cardsMap, type EraseCards } from '@goldthread/shared';

/** The name an erased person's kept cards show. */
export const ERASED_AUTHOR_NAME = 'Anonymous';

/**
 * Removes one person from a room's document: their cards lose their name (`anonymise`) or go
 * (`delete`). With garbage collection on (the default), the overwritten names and deleted cards
 * leave no content in the encoded state. Returns how many cards changed.
 */
export function scrubAuthor(doc: Y.Doc, participantId: string, mode: EraseCards): number {
  const cards = cardsMap(doc);
  const theirs = [...cards.entries()].filter(([, entry]) => entry instanceof Y.Map && entry.get('authorId') === participantId);
  if (theirs.length === 0) return 0;
  doc.transact(() => {
    for (const [id, entry] of theirs) {
      if (mode === 'delete') cards.delete(id);
      else if (entry.get('authorName') !== ERASED_AUTHOR_NAME) entry.set('authorName', ERASED_AUTHOR_NAME);
    }
  });
  return theirs.length;
}

/**
 * A saved document state (e.g. a timeline snapshot's) with one person scrubbed: decoded, changed
 * and encoded again, so the old names' bytes are gone from it; null when they had no cards in it.
 */
export function scrubAuthorInUpdate(update: Uint8Array, participantId: string, mode: EraseCards): Uint8Array | null {
  const doc = new Y.Doc();
  try {
    Y.applyUpdate(doc, update);
    if (scrubAuthor(doc, participantId, mode) === 0) return null;
    return Y.encodeStateAsUpdate(doc);
  } finally {
    doc.destroy();
  }
}
