import * as Y from 'yjs';
import { newId, readCards, readThemes, reconcileCards, reconcileThemes, type RestoreResponse, type SnapshotView, type ThemeView } from '@goldthread/shared';
import { AppError } from '../errors.js';
import type { RoomRegistry } from '../rooms/room-registry.js';
import type { ControlRegistry } from '../control/control-registry.js';
import type { SnapshotReason, SnapshotSummary, WorkshopSnapshot, WorkshopStore } from '../store/types.js';
import type { Logger } from '../logger.js';
import { summariseSnapshot } from '../store/snapshot-summary.js';

const DEFAULT_LABELS: Record<SnapshotReason, string> = {
  manual: 'Saved by the facilitator',
  auto: 'Automatic save',
  phase: 'Phase change',
  end: 'End of session',
  'before-restore': 'Before restoring an earlier snapshot'
};

/** Automatic timeline entries come at most this often per workshop. */
const AUTO_INTERVAL_MS = 10 * 60_000;

/** The workshop's timeline: taking snapshots of every room, reading them, restoring one. */
export class SnapshotService {
  readonly #store: WorkshopStore;
  readonly #rooms: RoomRegistry;
  readonly #controls: ControlRegistry;
  readonly #logger: Logger;
  readonly #lastAuto = new Map<string, number>();

  constructor(deps: { store: WorkshopStore; rooms: RoomRegistry; controls: ControlRegistry; logger: Logger }) {
    this.#store = deps.store;
    this.#rooms = deps.rooms;
    this.#controls = deps.controls;
    this.#logger = deps.logger;
  }

  /** Records every room's current state (loading rooms that are not in memory). */
  async take(workshopId: string, reason: SnapshotReason, label?: string): Promise<SnapshotSummary> {
    const workshop = this.#workshop(workshopId);
    const rooms: WorkshopSnapshot['rooms'] = {};
    for (const room of workshop.rooms) {
      rooms[room.id] = await this.#rooms.change(workshopId, room.id, (live) => ({
        update: Y.encodeStateAsUpdate(live.doc),
        cards: readCards(live.doc)
      }));
    }
    const snapshot: WorkshopSnapshot = {
      id: newId(12),
      createdAt: Date.now(),
      label: label?.trim() || DEFAULT_LABELS[reason],
      reason,
      rooms,
      control: (await this.#controls.get(workshopId)).toStored()
    };
    await this.#store.addSnapshot(workshopId, snapshot);
    return summariseSnapshot(snapshot);
  }

  /** Adds an automatic entry after a save, unless one was taken recently. Never throws. */
  noteSaved(workshopId: string): void {
    const last = this.#lastAuto.get(workshopId) ?? 0;
    if (Date.now() - last < AUTO_INTERVAL_MS) return;
    this.#lastAuto.set(workshopId, Date.now());
    this.take(workshopId, 'auto').catch((error) => this.#logger.error(`automatic snapshot of ${workshopId} failed`, error));
  }

  list(workshopId: string): Promise<SnapshotSummary[]> {
    this.#workshop(workshopId);
    return this.#store.listSnapshots(workshopId);
  }

  async view(workshopId: string, snapshotId: string): Promise<SnapshotView> {
    const workshop = this.#workshop(workshopId);
    const snapshot = await this.#get(workshopId, snapshotId);
    return {
      id: snapshot.id,
      createdAt: snapshot.createdAt,
      label: snapshot.label,
      reason: snapshot.reason,
      rooms: workshop.rooms.map((room) => ({ roomId: room.id, name: room.name, cards: snapshot.rooms[room.id]?.cards ?? [] }))
    };
  }

  /**
   * Brings a snapshot back into the live rooms as one change each, which every connected
   * client sees at once: the cards, the themes, and which card was in which theme. The
   * current state is snapshotted first, so nothing is ever lost.
   */
  async restore(workshopId: string, snapshotId: string): Promise<RestoreResponse> {
    const workshop = this.#workshop(workshopId);
    const snapshot = await this.#get(workshopId, snapshotId);
    // Read everything first: a snapshot that cannot be read changes nothing.
    const plans = workshop.rooms.map((room) => {
      const saved = snapshot.rooms[room.id];
      return { roomId: room.id, cards: saved?.cards ?? [], themes: saved ? themesIn(saved.update) : [] };
    });
    const safety = await this.take(workshopId, 'before-restore');
    for (const { roomId, cards, themes } of plans) {
      await this.#rooms.change(workshopId, roomId, (live) =>
        live.doc.transact(() => {
          reconcileThemes(live.doc, themes);
          reconcileCards(live.doc, cards);
        })
      );
    }
    return { restored: summariseSnapshot(snapshot), safety };
  }

  async #get(workshopId: string, snapshotId: string): Promise<WorkshopSnapshot> {
    const snapshot = await this.#store.getSnapshot(workshopId, snapshotId);
    if (!snapshot) throw new AppError('not_found', 'No snapshot has that id.');
    return snapshot;
  }

  #workshop(workshopId: string) {
    const workshop = this.#store.get(workshopId);
    if (!workshop) throw new AppError('not_found', 'No workshop has that id.');
    return workshop;
  }
}

/** The themes held in a room's saved state (snapshots keep the cards apart, the themes only there). */
export function themesIn(update: Uint8Array): ThemeView[] {
  const doc = new Y.Doc();
  try {
    Y.applyUpdate(doc, update);
    return readThemes(doc);
  } finally {
    doc.destroy();
  }
}
