import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CardView, CreateWorkshopResponse } from '@goldthread/shared';
import { REPO_ROOT, startServer, type RunningServer } from '../e2e/support/server.js';
import { api, createWorkshop, facilitatorToken } from './support/server.js';
import { within } from './support/yjs-clients.js';

// These tests run the BUILT server (`pnpm build`; `pnpm test` builds first) as real processes.
const servers: RunningServer[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.kill();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function start(dataDir: string) {
  const server = await startServer({ dataDir });
  servers.push(server);
  return server;
}

function freshDataDir() {
  const dir = mkdtempSync(path.join(tmpdir(), 'goldthread-process-'));
  dirs.push(dir);
  return dir;
}

const cardsRoute = (workshop: CreateWorkshopResponse) => `/api/workshops/${workshop.id}/rooms/${workshop.rooms[0]!.id}/cards`;

describe('a crash (SIGKILL) during a burst of cards over HTTP', () => {
  it('loses no card whose 201 had arrived', async () => {
    const dataDir = freshDataDir();
    const server = await start(dataDir);
    const workshop = await createWorkshop(server.url);
    const token = await facilitatorToken(server.url, workshop);
    const auth = { authorization: `Bearer ${token}` };

    // Eight clients post cards back to back; the server is killed just after the 300th 201, with
    // requests still in flight. A bounded burst on loopback: at most 1,500 cards.
    const acknowledged: string[] = [];
    let sent = 0;
    let killed: Promise<void> | null = null;
    const poster = async (worker: number) => {
      while (!killed && sent < 1500) {
        const text = `Worker ${worker} card ${++sent}`;
        try {
          const reply = await api(server.url, 'POST', cardsRoute(workshop), { boardId: workshop.boards[0]!.id, text }, auth);
          if (reply.status !== 201) throw new Error(`card refused: ${reply.status} ${JSON.stringify(reply.body)}`);
          acknowledged.push(text);
          if (acknowledged.length === 300) killed = server.kill();
        } catch (error) {
          if (!killed) throw error;
          // In flight when the process died: never acknowledged, so not promised.
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, (_, worker) => poster(worker)));
    await killed;
    expect(acknowledged.length).toBeGreaterThanOrEqual(300);

    const restarted = await start(dataDir);
    const { status, body } = await api<CardView[]>(restarted.url, 'GET', cardsRoute(workshop), undefined, auth);
    expect(status).toBe(200);
    const present = new Set(body.map((card) => card.text));
    console.log(`HTTP crash test: ${sent} cards sent, ${acknowledged.length} acknowledged, ${present.size} present after restart`);
    expect(acknowledged.filter((text) => !present.has(text))).toEqual([]);
  });
});

/** Runs the built server on `dataDir` and resolves with how it ended, if it ends within `timeoutMs`. */
function runToExit(dataDir: string, timeoutMs = 15_000): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'server/dist/main.js')], {
    cwd: REPO_ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', GOLDTHREAD_DATA_DIR: dataDir, NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'pipe']
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const exited = new Promise<{ code: number | null; output: string }>((resolve) => child.once('exit', (code) => resolve({ code, output })));
  return within(exited, timeoutMs, 'the second server to exit').finally(() => child.kill('SIGKILL'));
}

describe('one process per data directory', () => {
  it('a second server on the same data directory refuses with a clear message and a non-zero exit; the first keeps serving', async () => {
    const dataDir = freshDataDir();
    const first = await start(dataDir);
    const workshop = await createWorkshop(first.url);

    const second = await runToExit(dataDir);
    expect(second.code).not.toBe(0);
    expect(second.output).toMatch(/Another Goldthread process \(pid \d+\) is already using the data directory/);
    expect(second.output).not.toMatch(/listening on/);

    const token = await facilitatorToken(first.url, workshop);
    expect((await api(first.url, 'POST', cardsRoute(workshop), { boardId: workshop.boards[0]!.id, text: 'Still here' }, { authorization: `Bearer ${token}` })).status).toBe(201);
  });

  it('the lock left by a killed server does not block its restart, and a clean stop releases it', async () => {
    const dataDir = freshDataDir();
    const first = await start(dataDir);
    await first.kill();
    const restarted = await start(dataDir);
    expect((await api(restarted.url, 'GET', '/api/health')).status).toBe(200);
    await restarted.stop();
    const again = await start(dataDir);
    expect((await api(again.url, 'GET', '/api/health')).status).toBe(200);
  });
});
