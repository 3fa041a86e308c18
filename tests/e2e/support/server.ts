import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (tests/e2e/support is three levels below it). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const SERVER_ENTRY = path.join(REPO_ROOT, 'server/dist/main.js');
const LISTENING = /listening on (http:\/\/127\.0\.0\.1:(\d+))/;
const START_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 15_000;

export interface StartOptions {
  /** 0 (the default) lets the OS choose; a restart passes the port it had. */
  port?: number;
  /** Where the server keeps its files; a fresh temporary folder by default. */
  dataDir?: string;
  /** More environment for the server (GOLDTHREAD_WEB_BUILD, ...). */
  env?: Record<string, string>;
}

/** A running, built Goldthread server in a child process. */
export interface RunningServer {
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  /** Everything the server wrote to stderr (and stdout), for failure messages. */
  output(): string;
  /** SIGTERM, then wait for the exit; rejects if it does not exit cleanly. */
  stop(): Promise<void>;
  /** SIGKILL, as a crash would: no chance to save anything. Resolves once the process is gone. */
  kill(): Promise<void>;
  /** Stops and starts again on the same port with the same data. */
  restart(): Promise<RunningServer>;
  /** Stops (if running) and deletes the data folder when this harness made it. */
  dispose(): Promise<void>;
}

/** Starts `node server/dist/main.js` and resolves once it prints its listening line. */
export async function startServer(options: StartOptions = {}): Promise<RunningServer> {
  if (!existsSync(SERVER_ENTRY)) {
    throw new Error(`${SERVER_ENTRY} is missing: run "pnpm -w run build" before the browser tests.`);
  }
  const ownsDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), 'goldthread-e2e-'));
  return launch(options.port ?? 0, dataDir, ownsDataDir, options.env ?? {});
}

async function launch(port: number, dataDir: string, ownsDataDir: boolean, extraEnv: Record<string, string>): Promise<RunningServer> {
  const child = spawn(process.execPath, [SERVER_ENTRY], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      GOLDTHREAD_DATA_DIR: dataDir,
      NODE_ENV: 'production',
      ...extraEnv
    },
    stdio: ['ignore', 'pipe', 'pipe']
  });

  let log = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (log += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const url = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    let settled = false;
    const timer = setTimeout(() => fail(`did not print its listening line within ${START_TIMEOUT_MS} ms`), START_TIMEOUT_MS);
    function fail(why: string) {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`The Goldthread server ${why}.\n--- output ---\n${stdout}${log}`));
    }
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      log += chunk;
      const match = LISTENING.exec(stdout);
      if (match && !settled) {
        settled = true;
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once('error', (error) => fail(`could not be started: ${error.message}`));
    void exited.then((code) => fail(`exited with code ${code} before listening`));
  });
  const actualPort = Number(new URL(url).port);

  let stopped: Promise<void> | null = null;
  const server: RunningServer = {
    url,
    port: actualPort,
    dataDir,
    output: () => log,
    stop() {
      stopped ??= (async () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
        child.kill('SIGTERM');
        const code = await exited;
        clearTimeout(timer);
        if (code !== 0) throw new Error(`The Goldthread server exited with code ${code} on SIGTERM.\n--- output ---\n${log}`);
      })();
      return stopped;
    },
    kill() {
      stopped ??= (async () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.kill('SIGKILL');
        await exited;
      })();
      return stopped;
    },
    async restart() {
      await server.stop();
      return launch(actualPort, dataDir, ownsDataDir, extraEnv);
    },
    async dispose() {
      try {
        await server.stop();
      } finally {
        if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true });
      }
    }
  };
  return server;
}
