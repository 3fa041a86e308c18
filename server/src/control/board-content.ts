import {
  PLENARY_ROOM_ID,
  addTheme,
  cardsMap,
  deleteCard,
  newId,
  normaliseThemeName,
  putCard,
  readCard,
  readCards,
  readThemes,
  setCardText,
  themesMap,
  type CardView,
  type PrivateCounts,
  type ThemeComparison
} from '@goldthread/shared';
import { docKindOf, type RoomRegistry } from '../rooms/room-registry.js';
import type { Room } from '../rooms/room.js';
import type { StoredWorkshop } from '../store/types.js';

/**
 * Moves every private card of a board into its author's room (keeping author and time) and
 * removes it from the private document. Only the space's owner's cards move, and a private card
 * never replaces a card already in the room: one whose id is taken by another card is given a
 * fresh id. Safe to run again: a card already moved (same id, author, board and time) is written
 * over itself, so nothing doubles.
 */
export async function revealPrivateCards(rooms: RoomRegistry, workshop: StoredWorkshop, boardId: string): Promise<number> {
  let moved = 0;
  for (const key of await rooms.documentKeys(workshop.id)) {
    const kind = docKindOf(key);
    if (kind.kind !== 'private') continue;
    const roomId = key.split('/')[0]!;
    if (!workshop.rooms.some((room) => room.id === roomId)) continue;
    const cards = await rooms.change(workshop.id, key, (priv) =>
      readCards(priv.doc).filter((card) => card.boardId === boardId && card.authorId === kind.participantId)
    );
    if (cards.length === 0) continue;
    await rooms.change(workshop.id, roomId, (room) =>
      room.doc.transact(() => {
        const existing = cardsMap(room.doc);
        for (const card of cards) {
          const id = existing.has(card.id) && !isSameCard(readCard(card.id, existing.get(card.id)), card) ? newId() : card.id;
          putCard(room.doc, { ...card, id });
        }
      })
    );
    await rooms.change(workshop.id, key, (priv) => priv.doc.transact(() => cards.forEach((card) => deleteCard(priv.doc, card.id))));
    moved += cards.length;
  }
  return moved;
}

/** Whether a room's card is this private card, moved by an earlier Reveal. */
const isSameCard = (public_: CardView | null, private_: CardView) =>
  public_ !== null &&
  public_.authorId === private_.authorId &&
  public_.boardId === private_.boardId &&
  public_.createdAt === private_.createdAt;

/**
 * Copies one board's cards and themes from every room onto the plenary board. Each card
 * keeps its room as `sourceRoomId`; copies are keyed `<roomId>-<id>`, so combining again
 * adds what is new and updates texts without undoing the plenary's own grouping.
 */
export async function combineIntoPlenary(rooms: RoomRegistry, workshop: StoredWorkshop, boardId: string): Promise<number> {
  let total = 0;
  for (const room of workshop.rooms) {
    const { cards, themes } = await rooms.change(workshop.id, room.id, (live) => ({
      cards: readCards(live.doc).filter((card) => card.boardId === boardId),
      themes: readThemes(live.doc, boardId)
    }));
    total += cards.length;
    await rooms.change(workshop.id, PLENARY_ROOM_ID, (plenary) =>
      plenary.doc.transact(() => {
        const existingThemes = themesMap(plenary.doc);
        for (const theme of themes) {
          const id = `${room.id}-${theme.id}`;
          if (!existingThemes.has(id)) addTheme(plenary.doc, boardId, theme.name, id);
        }
        const existing = cardsMap(plenary.doc);
        for (const card of cards) {
          const id = `${room.id}-${card.id}`;
          if (existing.has(id)) {
            setCardText(plenary.doc, id, card.text);
            continue;
          }
          putCard(plenary.doc, {
            ...card,
            id,
            sourceRoomId: room.id,
            ...(card.themeId !== undefined && { themeId: `${room.id}-${card.themeId}` })
          });
        }
      })
    );
  }
  return total;
}

/** Which theme names several rooms share on a board, and which only one room has. */
export async function compareThemes(rooms: RoomRegistry, workshop: StoredWorkshop, boardId: string): Promise<ThemeComparison> {
  const byName = new Map<string, { name: string; roomIds: Set<string> }>();
  for (const room of workshop.rooms) {
    const themes = await rooms.change(workshop.id, room.id, (live) => readThemes(live.doc, boardId));
    for (const theme of themes) {
      const key = normaliseThemeName(theme.name);
      if (!key) continue;
      const entry = byName.get(key) ?? { name: theme.name.trim(), roomIds: new Set<string>() };
      entry.roomIds.add(room.id);
      byName.set(key, entry);
    }
  }
  const entries = [...byName.values()].sort((a, b) => b.roomIds.size - a.roomIds.size || a.name.localeCompare(b.name));
  return {
    boardId,
    shared: entries.filter((e) => e.roomIds.size > 1).map((e) => ({ name: e.name, roomIds: [...e.roomIds] })),
    unique: entries.filter((e) => e.roomIds.size === 1).map((e) => ({ name: e.name, roomId: [...e.roomIds][0]! }))
  };
}

/**
 * Keeps a running count of private cards per document, so the facilitator sees progress
 * per room even after a participant's private document has been unloaded.
 */
export class PrivateCardCounter {
  /** workshopId -> document key -> boardId -> cards */
  readonly #counts = new Map<string, Map<string, Map<string, number>>>();

  /** Re-counts one private document after a change. */
  update(room: Room): void {
    if (room.kind.kind !== 'private') return;
    const perBoard = new Map<string, number>();
    for (const card of readCards(room.doc)) perBoard.set(card.boardId, (perBoard.get(card.boardId) ?? 0) + 1);
    let byKey = this.#counts.get(room.workshopId);
    if (!byKey) this.#counts.set(room.workshopId, (byKey = new Map()));
    byKey.set(room.roomId, perBoard);
  }

  /** Private cards per room on one board. */
  counts(workshopId: string, boardId: string): PrivateCounts {
    const rooms: Record<string, number> = {};
    for (const [key, perBoard] of this.#counts.get(workshopId) ?? []) {
      const roomId = key.split('/')[0]!;
      rooms[roomId] = (rooms[roomId] ?? 0) + (perBoard.get(boardId) ?? 0);
    }
    return { boardId, rooms };
  }
}
