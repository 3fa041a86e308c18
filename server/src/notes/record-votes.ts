import { PLENARY_ROOM_ID, voteKey, type CardView, type NotesCardInput } from '@goldthread/shared';
import type { WorkshopControl } from '../control/workshop-control.js';

/** Voter id prefix of votes an import brought in that the facilitator had cast for people without a device. */
export const IMPORTED_PROXY_VOTER = 'proxy-import-';

/** Dots an import brings in for one card: those cast by people, or those cast for people without a device. */
export interface ImportedVote {
  boardId: string;
  roomId: string;
  cardId: string;
  count: number;
  proxy: boolean;
}

/**
 * A board's votes as the record holds them. A board voted on in the rooms gives every room
 * card on it a count (0 included), one voted on in the plenary every plenary card; the rest none.
 */
export function boardVotes(control: WorkshopControl, boardIds: string[], isProxyVoter: (voterId: string) => boolean) {
  const byBoard = new Map<string, { all: Map<string, number>; proxy: Map<string, number>; rooms: boolean; plenary: boolean }>();
  const plenaryKey = voteKey(PLENARY_ROOM_ID, '');
  for (const boardId of boardIds) {
    const all = control.talliesOf(boardId, () => true);
    if (all.size === 0) continue;
    const keys = [...all.keys()];
    byBoard.set(boardId, {
      all,
      proxy: control.talliesOf(boardId, isProxyVoter),
      plenary: keys.some((key) => key.startsWith(plenaryKey)),
      rooms: keys.some((key) => !key.startsWith(plenaryKey))
    });
  }
  return {
    /** The card with its `votes` (and `proxyVotes`) when its board was voted on where it sits. */
    onCard(roomId: string, card: CardView): NotesCardInput {
      const board = byBoard.get(card.boardId);
      if (!board || !(roomId === PLENARY_ROOM_ID ? board.plenary : board.rooms)) return card;
      const key = voteKey(roomId, card.id);
      const proxyVotes = board.proxy.get(key) ?? 0;
      return { ...card, votes: board.all.get(key) ?? 0, ...(proxyVotes > 0 && { proxyVotes }) };
    }
  };
}
