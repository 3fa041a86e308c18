import * as Y from 'yjs';
import { Awareness, removeAwarenessStates } from 'y-protocols/awareness';
import { readCards, roomDocName } from '@goldthread/shared';
import { SaveScheduler } from './save-scheduler.js';
import type { RoomSnapshot } from '../store/types.js';
import type { RoomJournal } from '../store/journal.js';
import type { Logger } from '../logger.js';

/** A connected client of a room, as the room sees it. */
export interface RoomPeer {
  readonly participantId: string | null;
  send(message: Uint8Array): void;
}

/** Origin of the saved state applied when a room loads: already saved, so not a change. */
const LOAD_ORIGIN = Symbol('goldthread-load');
/** Origin of journal records replayed at load: already journaled, but not yet in a snapshot. */
const REPLAY_ORIGIN = Symbol('goldthread-replay');

export interface RoomOptions {
  workshopId: string;
  roomId: string;
  save: (snapshot: RoomSnapshot) => Promise<void>;
  saveQuietMs: number;
  saveMaxMs: number;
  /** Where every change is appended before it counts as durable; null runs without one. */
  journal: RoomJournal | null;
  logger: Logger;
  /** Encodes a document update as a wire message (kept out of the room so it stays protocol-free). */
  encodeUpdate: (update: Uint8Array) => Uint8Array;
  encodeAwareness: (awareness: Awareness, clients: number[]) => Uint8Array;
}

/**
 * One room's live Yjs document: its peers, its awareness, and the saving of its state.
 * Updates from one peer reach every other peer; the room saves itself after changes.
 */
export class Room {
  readonly workshopId: string;
  readonly roomId: string;
  readonly doc = new Y.Doc();
  readonly awareness: Awareness;
  /** Each peer, with the awareness client ids it has published. */
  readonly peers = new Map<RoomPeer, Set<number>>();
  readonly #scheduler: SaveScheduler;
  readonly #options: RoomOptions;

  constructor(options: RoomOptions) {
    this.#options = options;
    this.workshopId = options.workshopId;
    this.roomId = options.roomId;
    this.awareness = new Awareness(this.doc);
    this.awareness.setLocalState(null);
    this.#scheduler = new SaveScheduler(() => this.#save(), {
      quietMs: options.saveQuietMs,
      maxMs: options.saveMaxMs,
      onError: (error) => options.logger.error(`saving room ${this.name} failed; will retry on the next change`, error)
    });
    this.doc.on('update', this.#onUpdate);
    this.awareness.on('update', this.#onAwareness);
  }

  get name(): string {
    return roomDocName(this.workshopId, this.roomId);
  }

  /** Applies the saved state before any peer syncs; it does not count as an unsaved change. */
  load(snapshot: RoomSnapshot): void {
    Y.applyUpdate(this.doc, snapshot.update, LOAD_ORIGIN);
  }

  /**
   * Replays journaled updates over the snapshot; they are then saved in the next snapshot.
   * Returns how many could not be applied (each is skipped, the rest still apply).
   */
  replay(updates: Uint8Array[]): number {
    let failed = 0;
    for (const update of updates) {
      try {
        Y.applyUpdate(this.doc, update, REPLAY_ORIGIN);
      } catch {
        failed++;
      }
    }
    return failed;
  }

  addPeer(peer: RoomPeer): void {
    this.peers.set(peer, new Set());
  }

  /** Removes a peer and the presence it published. */
  removePeer(peer: RoomPeer): void {
    const clients = this.peers.get(peer);
    this.peers.delete(peer);
    if (clients && clients.size > 0) removeAwarenessStates(this.awareness, [...clients], null);
  }

  /** Distinct participants connected now. */
  participantCount(): number {
    const ids = new Set<string>();
    for (const peer of this.peers.keys()) if (peer.participantId) ids.add(peer.participantId);
    return ids.size;
  }

  get hasUnsavedChanges(): boolean {
    return this.#scheduler.dirty;
  }

  /** Saves now if anything changed since the last save. */
  flush(): Promise<void> {
    return this.#scheduler.flush();
  }

  /** Saves what is unsaved, closes the journal and frees the document. */
  async unload(): Promise<void> {
    await this.flush();
    await this.#options.journal?.close();
    this.destroy();
  }

  destroy(): void {
    this.#scheduler.cancel();
    this.doc.off('update', this.#onUpdate);
    this.awareness.off('update', this.#onAwareness);
    this.awareness.destroy();
    this.doc.destroy();
  }

  readonly #onUpdate = (update: Uint8Array, origin: unknown) => {
    if (origin === LOAD_ORIGIN) return;
    if (origin !== REPLAY_ORIGIN) this.#options.journal?.append(update);
    const message = this.#options.encodeUpdate(update);
    for (const peer of this.peers.keys()) if (peer !== origin) peer.send(message);
    this.#scheduler.changed();
  };

  readonly #onAwareness = (
    { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown
  ) => {
    const changed = [...added, ...updated, ...removed];
    const owned = this.peers.get(origin as RoomPeer);
    if (owned) {
      for (const id of added) owned.add(id);
      for (const id of removed) owned.delete(id);
    }
    const message = this.#options.encodeAwareness(this.awareness, changed);
    for (const peer of this.peers.keys()) peer.send(message);
  };

  /**
   * Seals the journal and encodes the state in the same tick, so the snapshot holds every
   * sealed record; once the snapshot is durable those journal generations are dropped.
   */
  async #save(): Promise<void> {
    const journal = this.#options.journal;
    const sealed = journal?.seal();
    await this.#options.save({
      savedAt: Date.now(),
      update: Y.encodeStateAsUpdate(this.doc),
      cards: readCards(this.doc)
    });
    if (journal && sealed !== undefined) await journal.dropThrough(sealed);
  }
}
