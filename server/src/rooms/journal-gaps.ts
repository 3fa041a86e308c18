import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';

/** Yjs's struct kind for garbage-collected (deleted) content. */
const GC_STRUCT = 0;

/**
 * After a replay that skipped a damaged journal record, the edits written after it by the same
 * Yjs client wait for the clocks that record held, and would never apply. This marks those
 * clocks as deleted content, so everything after the lost record applies; only the lost
 * record's own content is gone. Returns the update that does it, or null when nothing waits.
 */
export function fillJournalGaps(doc: Y.Doc): Uint8Array | null {
  const pending = doc.store.pendingStructs;
  if (!pending) return null;
  const firstWaiting = new Map<number, number>();
  for (const struct of Y.decodeUpdateV2(pending.update).structs) {
    const { client, clock } = struct.id;
    if (clock < (firstWaiting.get(client) ?? Infinity)) firstWaiting.set(client, clock);
  }
  const gaps: { client: number; clock: number; length: number }[] = [];
  for (const [client, clock] of firstWaiting) {
    const have = Y.getState(doc.store, client);
    if (clock > have) gaps.push({ client, clock: have, length: clock - have });
  }
  if (gaps.length === 0) return null;
  // A version 1 update: per client one GC struct over the gap, then an empty delete set.
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, gaps.length);
  for (const gap of gaps) {
    encoding.writeVarUint(encoder, 1);
    encoding.writeVarUint(encoder, gap.client);
    encoding.writeVarUint(encoder, gap.clock);
    encoding.writeUint8(encoder, GC_STRUCT);
    encoding.writeVarUint(encoder, gap.length);
  }
  encoding.writeVarUint(encoder, 0);
  return encoding.toUint8Array(encoder);
}
