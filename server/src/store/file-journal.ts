import { mkdir, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { localDisk, type Disk, type WritableFile } from './disk.js';
import { frameRecord, readRecords } from './journal-records.js';
import { storageError } from './storage-error.js';
import type { JournalStore, OpenedJournal, RoomJournal } from './journal.js';
import type { Logger } from '../logger.js';

export { frameRecord, readRecords } from './journal-records.js';

/** After a failed write, the journal tries again this often until it succeeds. */
const RETRY_MS = 1000;
/** What a damaged generation is renamed to once a snapshot holds what could be read of it. */
const KEPT_ASIDE = '.damaged';

export interface FileJournalStoreOptions {
  fsyncIntervalMs: number;
  logger: Logger;
  /** Where writes go; the real file system by default. */
  disk?: Disk;
}

/**
 * Journals as files: `<dir>/<workshopId>/<roomId>/<generation>.log`, each a run of
 * length + CRC framed Yjs updates, group-fsynced every `fsyncIntervalMs`.
 */
export class FileJournalStore implements JournalStore {
  readonly #dir: string;
  readonly #options: FileJournalStoreOptions;

  constructor(dir: string, options: FileJournalStoreOptions) {
    this.#dir = dir;
    this.#options = options;
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
    const damaged = new Set<number>();
    for (const generation of generations) {
      const file = path.join(dir, `${generation}.log`);
      const read = readRecords(await readFile(file));
      updates.push(...read.records);
      for (const problem of read.problems) problems.push(`${file}: ${problem}`);
      if (read.damaged) {
        damaged.add(generation);
        problems.push(`${file} is damaged: it will be kept as ${file}${KEPT_ASIDE} (never deleted) once the room's next snapshot is saved`);
      }
    }
    // Appends always go to a fresh generation, so a torn tail is never written after.
    const next = (generations.at(-1) ?? 0) + 1;
    const { fsyncIntervalMs, logger, disk = localDisk } = this.#options;
    const journal = new FileJournal({ dir, generation: next, damaged, fsyncIntervalMs, logger, disk });
    return { journal, updates, problems };
  }
}

interface FileJournalOptions {
  dir: string;
  generation: number;
  /** Generations that were damaged when opened: kept aside, never deleted. */
  damaged: Set<number>;
  fsyncIntervalMs: number;
  logger: Logger;
  disk: Disk;
}

class FileJournal implements RoomJournal {
  readonly #options: FileJournalOptions;
  #generation: number;
  /** Records waiting to be written, by generation. */
  #queued = new Map<number, Buffer[]>();
  #files = new Map<number, { file: WritableFile; size: number }>();
  #timer: NodeJS.Timeout | null = null;
  #flushing: Promise<void> = Promise.resolve();
  /** True from a failed write until the next one succeeds, so a full disk is logged once, not every second. */
  #failing = false;
  #closed = false;

  constructor(options: FileJournalOptions) {
    this.#options = options;
    this.#generation = options.generation;
  }

  append(update: Uint8Array): void {
    if (this.#closed) throw new Error('the journal is closed');
    let queue = this.#queued.get(this.#generation);
    if (!queue) this.#queued.set(this.#generation, (queue = []));
    queue.push(frameRecord(update));
    this.#schedule(this.#options.fsyncIntervalMs);
  }

  seal(): number {
    return this.#generation++;
  }

  async dropThrough(generation: number): Promise<void> {
    await this.flush();
    const { dir, damaged, disk, logger } = this.#options;
    for (const name of await readdir(dir)) {
      const match = /^(\d+)\.log$/.exec(name);
      if (!match || Number(match[1]) > generation) continue;
      const file = path.join(dir, name);
      if (damaged.has(Number(match[1]))) {
        const aside = await freeName(`${file}${KEPT_ASIDE}`);
        await disk.rename(file, aside);
        damaged.delete(Number(match[1]));
        logger.warn(`the damaged journal file ${file} is kept as ${aside}; what could be read of it is in the room's snapshot`);
      } else {
        await disk.unlink(file).catch(ignoreMissing);
      }
    }
  }

  flush(): Promise<void> {
    if (this.#timer) {
      clearTimeout(this.#timer);
      this.#timer = null;
    }
    const run = this.#flushing.catch(() => undefined).then(() => this.#writeQueued());
    this.#flushing = run;
    // A failure is logged by #writeQueued; the records stay queued and are tried again.
    run.catch(() => this.#schedule(RETRY_MS, { retry: true }));
    return run;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    await this.flush();
    this.#closed = true;
    for (const { file } of this.#files.values()) await file.close();
    this.#files.clear();
  }

  /** Flushes after `delayMs`; a retry does not keep the process alive on its own. */
  #schedule(delayMs: number, { retry = false } = {}): void {
    if (this.#timer || this.#closed) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.flush().catch(() => undefined);
    }, delayMs);
    if (retry) this.#timer.unref();
  }

  async #writeQueued(): Promise<void> {
    const batches = this.#queued;
    if (batches.size === 0) return;
    this.#queued = new Map();
    try {
      for (const [generation, records] of batches) {
        await this.#write(generation, Buffer.concat(records));
        // Written and fsynced: a later failure must not write these again.
        batches.delete(generation);
      }
    } catch (error) {
      // Put the unwritten ones back in front, so nothing is lost and order is kept.
      for (const [generation, records] of this.#queued) {
        batches.set(generation, [...(batches.get(generation) ?? []), ...records]);
      }
      this.#queued = batches;
      if (!this.#failing) {
        this.#failing = true;
        this.#options.logger.error(
          `writing the journal in ${this.#options.dir} failed; its edits are kept in memory and written again every ${RETRY_MS / 1000} s`,
          error
        );
      }
      throw storageError(error);
    }
    if (this.#failing) {
      this.#failing = false;
      this.#options.logger.info(`writing the journal in ${this.#options.dir} works again`);
    }
    for (const [generation, { file }] of this.#files) {
      if (generation < this.#generation) {
        this.#files.delete(generation);
        await file.close();
      }
    }
  }

  /** Appends and fsyncs; a write that fails part-way is cut back off, so no half record stays in the file. */
  async #write(generation: number, bytes: Buffer): Promise<void> {
    const open = await this.#open(generation);
    try {
      await open.file.write(bytes);
      await open.file.sync();
      open.size += bytes.length;
    } catch (error) {
      await open.file.truncate(open.size).catch(() => undefined);
      throw error;
    }
  }

  async #open(generation: number) {
    let open = this.#files.get(generation);
    if (!open) {
      const { dir, disk } = this.#options;
      const file = await disk.openForWriting(path.join(dir, `${generation}.log`), 'a');
      try {
        open = { file, size: await file.size() };
        // The new file's name must be durable too.
        await disk.syncFolder(dir);
      } catch (error) {
        await file.close().catch(() => undefined);
        throw error;
      }
      this.#files.set(generation, open);
    }
    return open;
  }
}

/** `file`, or `file-2`, `file-3`… if that name is taken. */
async function freeName(file: string): Promise<string> {
  const taken = new Set(await readdir(path.dirname(file)));
  let name = file;
  for (let n = 2; taken.has(path.basename(name)); n++) name = `${file}-${n}`;
  return name;
}

function ignoreMissing(error: NodeJS.ErrnoException) {
  if (error.code !== 'ENOENT') throw error;
}
