import type { Awareness } from 'y-protocols/awareness';
import { LIMITS, PLENARY_ROOM_ID } from '@goldthread/shared';

/** The key of a participant's private document inside a workshop: `<roomId>/private/<participantId>`. */
export const privateRoomKey = (roomId: string, participantId: string) => `${roomId}/private/${participantId}`;

/** What a room key names: a room, the plenary, or a participant's private document. */
export function docKindOf(roomKey: string): DocKind {
  if (roomKey === PLENARY_ROOM_ID) return { kind: 'plenary' };
  const parts = roomKey.split('/');
  return parts.length === 3 && parts[1] === 'private' ? { kind: 'private', participantId: parts[2]! } : { kind: 'room' };
}
import { Room, type RoomPeer } from './room.js';
import { checkRoomChange, type DocKind, type Refusal } from './write-rules.js';
import type { WorkshopStore } from '../store/types.js';
import type { JournalStore, RoomJournal } from '../store/journal.js';
import { storageError } from '../store/storage-error.js';
import { AppError } from '../errors.js';
import { revertibleEdit } from './revertible-edit.js';
import { fillJournalGaps } from './journal-gaps.js';
import type { Logger } from '../logger.js';

export interface RoomRegistryOptions {
  store: WorkshopStore;
  /** Per-room write-ahead journals; without one, edits are durable only once saved. */
  journals: JournalStore | null;
  logger: Logger;
  saveQuietMs: number;
  saveMaxMs: number;
  /** How long an empty room stays loaded before it is unloaded. */
  idleUnloadMs: number;
  encodeUpdate: (update: Uint8Array) => Uint8Array;
  encodeAwareness: (awareness: Awareness, clients: number[]) => Uint8Array;
  /** Runs on a freshly loaded room before any peer syncs, e.g. to apply the board locks. */
  prepare?: (room: Room) => Promise<void>;
  /** Called after a room's state was saved, e.g. to add an automatic timeline entry. */
  onSaved?: (workshopId: string) => void;
  /** Called when a peer's change to a room was refused, to tell that person why. */
  onRefusal?: (room: Room, peer: RoomPeer, refusal: Refusal) => void;
  /** Called after every change to a room's document (e.g. to count private cards). */
  onDocumentChange?: (room: Room) => void;
  /** Called whenever a room's peers change, e.g. to publish head-counts. */
  onOccupancyChange?: (workshopId: string) => void;
  /** Called when an idle unload leaves no room loaded (e.g. to give memory back). */
  onAllUnloaded?: () => void;
}

/**
 * The rooms loaded in this process. A room is loaded from the store before any peer
 * syncs, saved when its last peer leaves, and unloaded after a quiet grace period.
 */
export class RoomRegistry {
  readonly #rooms = new Map<string, Promise<Room>>();
  /** The same rooms once loaded, for changes that must not wait. */
  readonly #ready = new Map<string, Room>();
  readonly #idleTimers = new Map<string, NodeJS.Timeout>();
  /** Each loaded room's journal, to wait for a change to be fsynced. */
  readonly #journals = new WeakMap<Room, RoomJournal>();
  readonly #options: RoomRegistryOptions;
  #closing = false;

  constructor(options: RoomRegistryOptions) {
    this.#options = options;
  }

  /** Joins a peer to a room, loading the room first if needed. Rejects when it cannot load. */
  async join(workshopId: string, roomId: string, peer: RoomPeer): Promise<Room> {
    if (this.#closing) throw new Error('the server is shutting down');
    const room = await this.#load(workshopId, roomId);
    const idle = this.#idleTimers.get(room.name);
    if (idle) {
      clearTimeout(idle);
      this.#idleTimers.delete(room.name);
    }
    room.addPeer(peer);
    this.#options.onOccupancyChange?.(workshopId);
    return room;
  }

  /** Removes a peer; an empty room is saved now and unloaded after the grace period. */
  leave(room: Room, peer: RoomPeer): void {
    room.removePeer(peer);
    this.#options.onOccupancyChange?.(room.workshopId);
    if (room.peers.size > 0 || this.#closing) return;
    room.flush().catch((error) => this.#options.logger.error(`saving room ${room.name} failed`, error));
    this.#idleTimers.set(
      room.name,
      setTimeout(() => void this.#unloadIfIdle(room), this.#options.idleUnloadMs)
    );
  }

  /**
   * Runs a change on a room from the server side (e.g. a card added over HTTP): the room is
   * loaded if needed and treated like a briefly connected peer, so it is saved and unloaded as usual.
   * Resolves only once what `apply` changed is on disk (journaled and fsynced, or saved); when it
   * cannot be written, the change is undone and this rejects with a StorageError.
   */
  async change<T>(workshopId: string, roomId: string, apply: (room: Room) => T): Promise<T> {
    const visitor: RoomPeer = { role: 'facilitator', participantId: null, send: () => undefined };
    const room = await this.join(workshopId, roomId, visitor);
    try {
      const edit = revertibleEdit(room.doc, () => apply(room));
      try {
        if (edit.changed) await this.#durable(room);
      } catch (error) {
        edit.revert();
        throw storageError(error);
      } finally {
        edit.forget();
      }
      return edit.result;
    } finally {
      this.leave(room, visitor);
    }
  }

  /** Resolves once every change made to the room so far is on disk. */
  #durable(room: Room): Promise<void> {
    const journal = this.#journals.get(room);
    return journal ? journal.flush() : room.flush();
  }

  /** The room if it is loaded (or loading) now. */
  loaded(workshopId: string, roomId: string): Promise<Room> | undefined {
    return this.#rooms.get(`${workshopId}/${roomId}`);
  }

  /**
   * Runs `apply` on each room of a workshop: at once for loaded rooms, and for rooms still
   * loading as soon as they are ready.
   */
  eachRoomOf(workshopId: string, apply: (room: Room) => void): void {
    for (const [name, pending] of this.#rooms) {
      if (!name.startsWith(`${workshopId}/`)) continue;
      const ready = this.#ready.get(name);
      if (ready) apply(ready);
      else pending.then(apply, () => undefined);
    }
  }

  /** The rooms of a workshop that are in memory now. */
  async roomsOf(workshopId: string): Promise<Room[]> {
    const rooms: Room[] = [];
    for (const [name, pending] of this.#rooms) {
      if (!name.startsWith(`${workshopId}/`)) continue;
      const room = await pending.catch(() => null);
      if (room) rooms.push(room);
    }
    return rooms;
  }

  /** Keys of every document of a workshop that exists anywhere: in memory, saved, or only journaled. */
  async documentKeys(workshopId: string): Promise<string[]> {
    const keys = new Set(await this.#options.store.savedRoomKeys(workshopId));
    for (const key of (await this.#options.journals?.keys(workshopId)) ?? []) keys.add(key);
    for (const name of this.#rooms.keys()) if (name.startsWith(`${workshopId}/`)) keys.add(name.slice(workshopId.length + 1));
    return [...keys];
  }

  /** How many rooms are in memory. */
  get size(): number {
    return this.#rooms.size;
  }

  /** Head-count of participants per loaded room of a workshop. */
  async participantCounts(workshopId: string): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const room of await this.roomsOf(workshopId)) {
      if (room.kind.kind === 'room') counts[room.roomId] = room.participantCount();
    }
    return counts;
  }

  /** Saves every loaded room that has unsaved changes. */
  async flushAll(): Promise<void> {
    const rooms = await Promise.all([...this.#rooms.values()].map((p) => p.catch(() => null)));
    const results = await Promise.allSettled(rooms.map((room) => room?.flush()));
    for (const result of results) {
      if (result.status === 'rejected') this.#options.logger.error('saving a room failed', result.reason);
    }
  }

  /** Saves and unloads everything; no room loads afterwards. */
  async close(): Promise<void> {
    this.#closing = true;
    for (const timer of this.#idleTimers.values()) clearTimeout(timer);
    this.#idleTimers.clear();
    const rooms = await Promise.all([...this.#rooms.values()].map((p) => p.catch(() => null)));
    this.#rooms.clear();
    this.#ready.clear();
    const unload = async (room: Room | null) => {
      try {
        await room?.unload();
      } catch (error) {
        // Nothing retries after shutdown; what the journal holds is replayed at the next start.
        room?.destroy();
        throw error;
      }
    };
    const results = await Promise.allSettled(rooms.map(unload));
    for (const result of results) {
      if (result.status === 'rejected') this.#options.logger.error('saving a room at shutdown failed', result.reason);
    }
  }

  #load(workshopId: string, roomId: string): Promise<Room> {
    const name = `${workshopId}/${roomId}`;
    let pending = this.#rooms.get(name);
    if (!pending) {
      pending = this.#create(workshopId, roomId).catch((error: unknown) => {
        this.#options.logger.error(`loading room ${name} failed`, error);
        throw error instanceof AppError ? error : new AppError('unavailable', 'This room cannot be opened right now; the server log names the problem.');
      });
      this.#rooms.set(name, pending);
      pending.then((room) => {
        if (this.#rooms.get(name) === pending) this.#ready.set(name, room);
      }, () => undefined);
      // A room that failed to load is forgotten, so a later attempt tries again; it is never saved.
      pending.catch(() => {
        if (this.#rooms.get(name) === pending) this.#rooms.delete(name);
      });
    }
    return pending;
  }

  async #create(workshopId: string, roomId: string): Promise<Room> {
    const { store, journals, logger, saveQuietMs, saveMaxMs, encodeUpdate, encodeAwareness } = this.#options;
    const name = `${workshopId}/${roomId}`;
    const saved = await store.loadRoom(workshopId, roomId);
    const boardIds = new Set(store.get(workshopId)?.boards.map((board) => board.id) ?? []);
    const kind = docKindOf(roomId);
    const opened = journals ? await journals.open(workshopId, roomId) : null;
    for (const problem of opened?.problems ?? []) logger.warn(`journal of room ${name}: ${problem}`);
    const room = new Room({
      workshopId,
      roomId,
      save: async (snapshot) => {
        await store.saveRoom(workshopId, roomId, snapshot);
        this.#options.onSaved?.(workshopId);
      },
      saveQuietMs,
      saveMaxMs,
      journal: opened?.journal ?? null,
      rules: (change) => checkRoomChange(change, { boardIds, maxCardsPerBoard: LIMITS.cardsPerBoard }),
      kind,
      onChange: () => this.#options.onDocumentChange?.(room),
      onRefusal: (peer, refusal) => this.#options.onRefusal?.(room, peer, refusal),
      logger,
      encodeUpdate,
      encodeAwareness
    });
    try {
      if (saved) room.load(saved);
      await this.#options.prepare?.(room);
    } catch (error) {
      await opened?.journal.close();
      room.destroy();
      throw error;
    }
    if (opened) this.#journals.set(room, opened.journal);
    const failed = room.replay(opened?.updates ?? []);
    if (failed > 0) logger.warn(`journal of room ${name}: ${failed} record(s) could not be applied and were skipped`);
    this.#applyAfterLostRecords(room);
    if ((opened?.updates.length ?? 0) > 0) logger.info(`room ${name}: replayed ${opened!.updates.length} journaled edit(s)`);
    return room;
  }

  /**
   * Edits journaled after a skipped (damaged) record still apply: the clocks it held are marked
   * deleted. Whatever still waits after that depends on nothing this room will ever receive, and
   * is dropped so it cannot attach itself to a peer's later change.
   */
  #applyAfterLostRecords(room: Room): void {
    const store = room.doc.store;
    for (let filler = fillJournalGaps(room.doc), rounds = 0; filler && rounds < 100; filler = fillJournalGaps(room.doc), rounds++) {
      room.replay([filler]);
    }
    if (store.pendingStructs !== null || store.pendingDs !== null) {
      this.#options.logger.warn(`journal of room ${room.name}: edits that depend on lost records were dropped`);
      store.pendingStructs = null;
      store.pendingDs = null;
    }
  }

  async #unloadIfIdle(room: Room): Promise<void> {
    this.#idleTimers.delete(room.name);
    if (room.peers.size > 0 || this.#rooms.get(room.name) === undefined) return;
    try {
      await room.flush();
    } catch (error) {
      // Keep it in memory rather than lose edits; try again after another grace period.
      this.#options.logger.error(`saving idle room ${room.name} failed; keeping it loaded`, error);
      this.#idleTimers.set(room.name, setTimeout(() => void this.#unloadIfIdle(room), this.#options.idleUnloadMs));
      return;
    }
    if (room.peers.size > 0) return;
    this.#rooms.delete(room.name);
    this.#ready.delete(room.name);
    await room.unload().catch((error) => this.#options.logger.error(`unloading room ${room.name} failed`, error));
    if (this.#rooms.size === 0) this.#options.onAllUnloaded?.();
  }
}
