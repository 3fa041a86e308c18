import { cp, mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { addCard, readCards, type CardView, type CreateWorkshopResponse } from '@goldthread/shared';
import { api, createWorkshop, facilitatorToken, joinRoom, newServer, type TestServer } from './support/server.js';
import { connectProvider, waitForDoc, within, type ProviderClient } from './support/yjs-clients.js';
import { FailingDisk } from './support/failing-disk.js';
import { connected, controlClient, type ControlClient } from './support/control-client.js';
import { command } from './support/control-commands.js';

const servers: TestServer[] = [];
const clients: ProviderClient[] = [];
const sockets: ControlClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  for (const socket of sockets.splice(0)) socket.disconnect();
  for (const server of servers.splice(0)) await server.close({ removeData: true });
});

/** Resolves once the room's journal on disk holds at least `minBytes`. Polls: the file system has no event for fsync. */
async function journalHolds(dataDir: string, workshopId: string, roomId: string, minBytes: number, timeoutMs = 15_000) {
  const dir = path.join(dataDir, 'journal', workshopId, roomId);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const names = await readdir(dir).catch(() => [] as string[]);
    let total = 0;
    for (const name of names) total += await stat(path.join(dir, name)).then((s) => s.size, () => 0);
    if (total >= minBytes) return;
    if (Date.now() > deadline) throw new Error(`journal held ${total} bytes, expected ${minBytes}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('durability', () => {
  it('edits that reached the journal survive a crash that came before any snapshot', async () => {
    // Snapshots are pushed far away, so only the journal can carry the edits.
    const server = await newServer({ config: { saveQuietMs: 600_000, saveMaxMs: 600_000 } });
    servers.push(server);
    const workshop = await createWorkshop(server.url);
    const person = await joinRoom(server.url, workshop, 'North', 'Nia');
    const room = workshop.rooms[0]!;
    const client = connectProvider(server.wsUrl, workshop.id, room.id, person.token);
    clients.push(client);
    await within(client.synced, 5000, 'sync');
    const texts = Array.from({ length: 20 }, (_, i) => `Edit ${i + 1}`);
    for (const text of texts) addCard(client.doc, { boardId: workshop.boards[0]!.id, text, authorId: person.participantId, authorName: 'Nia' });
    await journalHolds(server.dataDir, workshop.id, room.id, 20 * 40);

    // The disk as it is this instant, while the server still runs: what a crash would leave.
    const crashed = await mkdtemp(path.join(tmpdir(), 'goldthread-crash-'));
    await cp(server.dataDir, crashed, { recursive: true });
    const restarted = await newServer({ dataDir: crashed });
    servers.push(restarted);
    const reader = connectProvider(restarted.wsUrl, workshop.id, room.id, person.token);
    clients.push(reader);
    await waitForDoc(reader.doc, (doc) => readCards(doc).length === texts.length, 15_000, 'all journaled edits');
    expect(readCards(reader.doc).map((c) => c.text).sort()).toEqual([...texts].sort());
  });

  it('a durable snapshot compacts the journal', async () => {
    const server = await newServer({ config: { saveQuietMs: 20, saveMaxMs: 50 } });
    servers.push(server);
    const workshop = await createWorkshop(server.url);
    const person = await joinRoom(server.url, workshop, 'South');
    const room = workshop.rooms[2]!;
    const client = connectProvider(server.wsUrl, workshop.id, room.id, person.token);
    clients.push(client);
    await within(client.synced, 5000, 'sync');
    addCard(client.doc, { boardId: workshop.boards[0]!.id, text: 'Compacted', authorId: person.participantId, authorName: 'P' });
    const dir = path.join(server.dataDir, 'journal', workshop.id, room.id);
    const deadline = Date.now() + 5000;
    // Wait until the snapshot holds the card, then until the sealed generation is deleted.
    while (!(await server.server.store.loadRoom(workshop.id, room.id))?.cards.length) {
      if (Date.now() > deadline) throw new Error('no snapshot was saved');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    for (;;) {
      // A file listed may be gone by the time it is looked at: that is the compaction happening.
      const found = await Promise.all((await readdir(dir)).map((n) => stat(path.join(dir, n)).then((s) => s.size, () => null)));
      const sizes = found.filter((size) => size !== null);
      if (sizes.reduce((a, b) => a + b, 0) === 0 && sizes.length <= 1) break;
      if (Date.now() > deadline) throw new Error(`journal not compacted: ${JSON.stringify(sizes)}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const saved = await server.server.store.loadRoom(workshop.id, room.id);
    expect(saved?.cards.map((c) => c.text)).toEqual(['Compacted']);
  });
});

/** Every file under `dir`, as paths relative to it. */
async function filesUnder(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name)));
}

/** The disk as it is this instant, while the server still runs (what a crash would leave), served by a fresh server. */
async function restartFromCrashImage(server: TestServer): Promise<TestServer> {
  const crashed = await mkdtemp(path.join(tmpdir(), 'goldthread-crash-'));
  await cp(server.dataDir, crashed, { recursive: true });
  const restarted = await newServer({ dataDir: crashed });
  servers.push(restarted);
  return restarted;
}

const postCard = (server: TestServer, workshop: CreateWorkshopResponse, token: string, text: string) =>
  api<CardView>(server.url, 'POST', `/api/workshops/${workshop.id}/rooms/${workshop.rooms[0]!.id}/cards`, { boardId: workshop.boards[0]!.id, text }, {
    authorization: `Bearer ${token}`
  });

const cardTexts = async (server: TestServer, workshop: CreateWorkshopResponse, token: string) => {
  const { status, body } = await api<CardView[]>(server.url, 'GET', `/api/workshops/${workshop.id}/rooms/${workshop.rooms[0]!.id}/cards`, undefined, {
    authorization: `Bearer ${token}`
  });
  expect(status).toBe(200);
  return body.map((card) => card.text).sort();
};

describe('a disk that fails (full, or I/O errors)', () => {
  it.each(['ENOSPC', 'EIO'])('%s: every change answers 503 unavailable, nothing acknowledged is lost, no temp file is left, and writing resumes', async (code) => {
    const disk = new FailingDisk();
    const server = await newServer({ disk, config: { saveQuietMs: 20, saveMaxMs: 100 } });
    servers.push(server);
    const workshop = await createWorkshop(server.url);
    const person = await joinRoom(server.url, workshop, 'North', 'Nia');
    const facilitator = await facilitatorToken(server.url, workshop);
    const socket = controlClient(server.url, { token: facilitator }, ['websocket']);
    sockets.push(socket);
    await connected(socket);
    expect((await postCard(server, workshop, person.token, 'Before the disk filled')).status).toBe(201);
    expect(await command(socket, 'timer:set', { durationMs: 60_000 })).toEqual({ data: expect.anything() });

    disk.fail(code);
    const unavailable = { error: { code: 'unavailable', message: expect.stringMatching(/could not save/) } };
    const refusedCard = await postCard(server, workshop, person.token, 'While the disk was full');
    expect(refusedCard).toMatchObject({ status: 503, body: unavailable });
    const join = await api(server.url, 'POST', '/api/join', { code: workshop.joinCode, name: 'Late', roomId: workshop.rooms[0]!.id });
    expect(join).toMatchObject({ status: 503, body: unavailable });
    expect(await api(server.url, 'POST', '/api/workshops', { title: 'Another' })).toMatchObject({ status: 503, body: unavailable });
    const proxy = await api(server.url, 'POST', `/api/workshops/${workshop.id}/proxies`, { name: 'No phone', roomId: workshop.rooms[0]!.id }, {
      authorization: `Bearer ${facilitator}`
    });
    expect(proxy).toMatchObject({ status: 503, body: unavailable });
    expect(await command(socket, 'timer:set', { durationMs: 120_000 })).toEqual(unavailable);

    // Nothing refused is kept as if saved, and no half-written file lies around.
    expect(await cardTexts(server, workshop, person.token)).toEqual(['Before the disk filled']);
    const control = (await command(socket, 'control:get', {})) as { data: { state: { timer: { durationMs: number } } } };
    expect(control.data.state.timer.durationMs).toBe(60_000);
    expect((await filesUnder(server.dataDir)).filter((file) => file.endsWith('.tmp'))).toEqual([]);

    disk.heal();
    expect((await postCard(server, workshop, person.token, 'After space returned')).status).toBe(201);
    expect((await api(server.url, 'POST', '/api/join', { code: workshop.joinCode, name: 'Late', roomId: workshop.rooms[0]!.id })).status).toBe(200);
    expect(await command(socket, 'timer:set', { durationMs: 180_000 })).toEqual({ data: expect.anything() });

    // A crash now keeps everything that was acknowledged, and nothing that was refused.
    const restarted = await restartFromCrashImage(server);
    expect(await cardTexts(restarted, workshop, person.token)).toEqual(['After space returned', 'Before the disk filled']);
  });
});

describe('a damaged journal', () => {
  it('one flipped byte loses only the edit it hit; the file is kept aside, not deleted', async () => {
    const server = await newServer({ config: { saveQuietMs: 600_000, saveMaxMs: 600_000 } });
    servers.push(server);
    const workshop = await createWorkshop(server.url);
    const facilitator = await facilitatorToken(server.url, workshop);
    // Someone stays in the room, so it is not saved (and its journal compacted) after each card.
    const person = await joinRoom(server.url, workshop, 'North');
    const watcher = connectProvider(server.wsUrl, workshop.id, workshop.rooms[0]!.id, person.token);
    clients.push(watcher);
    await within(watcher.synced, 5000, 'sync');
    const texts = Array.from({ length: 20 }, (_, i) => `Card number ${String(i + 1).padStart(2, '0')}`);
    for (const text of texts) expect((await postCard(server, workshop, facilitator, text)).status).toBe(201);

    const crashed = await mkdtemp(path.join(tmpdir(), 'goldthread-crash-'));
    await cp(server.dataDir, crashed, { recursive: true });
    const roomDir = path.join(crashed, 'journal', workshop.id, workshop.rooms[0]!.id);
    const [log] = (await readdir(roomDir)).filter((name) => /^\d+\.log$/.test(name));
    const journal = await readFile(path.join(roomDir, log!));
    // Walk the records (length, CRC, payload) to the one holding card 10, and flip a byte in its middle.
    let offset = 0;
    let hit: Buffer | null = null;
    while (offset < journal.length && !hit) {
      const length = journal.readUInt32LE(offset);
      const payload = journal.subarray(offset + 8, offset + 8 + length);
      if (payload.includes(Buffer.from(texts[9]!))) {
        hit = Buffer.from(payload);
        journal[offset + 8 + Math.floor(length / 2)] ^= 0x20;
      }
      offset += 8 + length;
    }
    expect(hit).not.toBeNull();
    await writeFile(path.join(roomDir, log!), journal);
    const lost = texts.filter((text) => hit!.includes(Buffer.from(text)));
    expect(lost).toEqual([texts[9]]);

    const restarted = await newServer({ dataDir: crashed, config: { saveQuietMs: 20, saveMaxMs: 100 } });
    servers.push(restarted);
    expect(await cardTexts(restarted, workshop, facilitator)).toEqual(texts.filter((text) => text !== texts[9]));
    // Once the room's snapshot holds what could be read, the damaged file is kept aside.
    const deadline = Date.now() + 10_000;
    while (!(await readdir(roomDir)).includes(`${log}.damaged`)) {
      if (Date.now() > deadline) throw new Error(`the damaged journal was not kept aside: ${(await readdir(roomDir)).join(', ')}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(await readFile(path.join(roomDir, `${log}.damaged`))).toEqual(journal);
  });
});

describe('a damaged saved room', () => {
  it('answers 503 unavailable over HTTP, and other rooms keep working', async () => {
    const server = await newServer();
    servers.push(server);
    const workshop = await createWorkshop(server.url);
    const facilitator = await facilitatorToken(server.url, workshop);
    expect((await postCard(server, workshop, facilitator, 'Saved')).status).toBe(201);
    await server.close();
    const file = path.join(server.dataDir, 'workshops', `${workshop.id}.json`);
    const data = JSON.parse(await readFile(file, 'utf8'));
    const saved = data.rooms[workshop.rooms[0]!.id];
    // Valid JSON, but the room's encoded document is cut short.
    saved.update = Buffer.from(saved.update, 'base64').subarray(0, 12).toString('base64');
    await writeFile(file, JSON.stringify(data));
    const restarted = await newServer({ dataDir: server.dataDir, config: { journal: false } });
    servers.push(restarted);
    const route = `/api/workshops/${workshop.id}/rooms/${workshop.rooms[0]!.id}/cards`;
    const auth = { authorization: `Bearer ${facilitator}` };
    const expected = { status: 503, body: { error: { code: 'unavailable', message: expect.any(String) } } };
    expect(await api(restarted.url, 'GET', route, undefined, auth)).toMatchObject(expected);
    expect(await api(restarted.url, 'POST', route, { boardId: workshop.boards[0]!.id, text: 'New' }, auth)).toMatchObject(expected);
    const other = `/api/workshops/${workshop.id}/rooms/${workshop.rooms[1]!.id}/cards`;
    expect((await api(restarted.url, 'GET', other, undefined, auth)).status).toBe(200);
  });
});
