/**
 * A room's write-ahead journal of Yjs updates. An edit is durable once appended and
 * fsynced; a snapshot "seals" the journal so the generations it covers can be dropped.
 */
export interface RoomJournal {
  /** Queues an update; it is fsynced with its group within the journal's interval. */
  append(update: Uint8Array): void;
  /** Starts a new generation for later appends and returns the one just sealed. */
  seal(): number;
  /** Deletes every generation up to and including `generation` (they are in a durable snapshot); a damaged one is renamed aside, never deleted. */
  dropThrough(generation: number): Promise<void>;
  /**
   * Writes and fsyncs everything queued. Rejects with a StorageError when the disk fails; the
   * records then stay queued and are written again (every second) until it works.
   */
  flush(): Promise<void>;
  close(): Promise<void>;
}

/** What opening a room's journal found. */
export interface OpenedJournal {
  journal: RoomJournal;
  /** Every intact update on disk, oldest first, to replay over the snapshot. */
  updates: Uint8Array[];
  /** Problems found (a torn final record, damaged bytes skipped, a damaged file to be kept aside). */
  problems: string[];
}

/** Opens rooms' journals. */
export interface JournalStore {
  open(workshopId: string, roomId: string): Promise<OpenedJournal>;
  /** Keys of the room documents of a workshop that have journal files. */
  keys(workshopId: string): Promise<string[]>;
}
