import type {
  AttributionChange,
  AttributionLevel,
  Board,
  CardView,
  ParticipantEntry,
  Room,
  SnapshotReason,
  SnapshotSummary,
  WorkshopDetails
} from '@goldthread/shared';

export type { SnapshotReason, SnapshotSummary };
import type { StoredControl } from '../control/workshop-control.js';

/** A workshop as the server keeps it. The facilitator key is only ever stored hashed. */
export interface StoredWorkshop {
  id: string;
  title: string;
  joinCode: string;
  facilitatorKeyHash: string;
  createdAt: number;
  rooms: Room[];
  boards: Board[];
  /** Absent in files written before details existed: the date is then the London date of `createdAt`. */
  details?: WorkshopDetails;
  /** Absent in older files: the default level. */
  attribution?: AttributionLevel;
  /** Every level the workshop has had, oldest first, so a change applies from then on. */
  attributionHistory?: AttributionChange[];
  /** Days after its date the workshop is kept; absent: the server's default (`GOLDTHREAD_RETENTION_DAYS`). */
  retentionDays?: number;
  /** Participants whose personal data was erased on request: their tokens no longer work. */
  erasedParticipants?: string[];
}

/**
 * Someone who joined, for attendance and room balancing (`proxy`: someone without a device, whose
 * cards and votes the facilitator enters; `erased`: name and organisation removed on request).
 * Stored as the facilitator's participant list shows it.
 */
export type StoredParticipant = ParticipantEntry;

/** The saved state of one room: the encoded Yjs document plus a readable copy of its cards. */
export interface RoomSnapshot {
  savedAt: number;
  /** `Y.encodeStateAsUpdate(doc)`, base64 in the file. */
  update: Uint8Array;
  cards: CardView[];
}

/** A point on the workshop's timeline: every room's state (encoded and readable) and the control state. */
export interface WorkshopSnapshot {
  id: string;
  createdAt: number;
  label: string;
  reason: SnapshotReason;
  rooms: Record<string, { update: Uint8Array; cards: CardView[] }>;
  control: StoredControl | null;
}

/** A workshop file that could not be read; it is never overwritten. */
export interface BrokenWorkshopFile {
  workshopId: string;
  file: string;
  problem: string;
}

/**
 * Where workshops and their room snapshots live. The lowdb store and the in-memory
 * twin both pass the same contract tests.
 */
export interface WorkshopStore {
  /** Reads what exists; reports files it could not read instead of failing. */
  open(): Promise<{ workshops: number; broken: BrokenWorkshopFile[] }>;
  create(workshop: StoredWorkshop): Promise<void>;
  /** Replaces a workshop's record (same id and join code), e.g. after its details were edited. */
  updateWorkshop(workshop: StoredWorkshop): Promise<void>;
  get(workshopId: string): StoredWorkshop | undefined;
  findByJoinCode(joinCode: string): StoredWorkshop | undefined;
  /** Why a workshop cannot be served (its file is broken), or null. */
  brokenReason(workshopId: string): string | null;
  addParticipant(workshopId: string, participant: StoredParticipant): Promise<void>;
  /** Adds many participants at once (an import), in one write however many they are. */
  addParticipants(workshopId: string, participants: readonly StoredParticipant[]): Promise<void>;
  participants(workshopId: string): Promise<StoredParticipant[]>;
  /** The latest saved state of a room, or null for a room never saved. */
  loadRoom(workshopId: string, roomId: string): Promise<RoomSnapshot | null>;
  saveRoom(workshopId: string, roomId: string, snapshot: RoomSnapshot): Promise<void>;
  /** Keys of every room document saved for a workshop (rooms, plenary, private documents). */
  savedRoomKeys(workshopId: string): Promise<string[]>;
  /** The facilitator's control state (phases, timer, votes...), or null before the first change. */
  loadControl(workshopId: string): Promise<StoredControl | null>;
  saveControl(workshopId: string, control: StoredControl): Promise<void>;
  addSnapshot(workshopId: string, snapshot: WorkshopSnapshot): Promise<void>;
  /** The timeline, oldest first. */
  listSnapshots(workshopId: string): Promise<SnapshotSummary[]>;
  getSnapshot(workshopId: string, snapshotId: string): Promise<WorkshopSnapshot | null>;
  /** Ids of every workshop that can be served (not the broken ones), e.g. for the retention sweep. */
  workshopIds(): string[];
  /** Forgets a workshop at once and removes every file of it (workshop file, snapshots, temp files). */
  deleteWorkshop(workshopId: string): Promise<void>;
  /** Removes a participant's name and organisation, keeping an entry (id, room, sector) for head-counts. */
  eraseParticipant(workshopId: string, participantId: string): Promise<void>;
  /** Rewrites every snapshot of the timeline through `rewrite`; resolves with how many changed. */
  rewriteSnapshots(workshopId: string, rewrite: (snapshot: WorkshopSnapshot) => WorkshopSnapshot | null): Promise<number>;
  close(): Promise<void>;
}
