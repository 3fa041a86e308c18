import * as Y from 'yjs';
import { CARDS_KEY, THEMES_KEY } from '@goldthread/shared';

/** Which cards, themes and other top-level types one Yjs transaction touched. */
export interface TransactionSummary {
  /** Card id -> the fields that changed: map keys, `text` for text edits, `entry` when the card itself was added, replaced or deleted. */
  cards: Map<string, Set<string>>;
  /** Theme id -> the fields that changed, `entry` as for cards. */
  themes: Map<string, Set<string>>;
  /** Names of other top-level types that changed. */
  otherRoots: Set<string>;
}

type AnyType = Y.AbstractType<any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- Yjs types are generic over their event

/** Summarises a transaction from its changed types (valid inside `afterTransaction`). */
export function summariseTransaction(doc: Y.Doc, transaction: Y.Transaction): TransactionSummary {
  const roots = new Map<AnyType, Map<string, Set<string>>>();
  const summary: TransactionSummary = { cards: new Map(), themes: new Map(), otherRoots: new Set() };
  const cardsRoot = doc.share.get(CARDS_KEY);
  const themesRoot = doc.share.get(THEMES_KEY);
  if (cardsRoot) roots.set(cardsRoot, summary.cards);
  if (themesRoot) roots.set(themesRoot, summary.themes);
  const note = (into: Map<string, Set<string>>, id: string, field: string) => {
    let fields = into.get(id);
    if (!fields) into.set(id, (fields = new Set()));
    fields.add(field);
  };
  transaction.changed.forEach((keys, type) => {
    const direct = roots.get(type);
    if (direct) {
      for (const key of keys) if (key !== null) note(direct, key, 'entry');
      return;
    }
    // Walk up to the entry directly under a root; remember which field of it changed.
    let current: AnyType = type;
    let field: string | null = type instanceof Y.Text ? 'text' : null;
    const changedKeys = [...keys].filter((key): key is string => key !== null);
    for (;;) {
      const item = current._item;
      if (item === null) {
        summary.otherRoots.add(rootName(doc, current));
        return;
      }
      const parent = item.parent as AnyType;
      const into = roots.get(parent);
      if (into && item.parentSub !== null) {
        if (current === type) for (const key of changedKeys) note(into, item.parentSub, key);
        if (field !== null || current !== type) note(into, item.parentSub, field ?? 'nested');
        return;
      }
      field = item.parentSub ?? field;
      current = parent;
    }
  });
  return summary;
}

function rootName(doc: Y.Doc, type: AnyType): string {
  for (const [name, root] of doc.share) if (root === type) return name;
  return '(unknown)';
}
