import { cp, mkdtemp, readdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { addCard, readCards } from '@goldthread/shared';
import { createWorkshop, joinRoom, newServer, type TestServer } from './support/server.js';
import { connectProvider, waitForDoc, within, type ProviderClient } from './support/yjs-clients.js';

const servers: TestServer[] = [];
const clients: ProviderClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  for (const server of servers.splice(0)) await server.close({ removeData: true });
});

/** Resolves once the room's journal on disk holds at least `minBytes`. Polls: the file system has no event for fsync. */
async function journalHolds(dataDir: string, workshopId: string, roomId: string, minBytes: number, timeoutMs = 15_000) {
  const dir = path.join(dataDir, 'journal', workshopId, roomId);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const names = await readdir(dir).catch(() => [] as string[]);
    let total = 0;
    for (const name of names) total += (await stat(path.join(dir, name))).size;
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
    const person = await joinRoom(server.url, workshop, 'South', 'P');
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
      const sizes = await Promise.all((await readdir(dir)).map(async (n) => (await stat(path.join(dir, n))).size));
      if (sizes.reduce((a, b) => a + b, 0) === 0 && sizes.length <= 1) break;
      if (Date.now() > deadline) throw new Error(`journal not compacted: ${JSON.stringify(sizes)}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const saved = await server.server.store.loadRoom(workshop.id, room.id);
    expect(saved?.cards.map((c) => c.text)).toEqual(['Compacted']);
  });
});
