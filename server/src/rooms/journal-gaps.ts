import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';

/** Yjs's struct kind for garbage-collected (deleted) content. */
const GC_STRUCT = 0;

/**
 * After a replay that skipped a damaged journal record, the edits written after it by the same
 * Yjs client — and edits by others that refer to its content — wait for the clocks that record
 * held, and would never apply. This marks those
 * clocks as deleted content, so everything after the lost record applies; only the lost
 * record's own content is gone. Returns the update that does it, or null when nothing waits.
 */
export function fillJournalGaps(doc: Y.Doc): Uint8Array | null {
  const pending = doc.store.pendingStructs;
  if (!pending) return null;
  const structs = Y.decodeUpdateV2(pending.update).structs;
  // A writer's own waiting edits start where its lost ones end.
  const firstWaiting = new Map<number, number>();
  for (const struct of structs) {
    const { client, clock } = struct.id;
    if (clock < (firstWaiting.get(client) ?? Infinity)) firstWaiting.set(client, clock);
  }
  // Another writer's lost edits end after the last of them that a waiting edit refers to.
  const referencedEnd = new Map<number, number>();
  for (const struct of structs) {
    if (!(struct instanceof Y.Item)) continue;
    const parent = struct.parent;
    for (const id of [struct.origin, struct.rightOrigin, parent instanceof Y.ID ? parent : null]) {
      if (id && !firstWaiting.has(id.client)) referencedEnd.set(id.client, Math.max(referencedEnd.get(id.client) ?? 0, id.clock + 1));
    }
  }
  const gaps: { client: number; clock: number; length: number }[] = [];
  for (const [client, end] of [...firstWaiting, ...referencedEnd]) {
    const have = Y.getState(doc.store, client);
    if (end > have) gaps.push({ client, clock: have, length: end - have });
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
