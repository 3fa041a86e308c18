/** Path of the y-websocket endpoint; a room's document is served at `${YJS_PATH}/<workshopId>/<roomId>`. */
export const YJS_PATH = '/yjs';

/** Path of the Socket.IO control channel. */
export const SOCKET_PATH = '/socket.io';

const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** True for ids Goldthread issues (workshops, rooms, boards, cards, participants). */
export function isId(value: string): boolean {
  return ID_PATTERN.test(value);
}

/** The Yjs document name of one room: `<workshopId>/<roomId>`. */
export function roomDocName(workshopId: string, roomId: string): string {
  return `${workshopId}/${roomId}`;
}

/** Room id of a workshop's plenary board, where the facilitator combines every room's cards. */
export const PLENARY_ROOM_ID = 'plenary';

/** A participant's private brainstorm document: only they and the facilitator can open it. */
export function privateDocName(workshopId: string, roomId: string, participantId: string): string {
  return `${workshopId}/${roomId}/private/${participantId}`;
}

/** What a document name refers to. */
export interface DocTarget {
  workshopId: string;
  roomId: string;
  /** Set for a participant's private brainstorm document. */
  privateOf?: string;
}

/** Splits a room document name, or returns null when it is not one. */
export function parseRoomDocName(name: string): DocTarget | null {
  const parts = name.split('/');
  if (parts.length !== 2 && !(parts.length === 4 && parts[2] === 'private')) return null;
  const [workshopId, roomId, , participantId] = parts as [string, string, string?, string?];
  if (!isId(workshopId) || !isId(roomId)) return null;
  if (participantId === undefined) return { workshopId, roomId };
  return isId(participantId) ? { workshopId, roomId, privateOf: participantId } : null;
}
