import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataDirLockedError, LOCK_FILE, lockDataDir } from '../../server/src/store/data-dir-lock.js';

const freshDir = () => mkdtempSync(path.join(tmpdir(), 'goldthread-lock-'));

/** The pid of a process that has exited, so nothing runs under it now. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

describe('the data directory lock', () => {
  it('holds the owner’s pid, refuses a second owner, and is free again once released', () => {
    const dir = freshDir();
    const lock = lockDataDir(dir);
    expect(readFileSync(path.join(dir, LOCK_FILE), 'utf8').trim()).toBe(String(process.pid));
    expect(() => lockDataDir(dir)).toThrow(DataDirLockedError);
    expect(() => lockDataDir(dir)).toThrow(new RegExp(`pid ${process.pid}\\) is already using the data directory`));
    lock.release();
    expect(existsSync(path.join(dir, LOCK_FILE))).toBe(false);
    lockDataDir(dir).release();
  });

  it('takes over a lock whose process no longer runs', () => {
    const dir = freshDir();
    writeFileSync(path.join(dir, LOCK_FILE), `${deadPid()}\n`);
    const lock = lockDataDir(dir);
    expect(readFileSync(path.join(dir, LOCK_FILE), 'utf8').trim()).toBe(String(process.pid));
    lock.release();
  });

  it('takes over a lock naming this very pid that this process never took (a restarted container, a copied folder)', () => {
    const dir = freshDir();
    writeFileSync(path.join(dir, LOCK_FILE), `${process.pid}\n`);
    lockDataDir(dir).release();
  });

  it('takes over an empty or unreadable lock file', () => {
    const dir = freshDir();
    writeFileSync(path.join(dir, LOCK_FILE), 'not a pid');
    lockDataDir(dir).release();
  });
});
