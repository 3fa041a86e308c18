import { mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** The file that says which process owns a data directory. */
export const LOCK_FILE = 'goldthread.lock';

/** Another process already serves this data directory. */
export class DataDirLockedError extends Error {}

/** A held lock on a data directory; `release` is idempotent. */
export interface DataDirLock {
  readonly file: string;
  release(): void;
}

/** Data directories locked by this process, so a lock file naming our own pid that we did not take is known to be stale. */
const heldHere = new Set<string>();

/**
 * Takes the data directory for this process: two servers on one directory would each keep their
 * own copy of a room, and the last save would win. The lock is a file holding the owner's pid;
 * one left by a process that no longer runs (killed, crashed) is taken over.
 */
export function lockDataDir(dataDir: string): DataDirLock {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, LOCK_FILE);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      writeFileSync(file, `${process.pid}\n`, { flag: 'wx', mode: 0o600 });
      heldHere.add(file);
      let released = false;
      return {
        file,
        release() {
          if (released) return;
          released = true;
          heldHere.delete(file);
          try {
            unlinkSync(file);
          } catch {
            // Already gone: nothing to release.
          }
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = lockOwner(file);
    if (owner !== null && isRunning(owner) && (owner !== process.pid || heldHere.has(file))) {
      throw new DataDirLockedError(
        `Another Goldthread process (pid ${owner}) is already using the data directory ${dataDir}. ` +
          `Stop it first, or give this one its own GOLDTHREAD_DATA_DIR. If no such process runs, delete ${file}.`
      );
    }
    // Stale (its process is gone) or unreadable: take it over.
    try {
      unlinkSync(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  throw new DataDirLockedError(`Could not take the lock ${file}: other processes keep taking it.`);
}

function lockOwner(file: string): number | null {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
