import type { SnapshotSummary, WorkshopSnapshot } from './types.js';

type SnapshotHead = Omit<WorkshopSnapshot, 'rooms'> & { rooms: Record<string, { cards: readonly unknown[] }> };

/** The timeline entry of a snapshot (encoded or decoded). */
export function summariseSnapshot(snapshot: SnapshotHead): SnapshotSummary {
  const cardCount = Object.values(snapshot.rooms).reduce((total, room) => total + room.cards.length, 0);
  return { id: snapshot.id, createdAt: snapshot.createdAt, label: snapshot.label, reason: snapshot.reason, cardCount };
}
