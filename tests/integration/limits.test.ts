import { afterEach, describe, expect, it } from 'vitest';
import { io } from 'socket.io-client';
import { SOCKET_PATH, type CreateWorkshopResponse, type JoinResponse } from '@goldthread/shared';
import { api, createWorkshop, facilitatorToken, joinRoom, newServer, type TestServer } from './support/server.js';
import { connected, controlClient, type ControlClient } from './support/control-client.js';
import { expectErrorBody } from './support/error-bodies.js';

const servers: TestServer[] = [];
const sockets: ControlClient[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.disconnect();
  for (const server of servers.splice(0)) await server.close({ removeData: true });
});

async function start(config: Parameters<typeof newServer>[0] = {}) {
  const server = await newServer(config);
  servers.push(server);
  return server;
}

/** A join code that is not `code` (same length and alphabet, last letter changed). */
function wrongCode(code: string, i: number): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ2345679';
  return code.slice(0, 3) + alphabet[i % alphabet.length]! + alphabet[Math.floor(i / alphabet.length) % alphabet.length]! + (code.endsWith('Q') ? 'R' : 'Q');
}

function join(server: TestServer, code: string, headers: Record<string, string> = {}) {
  return api<JoinResponse>(server.url, 'POST', '/api/join', { code, name: 'Someone at the venue' }, headers);
}

async function guessWrong(server: TestServer, workshop: CreateWorkshopResponse, times: number, headers: Record<string, string> = {}) {
  const statuses: number[] = [];
  for (let i = 0; i < times; i++) statuses.push((await join(server, wrongCode(workshop.joinCode, i), headers)).status);
  return statuses;
}

describe('wrong join codes', () => {
  it('a correct code joins after 50 wrong ones from the same address', async () => {
    const server = await start();
    const workshop = await createWorkshop(server.url);
    const statuses = await guessWrong(server, workshop, 50);
    expect(statuses.slice(0, 20).every((s) => s === 404)).toBe(true);
    expect(statuses.slice(-10).every((s) => s === 429)).toBe(true);

    const joined = await join(server, workshop.joinCode);
    expect(joined.status, JSON.stringify(joined.body)).toBe(200);
    const looked = await api(server.url, 'GET', `/api/join/${workshop.joinCode}`);
    expect(looked.status).toBe(200);
  });

  it('a wrong-code guesser is still limited, with Retry-After and the JSON error shape', async () => {
    const server = await start();
    const workshop = await createWorkshop(server.url);
    await guessWrong(server, workshop, 20);
    const refused = await join(server, wrongCode(workshop.joinCode, 99));
    expectErrorBody(refused, { status: 429, code: 'rate_limited' });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    const lookup = await api(server.url, 'GET', `/api/join/${wrongCode(workshop.joinCode, 98)}`);
    expectErrorBody(lookup, { status: 429, code: 'rate_limited' });
  });

  it('a limited address cannot learn whether the code of a workshop it never used is right', async () => {
    const server = await start({ config: { trustProxy: ['loopback'] } });
    const venue = { 'x-forwarded-for': '198.51.100.7' };
    const elsewhere = await createWorkshop(server.url);
    await joinRoom(server.url, elsewhere, 'North'); // used from 127.0.0.1, never from the venue
    const ours = await createWorkshop(server.url);
    await guessWrong(server, ours, 25, venue);

    // The venue's own workshop becomes known to its address once its screen connects from there.
    const projector = io(server.url, {
      path: SOCKET_PATH,
      auth: { token: await facilitatorToken(server.url, ours) },
      extraHeaders: venue,
      reconnection: false,
      forceNew: true
    }) as ControlClient;
    sockets.push(projector);
    await connected(projector);

    expect((await join(server, ours.joinCode, venue)).status).toBe(200);
    expectErrorBody(await join(server, elsewhere.joinCode, venue), { status: 429, code: 'rate_limited' });
  });

  it('with trust proxy configured, X-Forwarded-For addresses are limited separately', async () => {
    const server = await start({ config: { trustProxy: ['loopback'] } });
    const workshop = await createWorkshop(server.url);
    const first = { 'x-forwarded-for': '203.0.113.10' };
    const second = { 'x-forwarded-for': '203.0.113.20' };
    const statuses = await guessWrong(server, workshop, 25, first);
    expect(statuses.at(-1)).toBe(429);
    expect((await join(server, wrongCode(workshop.joinCode, 40), second)).status).toBe(404);
    // A proxy that is not trusted speaks for nobody: without trust proxy the header is ignored.
    const plain = await start();
    const other = await createWorkshop(plain.url);
    await guessWrong(plain, other, 20, first);
    expect((await join(plain, wrongCode(other.joinCode, 40), second)).status).toBe(429);
  });
});

describe('facilitator keys', () => {
  it('wrong keys are limited on the session route, the right key still opens the workshop', async () => {
    const server = await start();
    const workshop = await createWorkshop(server.url);
    const session = (key: string) =>
      api(server.url, 'POST', `/api/workshops/${workshop.id}/facilitator-session`, undefined, { authorization: `Bearer ${key}` });
    for (let i = 0; i < 20; i++) expect((await session(`wrong-key-${i}`)).status).toBe(403);
    expectErrorBody(await session('wrong-key-again'), { status: 429, code: 'rate_limited' });
    expect((await session(workshop.facilitatorKey)).status).toBe(200);
  });

  it('the notes routes count each wrong key and refuse more keys than workshops', async () => {
    const server = await start();
    const workshops = [await createWorkshop(server.url), await createWorkshop(server.url)];
    const ids = workshops.map((w) => w.id).join(',');
    const series = (keys: string[]) => api(server.url, 'GET', `/api/notes.md?workshops=${ids}`, undefined, { authorization: `Bearer ${keys.join(',')}` });

    const many = Array.from({ length: 400 }, (_, i) => `guess-${i}`);
    expectErrorBody(await series(many), { status: 400, code: 'validation_failed' });

    // Two wrong keys a request: ten requests use up the budget of twenty wrong keys.
    for (let i = 0; i < 10; i++) expect((await series([`a-${i}`, `b-${i}`])).status).toBe(403);
    expectErrorBody(await series(['c', 'd']), { status: 429, code: 'rate_limited' });
    const single = await api(server.url, 'GET', `/api/workshops/${workshops[0]!.id}/notes.md`, undefined, { authorization: 'Bearer one-more-guess' });
    expectErrorBody(single, { status: 429, code: 'rate_limited' });

    // The right keys are never refused.
    expect((await series(workshops.map((w) => w.facilitatorKey))).status).toBe(200);
    const own = await api(server.url, 'GET', `/api/workshops/${workshops[0]!.id}/notes.md`, undefined, { authorization: `Bearer ${workshops[0]!.facilitatorKey}` });
    expect(own.status).toBe(200);
  });
});

describe('creating and importing', () => {
  it('creation and import from one address beyond the limit get 429 with the JSON error shape', async () => {
    const server = await start();
    const { creationsBurst } = server.config.rates;
    const first = await createWorkshop(server.url);
    const exported = await api<unknown>(server.url, 'GET', `/api/workshops/${first.id}/notes.json`, undefined, { authorization: `Bearer ${first.facilitatorKey}` });
    expect(exported.status).toBe(200);
    const imported = await api(server.url, 'POST', '/api/import', JSON.stringify(exported.body));
    expect(imported.status, JSON.stringify(imported.body)).toBe(201);
    const answers: number[] = [];
    for (let i = 2; i < creationsBurst; i++) answers.push((await api(server.url, 'POST', '/api/workshops', { title: `Workshop ${i}` })).status);
    expect(answers.every((status) => status === 201)).toBe(true);

    const tooMany = await api(server.url, 'POST', '/api/workshops', { title: 'One too many' });
    expectErrorBody(tooMany, { status: 429, code: 'rate_limited' });
    expect(Number(tooMany.headers.get('retry-after'))).toBeGreaterThan(0);
    expectErrorBody(await api(server.url, 'POST', '/api/import', JSON.stringify(exported.body)), { status: 429, code: 'rate_limited' });
    // Joining is a different budget: the venue still gets in.
    await joinRoom(server.url, first, 'North');
  });
});

describe('Socket.IO command rates', () => {
  it('a command flood is refused with rate_limited while normal use is unaffected', async () => {
    const server = await start();
    const workshop = await createWorkshop(server.url);
    const flooder = await joinRoom(server.url, workshop, 'North', 'Flooder');
    const neighbour = await joinRoom(server.url, workshop, 'North', 'Neighbour');
    const flood = controlClient(server.url, { token: flooder.token });
    const calm = controlClient(server.url, { token: neighbour.token });
    sockets.push(flood, calm);
    await Promise.all([connected(flood), connected(calm)]);
    const boardId = workshop.boards[0]!.id;

    const send = (socket: ControlClient, done: boolean) =>
      new Promise<{ data?: unknown; error?: { code: string; message: string } }>((resolve) =>
        (socket.emit as (...args: unknown[]) => void)('participant:done', { boardId, done }, resolve)
      );
    const replies = await Promise.all(Array.from({ length: 500 }, (_, i) => send(flood, i % 2 === 0)));
    const limited = replies.filter((reply) => reply.error?.code === 'rate_limited');
    const accepted = replies.filter((reply) => 'data' in reply);
    expect(limited.length).toBeGreaterThan(300);
    expect(accepted.length).toBeLessThanOrEqual(server.config.rates.commandsBurst + 20);
    expect(limited[0]!.error!.message.length).toBeGreaterThan(0);

    // Someone clicking at a human pace on another screen is not affected.
    for (let i = 0; i < 10; i++) expect(await send(calm, i % 2 === 0)).toHaveProperty('data');
    // And the flooder is let in again once its budget refills.
    await expect.poll(async () => 'data' in (await send(flood, false)), { timeout: 3000, interval: 50 }).toBe(true);
  });
});
