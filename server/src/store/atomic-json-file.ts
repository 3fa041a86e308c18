import { open, readFile, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Adapter } from 'lowdb';

/**
 * A lowdb adapter that never leaves a half-written file: it writes a temp file, fsyncs it,
 * renames it over the target and fsyncs the directory. Reads report a parse failure as an
 * error naming the file, and never touch it.
 */
export class AtomicJsonFile<T> implements Adapter<T> {
  readonly #file: string;
  #writing: Promise<void> = Promise.resolve();

  constructor(file: string) {
    this.#file = file;
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
    const next = this.#writing.then(() => writeAtomically(this.#file, JSON.stringify(data)));
    this.#writing = next.catch(() => undefined);
    return next;
  }
}

let tempCounter = 0;

async function writeAtomically(file: string, text: string): Promise<void> {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${++tempCounter}.tmp`);
  const handle = await open(temp, 'w', 0o600);
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temp, file);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  const dir = await open(path.dirname(file), 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}
