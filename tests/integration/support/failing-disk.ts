import { localDisk, type Disk, type WritableFile } from '@goldthread/server';

/** An errno-style error, as Node's file system raises it. */
function fsError(code: string): NodeJS.ErrnoException {
  const messages: Record<string, string> = { ENOSPC: 'no space left on device', EIO: 'i/o error' };
  return Object.assign(new Error(`${code}: ${messages[code] ?? 'failed'}, write`), { code, errno: -1, syscall: 'write' });
}

/**
 * The real disk, except that while `fail()` is in force every write behaves as on a full (or
 * failing) disk: files can still be created, but writing stores half the bytes and then throws,
 * and fsync throws. Renames, deletions and reads keep working, as they do on a full disk.
 */
export class FailingDisk implements Disk {
  #failure: string | null = null;

  /** From now on, writes fail with this code (ENOSPC by default). */
  fail(code = 'ENOSPC'): void {
    this.#failure = code;
  }

  /** Writes succeed again, as when space returns. */
  heal(): void {
    this.#failure = null;
  }

  async openForWriting(file: string, flags: 'w' | 'a'): Promise<WritableFile> {
    const real = await localDisk.openForWriting(file, flags);
    return {
      write: async (bytes) => {
        if (this.#failure === null) return real.write(bytes);
        const buffer = typeof bytes === 'string' ? Buffer.from(bytes) : bytes;
        await real.write(buffer.subarray(0, Math.floor(buffer.length / 2)));
        throw fsError(this.#failure);
      },
      sync: async () => {
        if (this.#failure !== null) throw fsError(this.#failure);
        return real.sync();
      },
      truncate: (length) => real.truncate(length),
      size: () => real.size(),
      close: () => real.close()
    };
  }

  rename(from: string, to: string) {
    return localDisk.rename(from, to);
  }

  unlink(file: string) {
    return localDisk.unlink(file);
  }

  syncFolder(folder: string) {
    return localDisk.syncFolder(folder);
  }
}
