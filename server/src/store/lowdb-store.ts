import { mkdir, readdir } from 'node:fs/promises';
import { localDisk } from './disk.js';
import { erasedParticipant } from './erased-participant.js';
import path from 'node:path';
import { Low } from 'lowdb';
import { isId } from '@goldthread/shared';
import { AtomicJsonFile, type AtomicJsonFileOptions } from './atomic-json-file.js';
import { KeyedQueue } from '../concurrency/keyed-queue.js';
import { summariseSnapshot } from './snapshot-summary.js';
import type {
  BrokenWorkshopFile,
  RoomSnapshot,
  WorkshopSnapshot,
  StoredParticipant,
  StoredWorkshop,
  WorkshopStore
} from './types.js';
import type { CardView } from '@goldthread/shared';
import type { StoredControl } from '../control/workshop-control.js';

/** The on-disk shape of `<dataDir>/workshops/<id>.json`. */
interface WorkshopFile {
  format: 'goldthread-workshop';
  version: 1;
  workshop: StoredWorkshop;
  participants: StoredParticipant[];
  rooms: Record<string, { savedAt: number; update: string; cards: CardView[] }>;
  control?: StoredControl;
}

function isWorkshopFile(value: unknown): value is WorkshopFile {
  if (typeof value !== 'object' || value === null) return false;
  const file = value as Partial<WorkshopFile>;
  const workshop = file.workshop as Partial<StoredWorkshop> | undefined;
  return (
    file.format === 'goldthread-workshop' &&
    file.version === 1 &&
    typeof workshop === 'object' &&
    typeof workshop.id === 'string' &&
    typeof workshop.joinCode === 'string' &&
    Array.isArray(workshop.rooms) &&
    Array.isArray(workshop.boards) &&
    Array.isArray(file.participants) &&
    typeof file.rooms === 'object' &&
    file.rooms !== null
  );
}

/** The on-disk shape of `<dataDir>/snapshots/<id>.json`: the workshop's timeline, kept apart so saves stay small. */
interface SnapshotFile {
  format: 'goldthread-snapshots';
  version: 1;
  snapshots: (Omit<WorkshopSnapshot, 'rooms'> & { rooms: Record<string, { update: string; cards: CardView[] }> })[];
}

/**
 * lowdb-backed store: one JSON file per workshop, so a write touches only its own workshop.
 * Workshop metadata is indexed in memory at open; room snapshots are read when a room loads.
 */
export class LowdbWorkshopStore implements WorkshopStore {
  readonly #dir: string;
  readonly #snapshotDir: string;
  readonly #workshops = new Map<string, StoredWorkshop>();
  readonly #byJoinCode = new Map<string, string>();
  readonly #broken = new Map<string, BrokenWorkshopFile>();
  readonly #files = new KeyedQueue();
  /** Per workshop, the changes waiting for its next write, and that write (see `#update`). */
  readonly #nextWrite = new Map<string, { changes: ((data: WorkshopFile) => void)[]; written: Promise<void> }>();

  readonly #fileOptions: AtomicJsonFileOptions;

  /** `options.disk` is where writes go; `options.onWriteError` hears of each failed write (which the caller gets as a StorageError). */
  constructor(dataDir: string, options: AtomicJsonFileOptions = {}) {
    this.#dir = path.join(dataDir, 'workshops');
    this.#snapshotDir = path.join(dataDir, 'snapshots');
    this.#fileOptions = options;
  }

  async open() {
    await mkdir(this.#dir, { recursive: true });
    await mkdir(this.#snapshotDir, { recursive: true });
    const names = (await readdir(this.#dir)).filter((name) => name.endsWith('.json') && !name.startsWith('.'));
    for (const name of names) {
      const workshopId = name.slice(0, -'.json'.length);
      const file = path.join(this.#dir, name);
      try {
        const data = await new AtomicJsonFile<unknown>(file).read();
        if (!isWorkshopFile(data) || data.workshop.id !== workshopId) {
          throw new Error(`${file} is not a Goldthread workshop file`);
        }
        this.#index(data.workshop);
      } catch (error) {
        this.#broken.set(workshopId, { workshopId, file, problem: (error as Error).message });
      }
    }
    return { workshops: this.#workshops.size, broken: [...this.#broken.values()] };
  }

  async create(workshop: StoredWorkshop) {
    if (!isId(workshop.id)) throw new Error(`invalid workshop id ${workshop.id}`);
    const file: WorkshopFile = { format: 'goldthread-workshop', version: 1, workshop, participants: [], rooms: {} };
    await this.#withFile(workshop.id, async (db) => {
      db.data = file;
      await db.write();
    });
    this.#index(workshop);
  }

  async updateWorkshop(workshop: StoredWorkshop) {
    const copy = structuredClone(workshop);
    await this.#update(copy.id, (data) => {
      data.workshop = copy;
    });
    this.#workshops.set(copy.id, structuredClone(copy));
  }

  get(workshopId: string) {
    return this.#workshops.get(workshopId);
  }

  findByJoinCode(joinCode: string) {
    const id = this.#byJoinCode.get(joinCode);
    return id === undefined ? undefined : this.#workshops.get(id);
  }

  brokenReason(workshopId: string) {
    return this.#broken.get(workshopId)?.problem ?? null;
  }

  async addParticipant(workshopId: string, participant: StoredParticipant) {
    await this.#update(workshopId, (data) => {
      data.participants.push(participant);
    });
  }

  async addParticipants(workshopId: string, participants: readonly StoredParticipant[]) {
    await this.#update(workshopId, (data) => {
      data.participants.push(...participants.map((p) => ({ ...p })));
    });
  }

  async participants(workshopId: string) {
    return this.#withFile(workshopId, async (db) => (await this.#read(db, workshopId)).participants);
  }

  async loadRoom(workshopId: string, roomId: string): Promise<RoomSnapshot | null> {
    return this.#withFile(workshopId, async (db) => {
      const rooms = (await this.#read(db, workshopId)).rooms;
      const saved = Object.hasOwn(rooms, roomId) ? rooms[roomId] : undefined;
      if (!saved) return null;
      return { savedAt: saved.savedAt, cards: saved.cards, update: new Uint8Array(Buffer.from(saved.update, 'base64')) };
    });
  }

  async savedRoomKeys(workshopId: string) {
    return this.#withFile(workshopId, async (db) => Object.keys((await this.#read(db, workshopId)).rooms));
  }

  async saveRoom(workshopId: string, roomId: string, snapshot: RoomSnapshot) {
    await this.#update(workshopId, (data) => {
      data.rooms[roomId] = {
        savedAt: snapshot.savedAt,
        update: Buffer.from(snapshot.update).toString('base64'),
        cards: snapshot.cards
      };
    });
  }

  async loadControl(workshopId: string) {
    return this.#withFile(workshopId, async (db) => (await this.#read(db, workshopId)).control ?? null);
  }

  async saveControl(workshopId: string, control: StoredControl) {
    await this.#update(workshopId, (data) => {
      data.control = control;
    });
  }

  async addSnapshot(workshopId: string, snapshot: WorkshopSnapshot) {
    this.#require(workshopId);
    await this.#withSnapshots(workshopId, async (db) => {
      await db.read();
      const data = db.data ?? { format: 'goldthread-snapshots', version: 1, snapshots: [] };
      data.snapshots.push(encodeSnapshot(snapshot));
      db.data = data;
      await db.write();
    });
  }

  async listSnapshots(workshopId: string) {
    this.#require(workshopId);
    return this.#withSnapshots(workshopId, async (db) => {
      await db.read();
      return (db.data?.snapshots ?? []).map(summariseSnapshot);
    });
  }

  async getSnapshot(workshopId: string, snapshotId: string) {
    this.#require(workshopId);
    return this.#withSnapshots(workshopId, async (db) => {
      await db.read();
      const found = db.data?.snapshots.find((s) => s.id === snapshotId);
      return found ? decodeSnapshot(found) : null;
    });
  }

  workshopIds() {
    return [...this.#workshops.keys()];
  }

  async deleteWorkshop(workshopId: string) {
    const workshop = this.#workshops.get(workshopId);
    // Forgotten first, so nothing new reads or writes it while its files go.
    this.#workshops.delete(workshopId);
    if (workshop && this.#byJoinCode.get(workshop.joinCode) === workshopId) this.#byJoinCode.delete(workshop.joinCode);
    this.#broken.delete(workshopId);
    this.#nextWrite.delete(workshopId);
    const disk = this.#fileOptions.disk ?? localDisk;
    const remove = async (dir: string) => {
      // The file itself and any temp file a failed or interrupted write left (`.<id>.json.<pid>.<n>.tmp`).
      const names = (await readdir(dir)).filter((name) => name === `${workshopId}.json` || name.startsWith(`.${workshopId}.json.`));
      for (const name of names) await disk.unlink(path.join(dir, name)).catch(ignoreMissing);
      if (names.length > 0) await disk.syncFolder(dir);
    };
    await this.#files.run(workshopId, () => remove(this.#dir));
    await this.#files.run(`snapshots:${workshopId}`, () => remove(this.#snapshotDir));
  }

  async eraseParticipant(workshopId: string, participantId: string) {
    await this.#update(workshopId, (data) => {
      data.participants = data.participants.map((p) => (p.id === participantId ? erasedParticipant(p) : p));
    });
  }

  async rewriteSnapshots(workshopId: string, rewrite: (snapshot: WorkshopSnapshot) => WorkshopSnapshot | null) {
    this.#require(workshopId);
    return this.#withSnapshots(workshopId, async (db) => {
      await db.read();
      if (!db.data) return 0;
      let changed = 0;
      db.data.snapshots = db.data.snapshots.map((stored) => {
        const next = rewrite(decodeSnapshot(stored));
        if (!next) return stored;
        changed++;
        return encodeSnapshot(next);
      });
      if (changed > 0) await db.write();
      return changed;
    });
  }

  async close() {
    await this.#files.idle();
  }

  #index(workshop: StoredWorkshop) {
    workshop = structuredClone(workshop);
    this.#workshops.set(workshop.id, workshop);
    this.#byJoinCode.set(workshop.joinCode, workshop.id);
  }

  #fileOf(workshopId: string) {
    return path.join(this.#dir, `${workshopId}.json`);
  }

  async #read(db: Low<WorkshopFile>, workshopId: string): Promise<WorkshopFile> {
    const broken = this.#broken.get(workshopId);
    if (broken) throw new Error(`workshop ${workshopId} cannot be used: ${broken.problem}`);
    if (!this.#workshops.has(workshopId)) throw new Error(`no workshop ${workshopId}`);
    await db.read();
    if (!db.data || !isWorkshopFile(db.data)) {
      const problem = `${this.#fileOf(workshopId)} is missing or not a Goldthread workshop file`;
      this.#broken.set(workshopId, { workshopId, file: this.#fileOf(workshopId), problem });
      throw new Error(problem);
    }
    return db.data;
  }

  /**
   * Applies `change` to the workshop's file; resolves once it is durably written. Changes that
   * arrive while the file is busy are written together by the next write (group commit): a
   * hundred people joining at once cost a few writes of the file, not a hundred.
   */
  #update(workshopId: string, change: (data: WorkshopFile) => void): Promise<void> {
    const waiting = this.#nextWrite.get(workshopId);
    if (waiting) {
      waiting.changes.push(change);
      return waiting.written;
    }
    const changes = [change];
    // The queue starts the write on a later tick at the earliest, so the entry is in place first.
    const written = this.#withFile(workshopId, async (db) => {
      // From here on, new changes wait for the write after this one.
      this.#nextWrite.delete(workshopId);
      const data = await this.#read(db, workshopId);
      for (const apply of changes) apply(data);
      await db.write();
    });
    this.#nextWrite.set(workshopId, { changes, written });
    return written;
  }

  #require(workshopId: string) {
    const broken = this.#broken.get(workshopId);
    if (broken) throw new Error(`workshop ${workshopId} cannot be used: ${broken.problem}`);
    if (!this.#workshops.has(workshopId)) throw new Error(`no workshop ${workshopId}`);
  }

  #withSnapshots<T>(workshopId: string, work: (db: Low<SnapshotFile>) => Promise<T>): Promise<T> {
    const file = path.join(this.#snapshotDir, `${workshopId}.json`);
    const db = new Low<SnapshotFile>(new AtomicJsonFile<SnapshotFile>(file, this.#fileOptions), null as never);
    return this.#files.run(`snapshots:${workshopId}`, () => work(db));
  }

  /** Runs read-modify-write cycles on one workshop's file one at a time. */
  #withFile<T>(workshopId: string, work: (db: Low<WorkshopFile>) => Promise<T>): Promise<T> {
    const db = new Low<WorkshopFile>(new AtomicJsonFile<WorkshopFile>(this.#fileOf(workshopId), this.#fileOptions), null as never);
    return this.#files.run(workshopId, () => work(db));
  }
}

type SnapshotInFile = SnapshotFile['snapshots'][number];

function encodeSnapshot(snapshot: WorkshopSnapshot): SnapshotInFile {
  const rooms = Object.fromEntries(
    Object.entries(snapshot.rooms).map(([roomId, room]) => [roomId, { update: Buffer.from(room.update).toString('base64'), cards: room.cards }])
  );
  return { ...snapshot, rooms };
}

function decodeSnapshot(stored: SnapshotInFile): WorkshopSnapshot {
  const rooms = Object.fromEntries(
    Object.entries(stored.rooms).map(([roomId, room]) => [roomId, { update: new Uint8Array(Buffer.from(room.update, 'base64')), cards: room.cards }])
  );
  return { ...stored, rooms };
}

function ignoreMissing(error: NodeJS.ErrnoException) {
  if (error.code !== 'ENOENT') throw error;
}
