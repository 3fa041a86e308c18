import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  createServer,
  loadConfig,
  type GoldthreadServer,
  type Disk,
  type ServerConfig,
  type WorkshopStore
} from '@goldthread/server';
import type { CreateWorkshopResponse, JoinResponse } from '@goldthread/shared';

export interface TestServer {
  server: GoldthreadServer;
  url: string;
  wsUrl: string;
  dataDir: string;
  config: ServerConfig;
  /** Stops the server; the data dir is kept for a restart unless `removeData`. */
  close(options?: { removeData?: boolean }): Promise<void>;
}

export interface NewServerOptions {
  dataDir?: string;
  store?: WorkshopStore;
  config?: Partial<ServerConfig>;
  /** Where the server writes (e.g. a FailingDisk); the real file system by default. */
  disk?: Disk;
}

/** Starts a real Goldthread server on port 0 with a fresh (or given) data dir; API only, no web app. */
export async function newServer(options: NewServerOptions = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(tmpdir(), 'goldthread-test-')));
  const config: ServerConfig = {
    ...loadConfig({}),
    host: '127.0.0.1',
    port: 0,
    dataDir,
    webBuildDir: null,
    logLevel: 'silent',
    ...options.config
  };
  const server = await createServer(config, { ...(options.store && { store: options.store }), ...(options.disk && { disk: options.disk }) });
  const address = await server.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${address.port}`;
  return {
    server,
    url,
    wsUrl: `ws://127.0.0.1:${address.port}/yjs`,
    dataDir,
    config,
    async close({ removeData = false } = {}) {
      await server.close();
      if (removeData) await rm(dataDir, { recursive: true, force: true });
    }
  };
}

/** Sends JSON (or a raw string body) and returns the status and parsed body. */
export async function api<T = unknown>(
  base: string,
  method: string,
  route: string,
  body?: unknown,
  headers: Record<string, string> = {}
): Promise<{ status: number; body: T; headers: Headers }> {
  const response = await fetch(`${base}${route}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body) })
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Left as text: the test will say what it expected.
  }
  return { status: response.status, body: parsed as T, headers: response.headers };
}

/** Creates a workshop with the default rooms and boards (or the given body). */
export async function createWorkshop(base: string, body: unknown = { title: 'Partnership workshop' }) {
  const { status, body: created } = await api<CreateWorkshopResponse>(base, 'POST', '/api/workshops', body);
  if (status !== 201) throw new Error(`creating a workshop failed: ${status} ${JSON.stringify(created)}`);
  return created;
}

/** Joins a workshop's room by name (North, Central, South...). */
export async function joinRoom(base: string, workshop: CreateWorkshopResponse, roomName: string, name = `Person in ${roomName}`) {
  const room = workshop.rooms.find((r) => r.name === roomName);
  if (!room) throw new Error(`no room ${roomName}`);
  const { status, body } = await api<JoinResponse>(base, 'POST', '/api/join', { code: workshop.joinCode, name, roomId: room.id });
  if (status !== 200) throw new Error(`joining failed: ${status} ${JSON.stringify(body)}`);
  return body;
}

/** A facilitator session token for a workshop. */
export async function facilitatorToken(base: string, workshop: CreateWorkshopResponse): Promise<string> {
  const { status, body } = await api<{ token: string }>(base, 'POST', `/api/workshops/${workshop.id}/facilitator-session`, undefined, {
    authorization: `Bearer ${workshop.facilitatorKey}`
  });
  if (status !== 200) throw new Error(`facilitator session failed: ${status}`);
  return body.token;
}
