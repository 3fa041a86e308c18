import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, symlinkSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { REPO_ROOT, startServer, type RunningServer } from '../e2e/support/server.js';

// These tests run the BUILT server and web app (`pnpm build`; `pnpm test` builds first).
const WEB_BUILD = path.join(REPO_ROOT, 'web/build');
const servers: RunningServer[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.dispose();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A copy of the web build that a test may damage; its imports still resolve through web/node_modules. */
function copyOfWebBuild(): string {
  if (!existsSync(path.join(WEB_BUILD, 'handler.js'))) throw new Error(`${WEB_BUILD} is missing: run "pnpm build" first.`);
  const dir = mkdtempSync(path.join(tmpdir(), 'goldthread-web-'));
  dirs.push(dir);
  cpSync(WEB_BUILD, path.join(dir, 'build'), { recursive: true });
  symlinkSync(path.join(REPO_ROOT, 'web/node_modules'), path.join(dir, 'node_modules'), 'dir');
  return path.join(dir, 'build');
}

/** A script of the build that has a Brotli twin, as "/_app/immutable/…". */
function precompressedScript(build: string): string {
  const dir = path.join(build, 'client/_app/immutable/chunks');
  const name = readdirSync(dir).find((file) => file.endsWith('.js') && existsSync(path.join(dir, `${file}.br`)));
  if (!name) throw new Error('the build has no precompressed script');
  return `/_app/immutable/chunks/${name}`;
}

async function start(build: string) {
  const server = await startServer({ env: { GOLDTHREAD_WEB_BUILD: build } });
  servers.push(server);
  return server;
}

const brotli = { 'accept-encoding': 'br, gzip' };

describe('static files of the web build', () => {
  it('a precompressed asset deleted under the running server answers 404, and the server keeps serving', async () => {
    const build = copyOfWebBuild();
    const server = await start(build);
    const asset = precompressedScript(build);
    const before = await fetch(`${server.url}${asset}`, { headers: brotli });
    expect(before.status).toBe(200);
    expect(before.headers.get('content-encoding')).toBe('br');
    expect(before.headers.get('cache-control')).toContain('immutable');
    await before.arrayBuffer();

    // A new build replaces the folder: this file and its twins are gone.
    for (const suffix of ['', '.br', '.gz']) rmSync(path.join(build, 'client', `${asset}${suffix}`), { force: true });
    const gone = await fetch(`${server.url}${asset}`, { headers: brotli });
    expect(gone.status).toBe(404);
    await gone.text();

    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
    const page = await fetch(`${server.url}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<html');
    expect(server.output()).toContain('is gone from the web build');
  });

  it('when only the Brotli twin is gone, the file is still served (gzip or plain)', async () => {
    const build = copyOfWebBuild();
    const server = await start(build);
    const asset = precompressedScript(build);
    unlinkSync(path.join(build, 'client', `${asset}.br`));
    const answer = await fetch(`${server.url}${asset}`, { headers: brotli });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-encoding')).not.toBe('br');
    expect((await answer.text()).length).toBeGreaterThan(0);
    const revalidated = await fetch(`${server.url}${asset}`, { headers: { 'if-none-match': answer.headers.get('etag') ?? '' } });
    expect(revalidated.status).toBe(304);
  });
});
