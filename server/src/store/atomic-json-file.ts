import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Adapter } from 'lowdb';
import { localDisk, type Disk } from './disk.js';
import { storageError } from './storage-error.js';

/**
 * A lowdb adapter that never leaves a half-written file: it writes a temp file, fsyncs it,
 * renames it over the target and fsyncs the folder. A write that fails (a full disk) removes
 * its temp file and rejects with a StorageError. Reads report a parse failure as an error
 * naming the file, and never touch it.
 */
export class AtomicJsonFile<T> implements Adapter<T> {
  readonly #file: string;
  readonly #disk: Disk;
  readonly #onWriteError: ((file: string, error: unknown) => void) | undefined;
  #writing: Promise<void> = Promise.resolve();

  constructor(file: string, options: AtomicJsonFileOptions = {}) {
    this.#file = file;
    this.#disk = options.disk ?? localDisk;
    this.#onWriteError = options.onWriteError;
  }

  async read(): Promise<T | null> {
    let text: string;
    try {
      text = await readFile(this.#file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    try {
      return JSON.parse(text) as T;
    } catch (error) {
      throw new Error(
        text.trim() === '' ? `${this.#file} is empty` : `${this.#file} is not valid JSON (${(error as Error).message})`
      );
    }
  }

  /** Writes are queued so two saves of the same file never interleave. */
  write(data: T): Promise<void> {
    const next = this.#writing.then(() =>
      writeAtomically(this.#disk, this.#file, JSON.stringify(data)).catch((error: unknown) => {
        this.#onWriteError?.(this.#file, error);
        throw storageError(error);
      })
    );
    this.#writing = next.catch(() => undefined);
    return next;
  }
}

export interface AtomicJsonFileOptions {
  /** Where writes go; the real file system by default. */
  disk?: Disk;
  /** Told of every failed write (with the file system's error) before the caller gets a StorageError. */
  onWriteError?: (file: string, error: unknown) => void;
}

let tempCounter = 0;

async function writeAtomically(disk: Disk, file: string, text: string): Promise<void> {
  const folder = path.dirname(file);
  const temp = path.join(folder, `.${path.basename(file)}.${process.pid}.${++tempCounter}.tmp`);
  let renamed = false;
  try {
    const handle = await disk.openForWriting(temp, 'w');
    try {
      await handle.write(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await disk.rename(temp, file);
    renamed = true;
    await disk.syncFolder(folder);
  } catch (error) {
    if (!renamed) await disk.unlink(temp).catch(() => undefined);
    throw error;
  }
}
