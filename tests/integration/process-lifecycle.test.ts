import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { CLOSE_CODES, addCard, readCards, roomDocName } from '@goldthread/shared';
import { startServer, type RunningServer } from '../e2e/support/server.js';
import { createWorkshop, joinRoom } from './support/server.js';
import { connectProvider, waitForDoc, within, type ProviderClient } from './support/yjs-clients.js';

// These tests run the BUILT server (`pnpm build`; `pnpm test` builds first) as a real process.
const servers: RunningServer[] = [];
const clients: ProviderClient[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  for (const server of servers.splice(0)) await server.kill();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function start(dataDir: string, port = 0) {
  const server = await startServer({ dataDir, port });
  servers.push(server);
  return server;
}

function freshDataDir() {
  const dir = mkdtempSync(path.join(tmpdir(), 'goldthread-process-'));
  dirs.push(dir);
  return dir;
}

describe('a crash (SIGKILL)', () => {
  it('loses no edit sent more than 200 ms before the kill', async () => {
    const dataDir = freshDataDir();
    const server = await start(dataDir);
    const workshop = await createWorkshop(server.url);
    const writers = await Promise.all(['Ann', 'Bo', 'Cy'].map(async (name) => ({ ...(await joinRoom(server.url, workshop, 'North', name)), name })));
    const room = workshop.rooms[0]!.id;
    const wsUrl = `${server.url.replace('http', 'ws')}/yjs`;
    const sent: { text: string; at: number }[] = [];
    const docs = writers.map((writer) => {
      const client = connectProvider(wsUrl, workshop.id, room, writer.token);
      clients.push(client);
      return { client, writer };
    });
    await within(Promise.all(docs.map((d) => d.client.synced)), 5000, 'writers to sync');

    // A burst: three writers, 150 cards each, as fast as the event loop lets them go.
    for (let i = 0; i < 150; i++) {
      for (const { client, writer } of docs) {
        const text = `${writer.participantId} #${i}`;
        addCard(client.doc, { boardId: workshop.boards[0]!.id, text, authorId: writer.participantId, authorName: writer.name });
        sent.push({ text, at: Date.now() });
      }
      if (i % 25 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    // A watcher proves the server has taken every edit in (on a loaded machine the server may lag
    // the senders; the promise is about edits it has received). Then the writers leave for good and
    // the server is killed at once: no graceful save, so only the journal can keep the edits.
    const watcher = connectProvider(wsUrl, workshop.id, room, writers[0]!.token);
    await waitForDoc(watcher.doc, (doc) => readCards(doc).length === sent.length, 15_000, 'the server to take in the burst');
    const received = Date.now();
    watcher.destroy();
    for (const client of clients.splice(0)) client.destroy();
    const killedAt = Date.now();
    await server.kill();

    const restarted = await start(dataDir);
    const reader = connectProvider(`${restarted.url.replace('http', 'ws')}/yjs`, workshop.id, room, writers[0]!.token);
    clients.push(reader);
    await within(reader.synced, 10_000, 'sync after the crash');
    const present = new Set(readCards(reader.doc).map((card) => card.text));
    const required = sent.filter((edit) => edit.at < killedAt - 200);
    const missing = required.filter((edit) => !present.has(edit.text)).map((edit) => edit.text);
    console.log(
      `crash test: ${sent.length} edits sent, all taken in ${received - sent.at(-1)!.at} ms after the last was sent, ` +
        `${required.length} sent > 200 ms before the kill, ${present.size} present after restart`
    );
    expect(missing).toEqual([]);
  });
});

describe('a clean shutdown (SIGTERM)', () => {
  it('tells clients the server is restarting, saves everything, exits 0, and clients resync by themselves', async () => {
    const dataDir = freshDataDir();
    const server = await start(dataDir);
    const workshop = await createWorkshop(server.url);
    const person = await joinRoom(server.url, workshop, 'South', 'Sol');
    const room = workshop.rooms[2]!.id;
    const wsUrl = `${server.url.replace('http', 'ws')}/yjs`;

    // A raw socket shows the close code and reason; a provider shows reconnection.
    const raw = new WebSocket(`${wsUrl}/${roomDocName(workshop.id, room)}?token=${person.token}`);
    await within(new Promise((resolve) => raw.once('open', resolve)), 5000, 'open');
    const closed = new Promise<{ code: number; reason: string }>((resolve) => raw.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    const client = connectProvider(wsUrl, workshop.id, room, person.token);
    clients.push(client);
    await within(client.synced, 5000, 'sync');
    for (const text of ['Before one', 'Before two']) {
      addCard(client.doc, { boardId: workshop.boards[0]!.id, text, authorId: person.participantId, authorName: 'Sol' });
    }
    const observer = connectProvider(wsUrl, workshop.id, room, person.token);
    clients.push(observer);
    await waitForDoc(observer.doc, (doc) => readCards(doc).length === 2, 5000, 'the server to hold both cards');

    await server.stop(); // rejects unless the process exits with code 0
    const { code, reason } = await within(closed, 5000, 'the close');
    expect(code).toBe(CLOSE_CODES.serverRestarting);
    expect(JSON.parse(reason)).toEqual({ error: { code: 'unavailable', message: expect.stringMatching(/restarting/i) } });

    // Back on the same port: the provider reconnects by itself and its later edit arrives.
    await start(dataDir, server.port);
    addCard(client.doc, { boardId: workshop.boards[0]!.id, text: 'After restart', authorId: person.participantId, authorName: 'Sol' });
    const fresh = connectProvider(wsUrl, workshop.id, room, person.token);
    clients.push(fresh);
    await waitForDoc(fresh.doc, (doc) => readCards(doc).length === 3, 15_000, 'the reconnected client’s edit');
    expect(readCards(fresh.doc).map((c) => c.text).sort()).toEqual(['After restart', 'Before one', 'Before two']);
    raw.close();
  });
});
