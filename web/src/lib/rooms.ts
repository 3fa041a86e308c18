import { LIMITS } from '@goldthread/shared';

export type RoomNamesResult = { ok: true; names: string[] } | { ok: false; message: string };

/** Reads the "Rooms" box: one name a line, blanks and repeats dropped. */
export function parseRoomNames(text: string): RoomNamesResult {
  const names: string[] = [];
  const seen = new Set<string>();
  for (const line of text.split(/\r?\n/)) {
    const name = line.trim();
    if (!name || seen.has(name.toLowerCase())) continue;
    seen.add(name.toLowerCase());
    names.push(name);
  }
  if (names.length === 0) return { ok: false, message: 'Enter at least one room name.' };
  if (names.length > LIMITS.roomsPerWorkshop) {
    return { ok: false, message: `A workshop can have up to ${LIMITS.roomsPerWorkshop} rooms.` };
  }
  const tooLong = names.find((name) => name.length > LIMITS.roomName);
  if (tooLong) {
    return { ok: false, message: `Room names can be up to ${LIMITS.roomName} characters. Shorten “${tooLong.slice(0, 20)}…”.` };
  }
  return { ok: true, names };
}
