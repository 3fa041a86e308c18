import { open, rename, unlink } from 'node:fs/promises';

/** A file open for writing. `write` writes every byte it is given, or throws. */
export interface WritableFile {
  write(bytes: Uint8Array | string): Promise<void>;
  sync(): Promise<void>;
  /** Cuts the file back to `length` bytes, e.g. to drop a half-written record. */
  truncate(length: number): Promise<void>;
  /** Its size now. */
  size(): Promise<number>;
  close(): Promise<void>;
}

/**
 * The file operations the stores write through. Reads go to the file system directly; every
 * write goes through here, so a test can make the disk fail as a full or failing one does.
 */
export interface Disk {
  /** Opens a file for writing: `w` creates or empties it, `a` appends to it. */
  openForWriting(file: string, flags: 'w' | 'a'): Promise<WritableFile>;
  rename(from: string, to: string): Promise<void>;
  unlink(file: string): Promise<void>;
  /** Fsyncs a folder, so the names created or renamed in it are durable. */
  syncFolder(folder: string): Promise<void>;
}

/** The real file system. */
export const localDisk: Disk = {
  async openForWriting(file, flags) {
    const handle = await open(file, flags, 0o600);
    return {
      write: (bytes) => handle.writeFile(bytes),
      sync: () => handle.sync(),
      truncate: (length) => handle.truncate(length),
      size: async () => (await handle.stat()).size,
      close: () => handle.close()
    };
  },
  rename,
  unlink,
  async syncFolder(folder) {
    const handle = await open(folder, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  }
};
