import { readdirSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Request, RequestHandler, Response } from 'express';
import type { Logger } from '../logger.js';

/** Precompressed twins a build writes beside each file, best first. */
const ENCODINGS = [
  { name: 'br', suffix: '.br' },
  { name: 'gzip', suffix: '.gz' }
] as const;

/**
 * The web build's static files (`build/client`), served before SvelteKit's own handler so that a
 * file that disappears — a new build replacing the folder under a running server — is answered
 * 404 and logged instead of failing a stream nobody listens to. The file is opened before
 * anything is sent, and a read that fails after the headers ends that response alone.
 * Files are those present at start (as SvelteKit's handler knows them); anything else falls
 * through to it.
 */
export function staticFiles(root: string, logger: Logger): RequestHandler {
  const files = new Set(listFiles(root));
  return (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      next();
      return;
    }
    const name = fileNameOf(req);
    if (name === null || !files.has(name)) {
      next();
      return;
    }
    serveFile(req, res, root, name, files, logger).catch((error: unknown) => {
      // A browser that goes away mid-file is not a failure.
      if ((error as NodeJS.ErrnoException).code !== 'ERR_STREAM_PREMATURE_CLOSE') logger.error(`serving ${name} failed`, error);
      if (!res.headersSent) res.status(500).type('text/plain').send('The file could not be read.');
      else res.destroy();
    });
  };
}

async function serveFile(req: Request, res: Response, root: string, name: string, files: Set<string>, logger: Logger) {
  const accepted = String(req.headers['accept-encoding'] ?? '');
  const candidates = [
    ...ENCODINGS.filter((encoding) => files.has(name + encoding.suffix) && new RegExp(`\\b${encoding.name}\\b`).test(accepted)),
    { name: null, suffix: '' }
  ];
  let handle: FileHandle | null = null;
  let encoding: string | null = null;
  for (const candidate of candidates) {
    try {
      handle = await open(path.join(root, name + candidate.suffix), 'r');
      encoding = candidate.name;
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  if (!handle) {
    logger.warn(`${name} is gone from the web build (was it rebuilt under the running server?); answered 404`);
    res.status(404).type('text/plain').send('Not found.');
    return;
  }
  try {
    const stats = await handle.stat();
    const etag = `W/"${stats.size}-${stats.mtime.getTime()}"`;
    res.type(path.extname(name) || 'application/octet-stream');
    res.setHeader('ETag', etag);
    res.setHeader('Last-Modified', stats.mtime.toUTCString());
    res.setHeader('Vary', 'Accept-Encoding');
    if (name.startsWith('/_app/immutable/')) res.setHeader('Cache-Control', 'public,max-age=31536000,immutable');
    if (req.headers['if-none-match'] === etag) {
      res.status(304).end();
      return;
    }
    if (encoding) res.setHeader('Content-Encoding', encoding);
    res.setHeader('Content-Length', String(stats.size));
    res.status(200);
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    await pipeline(handle.createReadStream({ autoClose: false }), res);
  } finally {
    await handle.close();
  }
}

/** The request's path as a file name ("/_app/x.js"), or null when it cannot be one. */
function fileNameOf(req: Request): string | null {
  try {
    const pathname = decodeURIComponent(new URL(req.originalUrl, 'http://x').pathname);
    return pathname.includes('\0') ? null : pathname;
  } catch {
    return null;
  }
}

/** Every file under `root`, as "/relative/path". */
function listFiles(root: string, prefix = ''): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(path.join(root, prefix), { withFileTypes: true })) {
    const relative = `${prefix}/${entry.name}`;
    if (entry.isDirectory()) found.push(...listFiles(root, relative));
    else if (entry.isFile()) found.push(relative);
  }
  return found;
}
