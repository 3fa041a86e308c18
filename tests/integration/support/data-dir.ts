import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

/** Every file under a data directory, relative to it, sorted. */
export async function listDataDir(dataDir: string): Promise<string[]> {
  const entries = await readdir(dataDir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dataDir, path.join(entry.parentPath, entry.name)))
    .sort();
}

/**
 * The files under a data directory that hold `text`'s UTF-8 bytes: as they are, or inside a
 * base64 string of a JSON file (encoded Yjs states are kept that way).
 */
export async function filesHolding(dataDir: string, text: string): Promise<string[]> {
  const needle = Buffer.from(text, 'utf8');
  const found: string[] = [];
  for (const file of await listDataDir(dataDir)) {
    // A temp file of a write in flight may be gone by the time it is read.
    const bytes = await readFile(path.join(dataDir, file)).catch(() => null);
    if (!bytes) continue;
    if (bytes.includes(needle) || base64Strings(bytes).some((decoded) => decoded.includes(needle))) found.push(file);
  }
  return found;
}

/** Every long base64-looking string in a file, decoded. */
function base64Strings(bytes: Buffer): Buffer[] {
  const matches = bytes.toString('latin1').match(/[A-Za-z0-9+/]{16,}={0,2}/g) ?? [];
  return matches.map((match) => Buffer.from(match, 'base64'));
}
