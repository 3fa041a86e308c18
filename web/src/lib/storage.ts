/**
 * What the browser remembers between visits. localStorage can be missing or refuse writes
 * (private browsing, locked-down council laptops), so every access falls back to memory for
 * this tab rather than failing the join.
 */

/** A participant's admission to one workshop, kept under `goldthread:participant:<workshopId>`. */
export interface ParticipantSession {
  token: string;
  participantId: string;
  roomId: string;
  name: string;
  workshopId: string;
  /**
   * "This is a shared computer": the session lives in this tab's memory only, and the room keeps
   * no offline copy or drafts. Never written to storage (a stored session is never shared).
   */
  sharedComputer?: boolean;
}

/** This tab's copy; only ever filled in a browser, never during server rendering. */
const memory = new Map<string, string>();
const inBrowser = typeof window !== 'undefined';

function read(key: string): string | null {
  if (!inBrowser) return null;
  try {
    const value = window.localStorage.getItem(key);
    if (value !== null) return value;
  } catch {
    // Storage is blocked: use what this tab remembers.
  }
  return memory.get(key) ?? null;
}

function write(key: string, value: string): void {
  if (!inBrowser) return;
  memory.set(key, value);
  try {
    window.localStorage.setItem(key, value);
  } catch {
    // Storage is blocked or full: the in-memory copy still serves this tab.
  }
}

const participantKey = (workshopId: string) => `goldthread:participant:${workshopId}`;
const facilitatorKey = (workshopId: string) => `goldthread:facilitator:${workshopId}`;
const NAME_KEY = 'goldthread:name';

function isParticipantSession(value: unknown): value is ParticipantSession {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return ['token', 'participantId', 'roomId', 'name', 'workshopId'].every((field) => typeof v[field] === 'string');
}

function remove(key: string): void {
  memory.delete(key);
  if (!inBrowser) return;
  try {
    window.localStorage.removeItem(key);
  } catch {
    // Storage blocked: there is nothing stored to remove.
  }
}

/** Keeps a participant's admission: in storage, or only in this tab's memory on a shared computer. */
export function saveParticipantSession(session: ParticipantSession): void {
  if (session.sharedComputer) {
    memory.set(participantKey(session.workshopId), JSON.stringify(session));
    return;
  }
  const { sharedComputer: _shared, ...kept } = session;
  write(participantKey(session.workshopId), JSON.stringify(kept));
  write(NAME_KEY, session.name);
}

/** Forgets a participant's admission to a workshop, and the name this browser remembers. */
export function forgetParticipantSession(workshopId: string): void {
  remove(participantKey(workshopId));
  remove(NAME_KEY);
}

/** The stored session for a workshop, or null when there is none or it is unreadable. */
export function loadParticipantSession(workshopId: string): ParticipantSession | null {
  const raw = read(participantKey(workshopId));
  if (!raw) return null;
  try {
    const parsed: unknown = JSON.parse(raw);
    return isParticipantSession(parsed) && parsed.workshopId === workshopId ? parsed : null;
  } catch {
    return null;
  }
}

export function saveFacilitatorKey(workshopId: string, key: string): void {
  write(facilitatorKey(workshopId), key);
}

export function loadFacilitatorKey(workshopId: string): string | null {
  return read(facilitatorKey(workshopId));
}

/** The name this browser last joined with, to save retyping it. */
export function recallName(): string {
  return read(NAME_KEY) ?? '';
}

const projectorKey = (workshopId: string) => `goldthread:projector:${workshopId}`;

/** The big screen's read-only token, kept so the projector page survives a reload. */
export function saveProjectorToken(workshopId: string, token: string): void {
  write(projectorKey(workshopId), token);
}

export function loadProjectorToken(workshopId: string): string | null {
  return read(projectorKey(workshopId));
}
