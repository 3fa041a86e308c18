import { PLENARY_ROOM_ID, cardsMap, readCard, readThemes, type OutcomeLink } from '@goldthread/shared';
import { AppError } from '../errors.js';
import type { RoomRegistry } from '../rooms/room-registry.js';
import type { StoredWorkshop } from '../store/types.js';

/**
 * Checks what a decision or action is about against this workshop: the room and board must be
 * its own, and a card or theme must exist in that room's document (so a card of another
 * workshop is refused). Returns the link with the board filled in and a label to show.
 */
export async function resolveOutcomeLink(rooms: RoomRegistry, workshop: StoredWorkshop, link: Omit<OutcomeLink, 'label'>): Promise<OutcomeLink> {
  const { roomId, cardId, themeId } = link;
  if (roomId !== undefined && roomId !== PLENARY_ROOM_ID && !workshop.rooms.some((room) => room.id === roomId)) {
    throw new AppError('not_found', 'That room is not part of this workshop.');
  }
  if (link.boardId !== undefined && !workshop.boards.some((board) => board.id === link.boardId)) {
    throw new AppError('not_found', 'That board is not part of this workshop.');
  }
  // The schema lets a card or theme through only with its room.
  if (roomId === undefined || (cardId === undefined && themeId === undefined)) return { ...link };
  const found = await rooms.change(workshop.id, roomId, (room) => {
    if (cardId !== undefined) {
      const card = readCard(cardId, cardsMap(room.doc).get(cardId));
      return card && { boardId: card.boardId, label: card.text };
    }
    const theme = readThemes(room.doc).find((t) => t.id === themeId);
    return theme && { boardId: theme.boardId, label: theme.name };
  });
  if (!found) throw new AppError('not_found', cardId !== undefined ? 'That card is not in this room.' : 'That theme is not in this room.');
  if (link.boardId !== undefined && link.boardId !== found.boardId) {
    throw new AppError('not_found', cardId !== undefined ? 'That card is not on this board.' : 'That theme is not on this board.');
  }
  return { ...link, boardId: found.boardId, label: found.label };
}
