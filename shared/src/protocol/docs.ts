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

/** Splits a room document name, or returns null when it is not one. */
export function parseRoomDocName(name: string): { workshopId: string; roomId: string } | null {
  const parts = name.split('/');
  if (parts.length !== 2) return null;
  const [workshopId, roomId] = parts as [string, string];
  if (!isId(workshopId) || !isId(roomId)) return null;
  return { workshopId, roomId };
}
