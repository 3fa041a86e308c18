import { crc32 } from './crc32.js';

/** Bytes before each record: payload length and CRC-32, both little-endian u32. */
const HEADER = 8;
/** Larger records are not Yjs messages we accept, so a length beyond this means damage. */
const MAX_RECORD = 16 * 1024 * 1024;

/** What reading a journal file found. */
export interface ReadRecords {
  /** Every intact record, in order. */
  records: Uint8Array[];
  /** What was skipped and where, for the log. */
  problems: string[];
  /** True when bytes were skipped that a crash cannot explain (a damaged, not merely torn, file). */
  damaged: boolean;
}

/** Frames one update as a journal record. */
export function frameRecord(update: Uint8Array): Buffer {
  const record = Buffer.allocUnsafe(HEADER + update.length);
  record.writeUInt32LE(update.length, 0);
  record.writeUInt32LE(crc32(update), 4);
  record.set(update, HEADER);
  return record;
}

/**
 * Splits a journal file into its intact records. Damage stays local: after a record whose
 * checksum fails, reading resumes at the next intact record, so one flipped byte costs one
 * record. A torn final record (a crash in the middle of an append) is ignored.
 */
export function readRecords(bytes: Uint8Array): ReadRecords {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const records: Uint8Array[] = [];
  const problems: string[] = [];
  let damaged = false;
  let offset = 0;
  while (offset < bytes.length) {
    const found = recordAt(bytes, view, offset);
    if (found.kind === 'intact') {
      records.push(new Uint8Array(bytes.subarray(offset + HEADER, found.end)));
      offset = found.end;
      continue;
    }
    const next = nextIntactRecord(bytes, view, offset, found.kind === 'damaged' ? found.end : null);
    if (next === null) {
      // Nothing intact follows: a tail cut short by a crash, or damage at the very end.
      if (found.kind === 'torn') {
        problems.push(`torn final record at byte ${offset} (ignored)`);
      } else {
        problems.push(`damaged final record at byte ${offset} (ignored)`);
        damaged = true;
      }
      break;
    }
    problems.push(`damaged bytes ${offset}–${next - 1} skipped; the records after them were recovered`);
    damaged = true;
    offset = next;
  }
  return { records, problems, damaged };
}

type RecordAt = { kind: 'intact'; end: number } | { kind: 'torn' } | { kind: 'damaged'; end: number | null };

/** Whether an intact record starts at `offset`, one cut short by the end of the file, or neither. */
function recordAt(bytes: Uint8Array, view: DataView, offset: number): RecordAt {
  if (bytes.length - offset < HEADER) return { kind: 'torn' };
  const length = view.getUint32(offset, true);
  if (length > MAX_RECORD) return { kind: 'damaged', end: null };
  const end = offset + HEADER + length;
  if (end > bytes.length) return { kind: 'torn' };
  if (crc32(bytes.subarray(offset + HEADER, end)) !== view.getUint32(offset + 4, true)) return { kind: 'damaged', end };
  return { kind: 'intact', end };
}

/**
 * The start of the first intact record after `offset`, or null. When the damaged record's own
 * length still leads to an intact record (or to the end), only its payload or checksum was hit;
 * otherwise its length was, and the bytes are searched one by one. Empty records are not taken
 * while searching: a run of zeros would look like many of them.
 */
function nextIntactRecord(bytes: Uint8Array, view: DataView, offset: number, claimedEnd: number | null): number | null {
  if (claimedEnd !== null && claimedEnd < bytes.length && recordAt(bytes, view, claimedEnd).kind === 'intact') return claimedEnd;
  for (let candidate = offset + 1; candidate + HEADER < bytes.length; candidate++) {
    if (view.getUint32(candidate, true) === 0) continue;
    if (recordAt(bytes, view, candidate).kind === 'intact') return candidate;
  }
  return null;
}
