import * as Y from 'yjs';
import { LIMITS, cardsMap, type ErrorCode } from '@goldthread/shared';
import type { TransactionSummary } from './transaction-summary.js';
import type { Role } from '@goldthread/shared';

/** Who made a change, as far as the rules care. */
export interface Writer {
  role: Role;
  participantId: string | null;
}

/** Why a change was refused; the change is reverted for everyone. */
export interface Refusal {
  code: ErrorCode;
  message: string;
}

/** What the rules know of a card from before the transaction (for cards it deleted). */
export interface KnownCard {
  boardId: string;
  authorId: string;
}

export interface WorkshopBoards {
  boardIds: ReadonlySet<string>;
  maxCardsPerBoard: number;
}

/**
 * The rules every change to a room's document must keep: cards only on the workshop's
 * boards, within the size limits; participants change only their own cards, never on a
 * locked board, and nothing outside `cards`. The facilitator is bound by the limits only.
 */
export function checkRoomChange(
  { doc, summary, writer, known, lockedBoards }: {
    doc: Y.Doc;
    summary: TransactionSummary;
    writer: Writer;
    known: ReadonlyMap<string, KnownCard>;
    lockedBoards: ReadonlySet<string>;
  },
  context: WorkshopBoards
): Refusal | null {
  if (writer.role === 'projector') return { code: 'forbidden', message: 'The projector is read-only.' };
  const participant = writer.role === 'participant';
  if (participant && summary.otherRoots.size > 0) {
    return { code: 'forbidden', message: 'Only cards can be changed on a board.' };
  }
  const cards = cardsMap(doc);
  const boardsGained = new Set<string>();
  for (const id of summary.cards) {
    const entry = cards.get(id);
    const before = known.get(id);
    if (entry !== undefined && !(entry instanceof Y.Map)) return { code: 'validation_failed', message: 'A card must be a map.' };
    const boardId = entry?.get('boardId') ?? before?.boardId;
    const authorId = entry?.get('authorId') ?? before?.authorId;
    if (entry) {
      if (typeof boardId !== 'string' || !context.boardIds.has(boardId)) {
        return { code: 'not_found', message: 'That board is not part of this workshop.' };
      }
      if (before && before.boardId !== boardId && participant) {
        return { code: 'forbidden', message: 'Cards cannot be moved between boards.' };
      }
      const text = entry.get('text');
      if (text instanceof Y.Text ? text.length > LIMITS.cardText : typeof text === 'string' && text.length > LIMITS.cardText) {
        return { code: 'payload_too_large', message: `A card holds at most ${LIMITS.cardText} characters.` };
      }
    }
    if (entry && !before && typeof boardId === 'string') boardsGained.add(boardId);
    if (!participant) continue;
    if (typeof boardId === 'string' && lockedBoards.has(boardId)) {
      return { code: 'forbidden', message: 'This board is locked by the facilitator.' };
    }
    if (authorId !== writer.participantId || (before && before.authorId !== writer.participantId)) {
      return { code: 'forbidden', message: 'You can change only your own cards.' };
    }
  }
  // Counting is O(cards), so it runs only when a board gained a card.
  if (boardsGained.size > 0) {
    const perBoard = new Map<string, number>();
    for (const { boardId } of known.values()) {
      if (boardsGained.has(boardId)) perBoard.set(boardId, (perBoard.get(boardId) ?? 0) + 1);
    }
    for (const id of summary.cards) {
      const boardId = cards.get(id)?.get('boardId');
      if (!known.has(id) && typeof boardId === 'string' && boardsGained.has(boardId)) perBoard.set(boardId, (perBoard.get(boardId) ?? 0) + 1);
    }
    for (const count of perBoard.values()) {
      if (count > context.maxCardsPerBoard) {
        return { code: 'payload_too_large', message: `A board holds at most ${context.maxCardsPerBoard} cards.` };
      }
    }
  }
  return null;
}
