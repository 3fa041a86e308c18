import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (tests/bench/support is three levels below it). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const GOLDTHREAD_ENTRY = path.join(REPO_ROOT, 'server/dist/main.js');
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 15_000;

/** A server under test, running in its own child process on 127.0.0.1. */
export interface BenchServer {
  readonly kind: 'goldthread' | 'reference';
  readonly pid: number;
  readonly port: number;
  /** http://127.0.0.1:<port> */
  readonly url: string;
  readonly dataDir: string | null;
  /** The last lines the server printed, for failure messages. */
  output(): string;
  /** SIGTERM, then SIGKILL after a grace period; resolves once the process has exited. */
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();

/** Kills every server this process started; run on exit and on signals. */
export function killAllServers(): void {
  for (const child of running) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  running.clear();
}

/**
 * Runs `node <args>` with the open-files limit raised to the hard limit (1,000 clients need
 * more than the usual 1,024 descriptors), resolving once `listening` matches a line it printed.
 */
async function launch(
  kind: BenchServer['kind'],
  args: string[],
  env: NodeJS.ProcessEnv,
  listening: RegExp,
  dataDir: string | null,
  cleanup: () => void
): Promise<BenchServer> {
  const child = spawn('bash', ['-c', 'ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "$0" "$@"', process.execPath, ...args], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe']
  });
  running.add(child);
  let log = '';
  // BENCH_SERVER_LOG_DIR keeps each server's whole output (e.g. with --trace-gc in BENCH_GOLDTHREAD_NODE_FLAGS).
  const logFile = process.env.BENCH_SERVER_LOG_DIR ? path.join(process.env.BENCH_SERVER_LOG_DIR, `${kind}-${Date.now()}.log`) : null;
  const remember = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-8000);
    if (logFile) appendFileSync(logFile, chunk);
  };
  child.stdout!.on('data', remember);
  child.stderr!.on('data', remember);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  exited.then(() => running.delete(child));

  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${kind} did not start within ${START_TIMEOUT_MS} ms:\n${log}`)), START_TIMEOUT_MS);
    const check = () => {
      const match = listening.exec(log);
      if (match) {
        clearTimeout(timer);
        child.stdout!.off('data', check);
        resolve(Number(match[1]));
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${kind} exited with ${code} before listening:\n${log}`));
    });
  });

  let stopping: Promise<void> | null = null;
  return {
    kind,
    pid: child.pid!,
    port,
    url: `http://127.0.0.1:${port}`,
    dataDir,
    output: () => log,
    stop: () => {
      stopping ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGTERM');
          const killer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
          await exited;
          clearTimeout(killer);
        }
        cleanup();
      })();
      return stopping;
    }
  };
}

export interface GoldthreadOptions {
  journal?: boolean;
  roomIdleMs?: number;
  /** Reuse a data folder (e.g. to compare with a restarted server); a fresh one by default. */
  dataDir?: string;
  /** Extra node flags, e.g. --cpu-prof for profiling. */
  nodeFlags?: string[];
  /** The server's log level; `warn` keeps the bench's output quiet. */
  logLevel?: 'warn' | 'info';
}

/** Starts the built Goldthread server (`node server/dist/main.js`) on a free port. */
export async function startGoldthread(options: GoldthreadOptions = {}): Promise<BenchServer> {
  if (!existsSync(GOLDTHREAD_ENTRY)) throw new Error(`${GOLDTHREAD_ENTRY} is missing: run "pnpm -w run build".`);
  const ownsDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), 'goldthread-bench-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    NODE_ENV: 'production',
    GOLDTHREAD_DATA_DIR: dataDir,
    GOLDTHREAD_LOG_LEVEL: options.logLevel ?? 'warn',
    GOLDTHREAD_JOURNAL: options.journal === false ? 'off' : 'on',
    ...(options.roomIdleMs !== undefined && { GOLDTHREAD_ROOM_IDLE_MS: String(options.roomIdleMs) })
  };
  // BENCH_GOLDTHREAD_NODE_FLAGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") profiles every Goldthread run.
  const fromEnv = process.env.BENCH_GOLDTHREAD_NODE_FLAGS?.split(' ').filter(Boolean) ?? [];
  return launch(
    'goldthread',
    [...fromEnv, ...(options.nodeFlags ?? []), GOLDTHREAD_ENTRY],
    env,
    /Goldthread listening on http:\/\/127\.0\.0\.1:(\d+)/,
    dataDir,
    () => {
      if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true });
    }
  );
}

/** The reference y-websocket server's entry, resolved from this package's pinned dependency. */
function referenceEntry(): string {
  const require = createRequire(import.meta.url);
  const pkg = require.resolve('@y/websocket-server/package.json');
  return path.join(path.dirname(pkg), 'src/server.js');
}

/** Starts the reference `@y/websocket-server` (0.1.1, in-memory documents) on a free port. */
export async function startReference(port: number): Promise<BenchServer> {
  const env: NodeJS.ProcessEnv = { ...process.env, HOST: '127.0.0.1', PORT: String(port), NODE_ENV: 'production' };
  delete env.YPERSISTENCE;
  const server = await launch('reference', [referenceEntry()], env, /running at '127\.0\.0\.1' on port (\d+)/, null, () => undefined);
  return server;
}

/** True when any source of the web app or server is newer than their builds (the rule `pnpm start` uses). */
export function buildIsStale(): boolean {
  const sources = ['shared/src', 'server/src', 'web/src', 'web/static', 'web/svelte.config.js', 'web/vite.config.ts'];
  const outputs = ['server/dist/main.js', 'web/build/handler.js'];
  const newest = (target: string): number => {
    const full = path.join(REPO_ROOT, target);
    if (!existsSync(full)) return 0;
    const stat = statSync(full);
    if (!stat.isDirectory()) return stat.mtimeMs;
    return readdirSync(full).reduce((max, name) => Math.max(max, newest(path.join(target, name))), stat.mtimeMs);
  };
  const built = Math.min(...outputs.map(newest));
  return built === 0 || sources.some((source) => newest(source) > built);
}

/** Builds the production server and web app (`pnpm -w run build`); throws when the build fails. */
export function buildProduction(): void {
  const result = spawnSync('pnpm', ['-w', 'run', 'build'], { cwd: REPO_ROOT, stdio: 'inherit', timeout: 600_000 });
  if (result.status !== 0) throw new Error(`pnpm -w run build failed (exit ${result.status})`);
}
