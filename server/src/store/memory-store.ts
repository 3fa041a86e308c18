import type { RoomSnapshot, StoredParticipant, StoredWorkshop, WorkshopSnapshot, WorkshopStore } from './types.js';
import { summariseSnapshot } from './snapshot-summary.js';
import { erasedParticipant } from './erased-participant.js';
import type { StoredControl } from '../control/workshop-control.js';

/** In-memory twin of the lowdb store, for tests and throwaway servers. */
export class MemoryWorkshopStore implements WorkshopStore {
  readonly #workshops = new Map<string, StoredWorkshop>();
  readonly #participants = new Map<string, StoredParticipant[]>();
  readonly #rooms = new Map<string, RoomSnapshot>();
  readonly #controls = new Map<string, StoredControl>();
  readonly #snapshots = new Map<string, WorkshopSnapshot[]>();

  async open() {
    return { workshops: this.#workshops.size, broken: [] };
  }

  async create(workshop: StoredWorkshop) {
    this.#workshops.set(workshop.id, structuredClone(workshop));
    this.#participants.set(workshop.id, []);
  }

  async updateWorkshop(workshop: StoredWorkshop) {
    if (!this.#workshops.has(workshop.id)) throw new Error(`no workshop ${workshop.id}`);
    this.#workshops.set(workshop.id, structuredClone(workshop));
  }

  get(workshopId: string) {
    return this.#workshops.get(workshopId);
  }

  findByJoinCode(joinCode: string) {
    return [...this.#workshops.values()].find((w) => w.joinCode === joinCode);
  }

  brokenReason() {
    return null;
  }

  async addParticipant(workshopId: string, participant: StoredParticipant) {
    this.#participantsOf(workshopId).push({ ...participant });
  }

  async addParticipants(workshopId: string, participants: readonly StoredParticipant[]) {
    this.#participantsOf(workshopId).push(...participants.map((p) => ({ ...p })));
  }

  async participants(workshopId: string) {
    return this.#participantsOf(workshopId).map((p) => ({ ...p }));
  }

  async loadRoom(workshopId: string, roomId: string) {
    const saved = this.#rooms.get(`${workshopId}/${roomId}`);
    return saved ? structuredClone(saved) : null;
  }

  async savedRoomKeys(workshopId: string) {
    const prefix = `${workshopId}/`;
    return [...this.#rooms.keys()].filter((key) => key.startsWith(prefix)).map((key) => key.slice(prefix.length));
  }

  async saveRoom(workshopId: string, roomId: string, snapshot: RoomSnapshot) {
    if (!this.#workshops.has(workshopId)) throw new Error(`no workshop ${workshopId}`);
    this.#rooms.set(`${workshopId}/${roomId}`, structuredClone(snapshot));
  }

  async loadControl(workshopId: string) {
    const control = this.#controls.get(workshopId);
    return control ? structuredClone(control) : null;
  }

  async saveControl(workshopId: string, control: StoredControl) {
    if (!this.#workshops.has(workshopId)) throw new Error(`no workshop ${workshopId}`);
    this.#controls.set(workshopId, structuredClone(control));
  }

  async addSnapshot(workshopId: string, snapshot: WorkshopSnapshot) {
    if (!this.#workshops.has(workshopId)) throw new Error(`no workshop ${workshopId}`);
    const list = this.#snapshots.get(workshopId) ?? [];
    list.push(structuredClone(snapshot));
    this.#snapshots.set(workshopId, list);
  }

  async listSnapshots(workshopId: string) {
    return (this.#snapshots.get(workshopId) ?? []).map(summariseSnapshot);
  }

  async getSnapshot(workshopId: string, snapshotId: string) {
    const found = this.#snapshots.get(workshopId)?.find((s) => s.id === snapshotId);
    return found ? structuredClone(found) : null;
  }

  workshopIds() {
    return [...this.#workshops.keys()];
  }

  async deleteWorkshop(workshopId: string) {
    this.#workshops.delete(workshopId);
    this.#participants.delete(workshopId);
    this.#controls.delete(workshopId);
    this.#snapshots.delete(workshopId);
    for (const key of [...this.#rooms.keys()]) if (key.startsWith(`${workshopId}/`)) this.#rooms.delete(key);
  }

  async eraseParticipant(workshopId: string, participantId: string) {
    const list = this.#participantsOf(workshopId);
    this.#participants.set(workshopId, list.map((p) => (p.id === participantId ? erasedParticipant(p) : p)));
  }

  async rewriteSnapshots(workshopId: string, rewrite: (snapshot: WorkshopSnapshot) => WorkshopSnapshot | null) {
    const list = this.#snapshots.get(workshopId) ?? [];
    let changed = 0;
    this.#snapshots.set(
      workshopId,
      list.map((snapshot) => {
        const next = rewrite(structuredClone(snapshot));
        if (!next) return snapshot;
        changed++;
        return structuredClone(next);
      })
    );
    return changed;
  }

  async close() {}

  #participantsOf(workshopId: string) {
    const list = this.#participants.get(workshopId);
    if (!list) throw new Error(`no workshop ${workshopId}`);
    return list;
  }
}
