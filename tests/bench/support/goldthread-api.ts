import { createServer } from 'node:net';

/** What POST /api/workshops answers (the fields the bench uses). */
export interface CreatedWorkshop {
  id: string;
  joinCode: string;
  facilitatorKey: string;
  rooms: { id: string; name: string }[];
  boards: { id: string; kind: string; title: string }[];
}

export interface JoinedParticipant {
  token: string;
  participantId: string;
  roomId: string;
  workshopId: string;
}

const REQUEST_TIMEOUT_MS = 30_000;

async function call<T>(base: string, method: string, route: string, body?: unknown, token?: string): Promise<T> {
  const response = await fetch(`${base}${route}`, {
    method,
    headers: {
      ...(body !== undefined && { 'content-type': 'application/json' }),
      ...(token !== undefined && { authorization: `Bearer ${token}` })
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS)
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${route} answered ${response.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

/** Creates a workshop; `boards` (up to 12) raises the card capacity of its rooms (500 per board). */
export function createWorkshop(
  base: string,
  title: string,
  options: { rooms?: string[]; boards?: number } = {}
): Promise<CreatedWorkshop> {
  const boards =
    options.boards === undefined
      ? undefined
      : Array.from({ length: options.boards }, (_, i) => ({ kind: 'brainstorm', title: `Board ${i + 1}`, prompt: 'Benchmark board' }));
  return call(base, 'POST', '/api/workshops', { title, ...(options.rooms && { rooms: options.rooms }), ...(boards && { boards }) });
}

/** Joins one participant to a room, as the web app does. */
export function join(base: string, code: string, name: string, roomId: string): Promise<JoinedParticipant> {
  return call(base, 'POST', '/api/join', { code, name, roomId });
}

/** Exchanges the facilitator key for a facilitator session token (opens every room). */
export async function facilitatorToken(base: string, workshopId: string, facilitatorKey: string): Promise<string> {
  const { token } = await call<{ token: string }>(base, 'POST', `/api/workshops/${workshopId}/facilitator-session`, undefined, facilitatorKey);
  return token;
}

/**
 * Joins `count` participants with at most `concurrency` requests in flight; resolves with
 * them (in order) and the latency of each request in ms.
 */
export async function joinMany(
  base: string,
  code: string,
  roomId: string,
  count: number,
  concurrency = 8,
  nameOf: (index: number) => string = (index) => `Bench ${index}`
): Promise<{ participants: JoinedParticipant[]; latenciesMs: number[]; seconds: number }> {
  const participants = new Array<JoinedParticipant>(count);
  const latenciesMs: number[] = [];
  let next = 0;
  const started = performance.now();
  const lane = async () => {
    while (next < count) {
      const index = next++;
      const t0 = performance.now();
      participants[index] = await join(base, code, nameOf(index), roomId);
      latenciesMs.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
  return { participants, latenciesMs, seconds: (performance.now() - started) / 1000 };
}

/** A port that was free a moment ago (for the reference server, which cannot report a port 0 choice). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** Times one GET with a bearer token; resolves with ms, status and body size. */
export async function timedGet(base: string, route: string, token: string): Promise<{ ms: number; status: number; bytes: number }> {
  const t0 = performance.now();
  const response = await fetch(`${base}${route}`, {
    headers: { authorization: `Bearer ${token}` },
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS)
  });
  const body = await response.arrayBuffer();
  return { ms: performance.now() - t0, status: response.status, bytes: body.byteLength };
}
