import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { addCard, newId, readCards, type FacilitatorWorkshopView } from '@goldthread/shared';
import { LowdbWorkshopStore, MemoryWorkshopStore, type WorkshopStore } from '@goldthread/server';
import type { RoomSnapshot, StoredParticipant, StoredWorkshop } from '../../server/src/store/types.js';
import { AtomicJsonFile } from '../../server/src/store/atomic-json-file.js';
import { api, createWorkshop, facilitatorToken, joinRoom, newServer, type TestServer } from './support/server.js';
import { expectErrorBody } from './support/error-bodies.js';
import { rawUpgrade } from './support/yjs-clients.js';
import { controlClient, refused } from './support/control-client.js';

const tempDirs: string[] = [];
const servers: TestServer[] = [];

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'goldthread-store-'));
  tempDirs.push(dir);
  return dir;
}

afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
  for (const dir of tempDirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

let joinCodeCounter = 0;

function sampleWorkshop(overrides: Partial<StoredWorkshop> = {}): StoredWorkshop {
  return {
    id: newId(12),
    title: 'Contract workshop',
    joinCode: `C${String(++joinCodeCounter).padStart(5, '0')}`,
    facilitatorKeyHash: 'f'.repeat(64),
    createdAt: 1_700_000_000_000,
    rooms: [
      { id: newId(10), name: 'North' },
      { id: newId(10), name: 'South' }
    ],
    boards: [{ id: newId(10), kind: 'priorities', title: 'Priorities', prompt: 'What matters?' }],
    ...overrides
  };
}

function participant(roomId: string, name: string, joinedAt = Date.now()): StoredParticipant {
  return { id: newId(12), name, roomId, joinedAt };
}

/** A snapshot of a real room document with a card, plus its exact bytes to compare against. */
function roomSnapshot(text: string, boardId = 'board1'): RoomSnapshot {
  const doc = new Y.Doc();
  addCard(doc, { boardId, text, authorId: 'p1', authorName: 'Pat', color: 'green' });
  const snapshot = { savedAt: Date.now(), update: Y.encodeStateAsUpdate(doc), cards: readCards(doc) };
  doc.destroy();
  return snapshot;
}

/**
 * The contract every WorkshopStore keeps. The server is written against this, and the
 * in-memory twin stands in for the lowdb store in tests only because both pass it.
 */
function workshopStoreContract(name: string, makeStore: () => Promise<WorkshopStore>) {
  describe(`${name} keeps the WorkshopStore contract`, () => {
    const opened = async () => {
      const store = await makeStore();
      const result = await store.open();
      return { store, result };
    };

    it('opens empty with nothing broken', async () => {
      const { result } = await opened();
      expect(result).toEqual({ workshops: 0, broken: [] });
    });

    it('finds a created workshop by id and by join code, and nothing for unknown ones', async () => {
      const { store } = await opened();
      const workshop = sampleWorkshop();
      await store.create(workshop);
      expect(store.get(workshop.id)).toEqual(workshop);
      expect(store.findByJoinCode(workshop.joinCode)).toEqual(workshop);
      expect(store.brokenReason(workshop.id)).toBeNull();
      expect(store.get('nosuchworkshop')).toBeUndefined();
      expect(store.findByJoinCode('NOSUCH')).toBeUndefined();
      expect(store.findByJoinCode(workshop.joinCode.toLowerCase())).toBeUndefined();
    });

    it("keeps its own copy of a created workshop: the caller's later changes do not leak in", async () => {
      const { store } = await opened();
      const workshop = sampleWorkshop({ title: 'Original' });
      await store.create(workshop);
      workshop.title = 'Changed afterwards';
      workshop.rooms.push({ id: 'extra', name: 'Extra' });
      expect(store.get(workshop.id)).toMatchObject({ title: 'Original' });
      expect(store.get(workshop.id)!.rooms).toHaveLength(2);
    });

    it('replaces a workshop by updateWorkshop, keeping its participants, and keeps its own copy', async () => {
      const { store } = await opened();
      const workshop = sampleWorkshop({ title: 'Before' });
      await store.create(workshop);
      const ann = participant(workshop.rooms[0]!.id, 'Ann');
      await store.addParticipant(workshop.id, ann);
      const updated = { ...workshop, title: 'After', details: { date: '2027-03-11', venue: 'Town Hall' }, attribution: 'named' as const };
      await store.updateWorkshop(updated);
      updated.details.venue = 'Changed afterwards';
      expect(store.get(workshop.id)).toMatchObject({ title: 'After', details: { date: '2027-03-11', venue: 'Town Hall' }, attribution: 'named' });
      expect(store.findByJoinCode(workshop.joinCode)).toMatchObject({ title: 'After' });
      expect(await store.participants(workshop.id)).toEqual([ann]);
    });

    it('keeps several workshops apart', async () => {
      const { store } = await opened();
      const a = sampleWorkshop({ title: 'A' });
      const b = sampleWorkshop({ title: 'B' });
      await Promise.all([store.create(a), store.create(b)]);
      expect(store.get(a.id)!.title).toBe('A');
      expect(store.findByJoinCode(b.joinCode)!.id).toBe(b.id);
      await store.addParticipant(a.id, participant(a.rooms[0]!.id, 'Only in A'));
      expect(await store.participants(b.id)).toEqual([]);
    });

    it('lists the participants added, in the order they joined', async () => {
      const { store } = await opened();
      const workshop = sampleWorkshop();
      await store.create(workshop);
      expect(await store.participants(workshop.id)).toEqual([]);
      const ann = participant(workshop.rooms[0]!.id, 'Ann', 1);
      const bo = participant(workshop.rooms[1]!.id, 'Bø 🌿', 2);
      await store.addParticipant(workshop.id, ann);
      await store.addParticipant(workshop.id, bo);
      expect(await store.participants(workshop.id)).toEqual([ann, bo]);
    });

    it('keeps every participant when many are added at the same moment', async () => {
      const { store } = await opened();
      const workshop = sampleWorkshop();
      await store.create(workshop);
      const people = Array.from({ length: 25 }, (_, i) => participant(workshop.rooms[i % 2]!.id, `Person ${i}`, i));
      await Promise.all(people.map((p) => store.addParticipant(workshop.id, p)));
      const listed = await store.participants(workshop.id);
      expect(listed).toHaveLength(25);
      expect(new Set(listed.map((p) => p.id))).toEqual(new Set(people.map((p) => p.id)));
    });

    it('adds many participants at once after those already there, in order, proxy marks kept', async () => {
      const { store } = await opened();
      const workshop = sampleWorkshop();
      await store.create(workshop);
      const first = participant(workshop.rooms[0]!.id, 'Joined first', 1);
      await store.addParticipant(workshop.id, first);
      const imported = Array.from({ length: 300 }, (_, i) => ({
        ...participant(workshop.rooms[i % 2]!.id, `Imported ${i}`, 2),
        ...(i % 7 === 0 && { proxy: true })
      }));
      await store.addParticipants(workshop.id, imported);
      await store.addParticipants(workshop.id, []);
      expect(await store.participants(workshop.id)).toEqual([first, ...imported]);
      imported[0]!.name = 'Changed by the caller afterwards';
      expect((await store.participants(workshop.id))[1]!.name).toBe('Imported 0');
    });

    it('refuses a bulk add for a workshop it does not have', async () => {
      const { store } = await opened();
      await expect(store.addParticipants('nosuchworkshop', [participant('r', 'Nobody')])).rejects.toThrow();
    });

    it('returns participants as copies: changing the list does not change the store', async () => {
      const { store } = await opened();
      const workshop = sampleWorkshop();
      await store.create(workshop);
      await store.addParticipant(workshop.id, participant(workshop.rooms[0]!.id, 'Ann'));
      const listed = await store.participants(workshop.id);
      listed[0]!.name = 'Mallory';
      listed.push(participant(workshop.rooms[0]!.id, 'Ghost'));
      expect((await store.participants(workshop.id)).map((p) => p.name)).toEqual(['Ann']);
    });

    it('rejects participants and room saves for a workshop it does not have', async () => {
      const { store } = await opened();
      await expect(store.addParticipant('nosuchworkshop', participant('r', 'Nobody'))).rejects.toThrow();
      await expect(store.saveRoom('nosuchworkshop', 'r', roomSnapshot('x'))).rejects.toThrow();
    });

    it('loads a room it never saved as null', async () => {
      const { store } = await opened();
      const workshop = sampleWorkshop();
      await store.create(workshop);
      expect(await store.loadRoom(workshop.id, workshop.rooms[0]!.id)).toBeNull();
    });

    it('gives back exactly the bytes, cards and time it saved for a room', async () => {
      const { store } = await opened();
      const workshop = sampleWorkshop();
      await store.create(workshop);
      const snapshot = roomSnapshot('Keep the library open', workshop.boards[0]!.id);
      await store.saveRoom(workshop.id, workshop.rooms[0]!.id, snapshot);
      const loaded = await store.loadRoom(workshop.id, workshop.rooms[0]!.id);
      expect(loaded).not.toBeNull();
      expect(loaded!.update).toBeInstanceOf(Uint8Array);
      expect(Buffer.from(loaded!.update).equals(Buffer.from(snapshot.update))).toBe(true);
      expect(loaded!.cards).toEqual(snapshot.cards);
      expect(loaded!.savedAt).toBe(snapshot.savedAt);
      // And the bytes still decode to the same document.
      const doc = new Y.Doc();
      Y.applyUpdate(doc, loaded!.update);
      expect(readCards(doc).map((c) => c.text)).toEqual(['Keep the library open']);
    });

    it('round-trips every byte value, not only valid Yjs updates', async () => {
      const { store } = await opened();
      const workshop = sampleWorkshop();
      await store.create(workshop);
      const bytes = new Uint8Array([...Array.from({ length: 256 }, (_, i) => i), ...randomBytes(4096), 0, 0, 255]);
      await store.saveRoom(workshop.id, workshop.rooms[1]!.id, { savedAt: 1, update: bytes, cards: [] });
      const loaded = await store.loadRoom(workshop.id, workshop.rooms[1]!.id);
      expect(Buffer.from(loaded!.update).equals(Buffer.from(bytes))).toBe(true);
    });

    it('a later save of a room replaces the earlier one', async () => {
      const { store } = await opened();
      const workshop = sampleWorkshop();
      await store.create(workshop);
      const room = workshop.rooms[0]!.id;
      await store.saveRoom(workshop.id, room, roomSnapshot('First'));
      const second = roomSnapshot('Second');
      await store.saveRoom(workshop.id, room, second);
      expect((await store.loadRoom(workshop.id, room))!.cards.map((c) => c.text)).toEqual(['Second']);
    });

    it('keeps both saves when two rooms of one workshop are saved at the same moment', async () => {
      const { store } = await opened();
      const workshop = sampleWorkshop();
      await store.create(workshop);
      const [north, south] = workshop.rooms.map((r) => r.id) as [string, string];
      const northSnapshot = roomSnapshot('North card');
      const southSnapshot = roomSnapshot('South card');
      await Promise.all([
        store.saveRoom(workshop.id, north, northSnapshot),
        store.saveRoom(workshop.id, south, southSnapshot),
        store.addParticipant(workshop.id, participant(north, 'Meanwhile'))
      ]);
      const [loadedNorth, loadedSouth] = await Promise.all([store.loadRoom(workshop.id, north), store.loadRoom(workshop.id, south)]);
      expect(Buffer.from(loadedNorth!.update).equals(Buffer.from(northSnapshot.update))).toBe(true);
      expect(Buffer.from(loadedSouth!.update).equals(Buffer.from(southSnapshot.update))).toBe(true);
      expect((await store.participants(workshop.id)).map((p) => p.name)).toEqual(['Meanwhile']);
    });

    it('keeps the same room of two workshops apart', async () => {
      const { store } = await opened();
      const roomId = newId(10);
      const a = sampleWorkshop({ rooms: [{ id: roomId, name: 'Hall' }] });
      const b = sampleWorkshop({ rooms: [{ id: roomId, name: 'Hall' }] });
      await Promise.all([store.create(a), store.create(b)]);
      await store.saveRoom(a.id, roomId, roomSnapshot('In A'));
      expect(await store.loadRoom(b.id, roomId)).toBeNull();
    });
  });
}

workshopStoreContract('MemoryWorkshopStore', async () => new MemoryWorkshopStore());
workshopStoreContract('LowdbWorkshopStore', async () => new LowdbWorkshopStore(await tempDir()));

describe('LowdbWorkshopStore on disk', () => {
  const workshopsDir = (dataDir: string) => path.join(dataDir, 'workshops');

  it('a new store opened on the same directory sees every workshop, participant and room', async () => {
    const dataDir = await tempDir();
    const first = new LowdbWorkshopStore(dataDir);
    await first.open();
    const a = sampleWorkshop({ title: 'Ünïcödé 🌍' });
    const b = sampleWorkshop();
    await first.create(a);
    await first.create(b);
    const ann = participant(a.rooms[0]!.id, 'Ann');
    await first.addParticipant(a.id, ann);
    const snapshot = roomSnapshot('Survives reopening');
    await first.saveRoom(a.id, a.rooms[1]!.id, snapshot);

    const edited = { ...b, title: 'Edited before closing', details: { date: '2027-01-07' } };
    await first.updateWorkshop(edited);
    await first.close();

    const second = new LowdbWorkshopStore(dataDir);
    expect(await second.open()).toEqual({ workshops: 2, broken: [] });
    expect(second.get(b.id)).toEqual(edited);
    expect(second.get(a.id)).toEqual(a);
    expect(second.findByJoinCode(b.joinCode)).toEqual(edited);
    expect(await second.participants(a.id)).toEqual([ann]);
    const loaded = await second.loadRoom(a.id, a.rooms[1]!.id);
    expect(Buffer.from(loaded!.update).equals(Buffer.from(snapshot.update))).toBe(true);
    expect(loaded!.cards).toEqual(snapshot.cards);
    expect(await second.loadRoom(a.id, a.rooms[0]!.id)).toBeNull();
  });

  it('leaves no temporary files behind after many saves', async () => {
    const dataDir = await tempDir();
    const store = new LowdbWorkshopStore(dataDir);
    await store.open();
    const workshop = sampleWorkshop();
    await store.create(workshop);
    await Promise.all(Array.from({ length: 10 }, (_, i) => store.saveRoom(workshop.id, workshop.rooms[i % 2]!.id, roomSnapshot(`v${i}`))));
    await store.close();
    expect(await readdir(workshopsDir(dataDir))).toEqual([`${workshop.id}.json`]);
  });

  it('writes people who join at the same moment together: each is on disk once their join is answered', async () => {
    const dataDir = await tempDir();
    const store = new LowdbWorkshopStore(dataDir);
    await store.open();
    const workshop = sampleWorkshop();
    await store.create(workshop);
    await store.saveRoom(workshop.id, workshop.rooms[0]!.id, roomSnapshot('A board that makes the file big'));
    const writes = vi.spyOn(AtomicJsonFile.prototype, 'write');
    const people = Array.from({ length: 100 }, (_, i) => participant(workshop.rooms[i % 2]!.id, `Person ${i}`));
    const onDisk: number[] = [];
    await Promise.all(
      people.map(async (person) => {
        await store.addParticipant(workshop.id, person);
        // What a restarted server would read at the moment this person's join is answered.
        const file = JSON.parse(await readFile(path.join(workshopsDir(dataDir), `${workshop.id}.json`), 'utf8')) as { participants: StoredParticipant[] };
        onDisk.push(file.participants.some((p) => p.id === person.id) ? 1 : 0);
      })
    );
    const fileWrites = writes.mock.calls.length;
    writes.mockRestore();
    expect(onDisk).toEqual(people.map(() => 1));
    expect(fileWrites).toBeLessThanOrEqual(3);
    expect((await store.participants(workshop.id)).map((p) => p.name)).toEqual(people.map((p) => p.name));
  });

  it('writes a bulk add of 2,000 participants to disk in one write of the file', async () => {
    const dataDir = await tempDir();
    const store = new LowdbWorkshopStore(dataDir);
    await store.open();
    const workshop = sampleWorkshop();
    await store.create(workshop);
    const people = Array.from({ length: 2000 }, (_, i) => participant(workshop.rooms[i % 2]!.id, `Person ${i}`));
    const writes = vi.spyOn(AtomicJsonFile.prototype, 'write');
    await store.addParticipants(workshop.id, people);
    const fileWrites = writes.mock.calls.length;
    writes.mockRestore();
    expect(fileWrites).toBe(1);
    const file = JSON.parse(await readFile(path.join(workshopsDir(dataDir), `${workshop.id}.json`), 'utf8')) as { participants: StoredParticipant[] };
    expect(file.participants.map((p) => p.id)).toEqual(people.map((p) => p.id));
  });

  /** Broken files, by workshop id, as someone or something might have left them. */
  const brokenFiles: Record<string, { bytes: string; problem: RegExp }> = {
    truncatedJson01: { bytes: '{"format":"goldthread-workshop","version":1,"workshop":{"id":"trunc', problem: /not valid JSON/ },
    emptyFile00001: { bytes: '', problem: /empty/ },
    notAWorkshop01: { bytes: '{"hello":"world","items":[1,2,3]}', problem: /not a Goldthread workshop file/ },
    jsonArray00001: { bytes: '[1,2,3]', problem: /not a Goldthread workshop file/ }
  };

  async function writeBrokenFiles(dataDir: string) {
    for (const [id, { bytes }] of Object.entries(brokenFiles)) await writeFile(path.join(workshopsDir(dataDir), `${id}.json`), bytes);
  }

  async function expectBrokenFilesUntouched(dataDir: string) {
    for (const [id, { bytes }] of Object.entries(brokenFiles)) {
      expect(await readFile(path.join(workshopsDir(dataDir), `${id}.json`), 'utf8'), `${id}.json`).toBe(bytes);
    }
  }

  it('reports corrupted, empty and non-workshop files as broken, naming each file, and still loads the healthy ones', async () => {
    const dataDir = await tempDir();
    const setup = new LowdbWorkshopStore(dataDir);
    await setup.open();
    const healthy = sampleWorkshop({ title: 'Healthy' });
    await setup.create(healthy);
    await setup.close();
    await writeBrokenFiles(dataDir);
    // A workshop file saved under another workshop's name is not that workshop.
    const misfiled = JSON.parse(await readFile(path.join(workshopsDir(dataDir), `${healthy.id}.json`), 'utf8'));
    await writeFile(path.join(workshopsDir(dataDir), 'misfiled000001.json'), JSON.stringify(misfiled));

    const store = new LowdbWorkshopStore(dataDir);
    const result = await store.open();
    expect(result.workshops).toBe(1);
    expect(store.get(healthy.id)).toEqual(healthy);
    expect(store.findByJoinCode(healthy.joinCode)?.id).toBe(healthy.id);

    const byId = new Map(result.broken.map((b) => [b.workshopId, b]));
    expect([...byId.keys()].sort()).toEqual([...Object.keys(brokenFiles), 'misfiled000001'].sort());
    for (const [id, { problem }] of Object.entries(brokenFiles)) {
      const broken = byId.get(id)!;
      expect(broken.file).toBe(path.join(workshopsDir(dataDir), `${id}.json`));
      expect(broken.problem).toMatch(problem);
      expect(broken.problem).toContain(`${id}.json`);
      expect(store.brokenReason(id)).toBe(broken.problem);
      expect(store.get(id)).toBeUndefined();
    }
    expect(store.brokenReason(healthy.id)).toBeNull();

    // Attempts to use a broken workshop fail without writing to its file.
    await expect(store.addParticipant('emptyFile00001', participant('r', 'Nobody'))).rejects.toThrow();
    await expect(store.saveRoom('notAWorkshop01', 'r', roomSnapshot('x'))).rejects.toThrow();
    await expect(store.loadRoom('truncatedJson01', 'r')).rejects.toThrow();
    await store.close();
    await expectBrokenFilesUntouched(dataDir);
  });

  it('a server on a directory with broken files starts, serves the healthy workshops and answers 503 for the broken one', async () => {
    const first = await newServer();
    servers.push(first);
    const dataDir = first.dataDir;
    tempDirs.push(dataDir);
    const healthy = await createWorkshop(first.url, { title: 'Still fine' });
    const doomed = await createWorkshop(first.url, { title: 'About to break' });
    const doomedFacilitator = await facilitatorToken(first.url, doomed);
    const doomedPerson = await joinRoom(first.url, doomed, 'North');
    await first.close();

    // The doomed workshop's file is cut short, as by a full disk; other junk lies beside it.
    const doomedFile = path.join(workshopsDir(dataDir), `${doomed.id}.json`);
    const original = await readFile(doomedFile, 'utf8');
    const truncated = original.slice(0, Math.floor(original.length / 2));
    await writeFile(doomedFile, truncated);
    await writeBrokenFiles(dataDir);

    const server = await newServer({ dataDir });
    servers.push(server);
    expect((await api(server.url, 'GET', '/api/health')).status).toBe(200);

    // The healthy workshop works as before.
    const token = await facilitatorToken(server.url, healthy);
    expect((await api<FacilitatorWorkshopView>(server.url, 'GET', `/api/workshops/${healthy.id}`, undefined, { authorization: `Bearer ${token}` })).body)
      .toMatchObject({ id: healthy.id, title: 'Still fine' });
    const newcomer = await joinRoom(server.url, healthy, 'South', 'Newcomer');
    expect(newcomer.workshopId).toBe(healthy.id);

    // The broken one answers a clear 503 to everyone, including holders of its tokens.
    const auth = (t: string) => ({ authorization: `Bearer ${t}` });
    expectErrorBody(await api(server.url, 'GET', `/api/workshops/${doomed.id}`, undefined, auth(doomedFacilitator)), { status: 503, code: 'unavailable' });
    expectErrorBody(await api(server.url, 'GET', `/api/workshops/${doomed.id}`), { status: 503, code: 'unavailable' });
    expectErrorBody(await api(server.url, 'POST', `/api/workshops/${doomed.id}/facilitator-session`, undefined, auth(doomed.facilitatorKey)), {
      status: 503,
      code: 'unavailable'
    });
    expectErrorBody(await api(server.url, 'GET', `/api/workshops/${doomed.id}/rooms/${doomed.rooms[0]!.id}/cards`, undefined, auth(doomedPerson.token)), {
      status: 503,
      code: 'unavailable'
    });
    expectErrorBody(await api(server.url, 'GET', '/api/workshops/emptyFile00001'), { status: 503, code: 'unavailable' });
    // Its join code is not offered to newcomers.
    expectErrorBody(await api(server.url, 'GET', `/api/join/${doomed.joinCode}`), { status: 404, code: 'not_found' });
    // Its live channels refuse the tokens rather than open an empty room.
    const upgrade = await rawUpgrade(`${server.wsUrl}/${doomed.id}/${doomed.rooms[0]!.id}?token=${doomedPerson.token}`);
    expect(upgrade.status).toBeGreaterThanOrEqual(400);
    const socket = controlClient(server.url, { token: doomedFacilitator });
    try {
      expect((await refused(socket)).data).toMatchObject({ error: { code: 'unauthorized' } });
    } finally {
      socket.disconnect();
    }

    await server.close();
    expect(await readFile(doomedFile, 'utf8')).toBe(truncated);
    await expectBrokenFilesUntouched(dataDir);
  });
});
