import * as Y from 'yjs';
import { CARDS_KEY } from '@goldthread/shared';

/** Which cards (and which other top-level types) one Yjs transaction touched. */
export interface TransactionSummary {
  /** Card ids whose entry, fields or text changed, including added and deleted cards. */
  cards: Set<string>;
  /** Names of top-level types other than `cards` that changed. */
  otherRoots: Set<string>;
}

/** Summarises a transaction from its changed types (valid inside `afterTransaction`). */
export function summariseTransaction(doc: Y.Doc, transaction: Y.Transaction): TransactionSummary {
  const cardsRoot = doc.share.get(CARDS_KEY);
  const cards = new Set<string>();
  const otherRoots = new Set<string>();
  transaction.changed.forEach((keys, type) => {
    if (type === cardsRoot) {
      for (const key of keys) if (key !== null) cards.add(key);
      return;
    }
    // Walk up to the child of the cards map, whose key is the card id.
    let current: Y.AbstractType<any> = type; // eslint-disable-line @typescript-eslint/no-explicit-any -- Yjs types are generic over their event
    for (;;) {
      const item = current._item;
      if (item === null) {
        otherRoots.add(rootName(doc, current));
        return;
      }
      if (item.parent === cardsRoot) {
        if (item.parentSub !== null) cards.add(item.parentSub);
        return;
      }
      current = item.parent as Y.AbstractType<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    }
  });
  return { cards, otherRoots };
}

function rootName(doc: Y.Doc, type: Y.AbstractType<any>): string { // eslint-disable-line @typescript-eslint/no-explicit-any
  for (const [name, root] of doc.share) if (root === type) return name;
  return '(unknown)';
}
