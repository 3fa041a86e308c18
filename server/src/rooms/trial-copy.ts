import * as Y from 'yjs';
import { CARDS_KEY, THEMES_KEY, editTextTo } from '@goldthread/shared';
import type { TransactionSummary } from './transaction-summary.js';

/** Origin of updates copied from the live document. */
const MIRROR_ORIGIN = Symbol('goldthread-mirror');
/** Origin of the trial's own change that withdraws a refused update. */
export const WITHDRAW_ORIGIN = Symbol('goldthread-withdraw');

/**
 * A copy of a room's live document that a peer's update is tried on first, so the rules judge
 * the document as it would be while the live one stays untouched. An accepted update is then
 * applied to the live document as sent; a refused one never is. Instead the copy withdraws it —
 * deletes everything it inserted (Yjs then drops the deleted content, keeping only its ids and
 * lengths) and puts back what it deleted or overwrote, from the live document — and the live
 * document receives only that withdrawal: the refused content's ids without the content, so the
 * sender's later edits still have what they follow, and nobody's screen or disk ever holds it.
 */
export class TrialCopy {
  readonly doc = new Y.Doc();
  readonly #live: Y.Doc;

  constructor(live: Y.Doc) {
    this.#live = live;
    // The copy writes only withdrawals, which go straight to the live document: under the live
    // document's own client id, which the server records as its own.
    this.doc.clientID = live.clientID;
  }

  /** Copies an update the live document applied (its own, a load, an accepted peer's). */
  mirror(update: Uint8Array): void {
    Y.applyUpdate(this.doc, update, MIRROR_ORIGIN);
  }

  /**
   * Withdraws what the copy holds beyond the live document (a refused or broken update, tried
   * here) and returns the update that brings the live document level with the copy again: ids
   * without content, and the restored entries. Parts waiting for missing changes are dropped.
   */
  withdraw(touched: TransactionSummary | null): Uint8Array {
    const doc = this.doc;
    doc.store.pendingStructs = null;
    doc.store.pendingDs = null;
    const liveState = Y.decodeStateVector(Y.encodeStateVector(this.#live));
    doc.transact((transaction) => {
      deleteInsertedSince(transaction, liveState);
      if (touched) {
        restoreEntries(this.#live.getMap(CARDS_KEY), doc.getMap(CARDS_KEY), touched.cards.keys());
        restoreEntries(this.#live.getMap(THEMES_KEY), doc.getMap(THEMES_KEY), touched.themes.keys());
        for (const name of touched.otherRoots) {
          const live = this.#live.share.get(name);
          if (!(live instanceof Y.Map)) continue;
          // Top-level maps the live document has (the client owners) get back what was deleted from them.
          const trial = doc.getMap(name);
          restoreEntries(live, trial, new Set([...live.keys(), ...trial.keys()]));
        }
      }
    }, WITHDRAW_ORIGIN);
    return Y.encodeStateAsUpdate(doc, Y.encodeStateVector(this.#live));
  }

  destroy(): void {
    this.doc.destroy();
  }
}

/** Deletes every struct of the copy that the live document (at `liveState`) does not have. */
function deleteInsertedSince(transaction: Y.Transaction, liveState: Map<number, number>): void {
  const store = transaction.doc.store;
  for (const [client, structs] of store.clients) {
    const from = liveState.get(client) ?? 0;
    const end = structs.length === 0 ? 0 : structs[structs.length - 1]!.id.clock + structs[structs.length - 1]!.length;
    if (end <= from) continue;
    // Split the struct that straddles the boundary, so nothing the live document has is deleted.
    if (from > 0) Y.getItemCleanStart(transaction, Y.createID(client, from));
    const list = store.clients.get(client)!;
    for (let i = Y.findIndexSS(list, from); i < list.length; i++) {
      const struct = list[i]!;
      if (struct instanceof Y.Item && !struct.deleted) struct.delete(transaction);
    }
  }
}

/** Makes the copy's entries under `keys` equal the live document's, editing in place where they are the same entry. */
function restoreEntries(live: Y.Map<unknown>, trial: Y.Map<unknown>, keys: Iterable<string>): void {
  for (const key of keys) {
    const wanted = live.get(key);
    const current = trial.get(key);
    if (wanted === undefined) {
      if (trial.has(key)) trial.delete(key);
    } else if (wanted instanceof Y.Map && current instanceof Y.Map && sameItem(wanted, current)) {
      restoreFields(wanted, current);
    } else if (!(wanted instanceof Y.AbstractType) && !(current instanceof Y.AbstractType) && sameValue(wanted, current)) {
      continue;
    } else {
      trial.set(key, copyOf(wanted));
    }
  }
}

function restoreFields(live: Y.Map<unknown>, trial: Y.Map<unknown>): void {
  for (const key of new Set([...live.keys(), ...trial.keys()])) {
    const wanted = live.get(key);
    const current = trial.get(key);
    if (wanted === undefined) trial.delete(key);
    else if (wanted instanceof Y.Text && current instanceof Y.Text && sameItem(wanted, current)) editTextTo(current, wanted.toString());
    else if (wanted instanceof Y.AbstractType || current instanceof Y.AbstractType || !sameValue(wanted, current)) trial.set(key, copyOf(wanted));
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Yjs types are generic over their event
const sameItem = (a: Y.AbstractType<any>, b: Y.AbstractType<any>) =>
  a._item !== null && b._item !== null && Y.compareIDs(a._item.id, b._item.id);

const sameValue = (a: unknown, b: unknown) => a === b || JSON.stringify(a) === JSON.stringify(b);

/** A fresh copy of a live value, to write into the copy (shared types cannot be in two documents). */
function copyOf(value: unknown): unknown {
  if (value instanceof Y.Text) return new Y.Text(value.toString());
  if (value instanceof Y.Map) {
    const map = new Y.Map<unknown>();
    value.forEach((field, key) => map.set(key, copyOf(field)));
    return map;
  }
  if (value instanceof Y.Array) return Y.Array.from(value.toArray().map(copyOf) as never[]);
  return value;
}
