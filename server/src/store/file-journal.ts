import { mkdir, open, readdir, readFile, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { crc32 } from './crc32.js';
import type { JournalStore, OpenedJournal, RoomJournal } from './journal.js';

/** Bytes before each record: payload length and CRC-32, both little-endian u32. */
const HEADER = 8;
/** Larger records are not Yjs messages we accept, so a length beyond this means damage. */
const MAX_RECORD = 16 * 1024 * 1024;

/**
 * Journals as files: `<dir>/<workshopId>/<roomId>/<generation>.log`, each a run of
 * length + CRC framed Yjs updates, group-fsynced every `fsyncIntervalMs`.
 */
export class FileJournalStore implements JournalStore {
  readonly #dir: string;
  readonly #fsyncIntervalMs: number;
  readonly #onError: (error: unknown) => void;

  constructor(dir: string, options: { fsyncIntervalMs: number; onError: (error: unknown) => void }) {
    this.#dir = dir;
    this.#fsyncIntervalMs = options.fsyncIntervalMs;
    this.#onError = options.onError;
  }

  async keys(workshopId: string): Promise<string[]> {
    const root = path.join(this.#dir, workshopId);
    const entries = await readdir(root, { recursive: true }).catch(() => [] as string[]);
    const keys = new Set<string>();
    for (const entry of entries) {
      const match = /^(.*)[/\\]\d+\.log$/.exec(entry);
      if (match) keys.add(match[1]!.split(path.sep).join('/'));
    }
    return [...keys];
  }

  async open(workshopId: string, roomId: string): Promise<OpenedJournal> {
    const dir = path.join(this.#dir, workshopId, roomId);
    await mkdir(dir, { recursive: true });
    const generations = (await readdir(dir))
      .map((name) => /^(\d+)\.log$/.exec(name))
      .filter((match): match is RegExpExecArray => match !== null)
      .map((match) => Number(match[1]))
      .sort((a, b) => a - b);
    const updates: Uint8Array[] = [];
    const problems: string[] = [];
    for (const generation of generations) {
      const file = path.join(dir, `${generation}.log`);
      const read = readRecords(await readFile(file));
      updates.push(...read.records);
      if (read.problem) problems.push(`${file}: ${read.problem}`);
    }
    // Appends always go to a fresh generation, so a torn tail is never written after.
    const next = (generations.at(-1) ?? 0) + 1;
    const journal = new FileJournal(dir, next, this.#fsyncIntervalMs, this.#onError);
    return { journal, updates, problems };
  }
}

/** Splits a journal file into intact records, stopping at the first torn or damaged one. */
export function readRecords(bytes: Uint8Array): { records: Uint8Array[]; problem: string | null } {
  const records: Uint8Array[] = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 0;
  while (offset < bytes.length) {
    if (bytes.length - offset < HEADER) return { records, problem: `torn record header at byte ${offset} (ignored)` };
    const length = view.getUint32(offset, true);
    const checksum = view.getUint32(offset + 4, true);
    if (length > MAX_RECORD) return { records, problem: `implausible record length at byte ${offset} (rest ignored)` };
    if (bytes.length - offset - HEADER < length) return { records, problem: `torn final record at byte ${offset} (ignored)` };
    const payload = bytes.subarray(offset + HEADER, offset + HEADER + length);
    if (crc32(payload) !== checksum) return { records, problem: `damaged record at byte ${offset} (rest ignored)` };
    records.push(new Uint8Array(payload));
    offset += HEADER + length;
  }
  return { records, problem: null };
}

/** Frames one update as a journal record. */
export function frameRecord(update: Uint8Array): Buffer {
  const record = Buffer.allocUnsafe(HEADER + update.length);
  record.writeUInt32LE(update.length, 0);
  record.writeUInt32LE(crc32(update), 4);
  record.set(update, HEADER);
  return record;
}

class FileJournal implements RoomJournal {
  readonly #dir: string;
  readonly #fsyncIntervalMs: number;
  readonly #onError: (error: unknown) => void;
  #generation: number;
  /** Records waiting to be written, by generation. */
  #queued = new Map<number, Buffer[]>();
  #handles = new Map<number, FileHandle>();
  #timer: NodeJS.Timeout | null = null;
  #flushing: Promise<void> = Promise.resolve();
  #closed = false;

  constructor(dir: string, generation: number, fsyncIntervalMs: number, onError: (error: unknown) => void) {
    this.#dir = dir;
    this.#generation = generation;
    this.#fsyncIntervalMs = fsyncIntervalMs;
    this.#onError = onError;
  }

  append(update: Uint8Array): void {
    if (this.#closed) throw new Error('the journal is closed');
    let queue = this.#queued.get(this.#generation);
    if (!queue) this.#queued.set(this.#generation, (queue = []));
    queue.push(frameRecord(update));
    this.#timer ??= setTimeout(() => {
      this.#timer = null;
      this.flush().catch(this.#onError);
    }, this.#fsyncIntervalMs);
  }

  seal(): number {
    return this.#generation++;
  }

  async dropThrough(generation: number): Promise<void> {
    await this.flush();
    for (const name of await readdir(this.#dir)) {
      const match = /^(\d+)\.log$/.exec(name);
      if (match && Number(match[1]) <= generation) await unlink(path.join(this.#dir, name)).catch(ignoreMissing);
    }
  }

  flush(): Promise<void> {
    if (this.#timer) {
      clearTimeout(this.#timer);
      this.#timer = null;
    }
    const run = this.#flushing.catch(() => undefined).then(() => this.#writeQueued());
    this.#flushing = run;
    return run;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    await this.flush();
    this.#closed = true;
    for (const handle of this.#handles.values()) await handle.close();
    this.#handles.clear();
  }

  async #writeQueued(): Promise<void> {
    const batches = this.#queued;
    if (batches.size === 0) return;
    this.#queued = new Map();
    try {
      for (const [generation, records] of batches) {
        const handle = await this.#handle(generation);
        await handle.write(Buffer.concat(records));
        await handle.sync();
      }
    } catch (error) {
      // Put them back in front, so nothing is lost and order is kept; the next flush retries.
      // A batch that was written before the failure is written again: replaying a Yjs update twice is harmless.
      for (const [generation, records] of this.#queued) {
        batches.set(generation, [...(batches.get(generation) ?? []), ...records]);
      }
      this.#queued = batches;
      throw error;
    }
    for (const [generation, handle] of this.#handles) {
      if (generation < this.#generation) {
        this.#handles.delete(generation);
        await handle.close();
      }
    }
  }

  async #handle(generation: number): Promise<FileHandle> {
    let handle = this.#handles.get(generation);
    if (!handle) {
      handle = await open(path.join(this.#dir, `${generation}.log`), 'a', 0o600);
      this.#handles.set(generation, handle);
      // The new file's name must be durable too.
      const dir = await open(this.#dir, 'r');
      await dir.sync().finally(() => dir.close());
    }
    return handle;
  }
}

function ignoreMissing(error: NodeJS.ErrnoException) {
  if (error.code !== 'ENOENT') throw error;
}
