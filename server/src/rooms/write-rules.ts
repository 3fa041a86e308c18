import * as Y from 'yjs';
import {
  ANONYMOUS_AUTHOR_NAME,
  CARD_LIMITS,
  THEME_NAME_LIMIT,
  cardAuthorFields,
  cardEntryProblem,
  cardsMap,
  sameAuthorName,
  themesMap,
  type BoardControl,
  type ErrorCode,
  type Role
} from '@goldthread/shared';
import type { TransactionSummary } from './transaction-summary.js';

/** Who made a change, as far as the rules care. */
export interface Writer {
  role: Role;
  participantId: string | null;
  /** The name the participant joined with (from their token). */
  name?: string | null;
}

/** A field of a just-accepted card the server sets itself (e.g. a creation time far from its clock). */
export interface CardCorrection {
  cardId: string;
  field: 'createdAt';
  value: number;
}

/** Why a change was refused; the change is reverted for everyone. */
export interface Refusal {
  code: ErrorCode;
  message: string;
}

/** What the rules know of a card from before the transaction (for cards it deleted or moved). */
export interface KnownCard {
  boardId: string;
  authorId: string;
}

/** What kind of document a room's doc is. */
export type DocKind = { kind: 'room' } | { kind: 'plenary' } | { kind: 'private'; participantId: string };

/** Everything the rules look at for one transaction. */
export interface ChangeUnderReview {
  doc: Y.Doc;
  summary: TransactionSummary;
  writer: Writer;
  known: ReadonlyMap<string, KnownCard>;
  /** Theme id -> board id, from before the transaction. */
  knownThemes: ReadonlyMap<string, string>;
  /** The facilitator's state of each board (phase, lock, private). */
  boards: ReadonlyMap<string, BoardControl>;
  docKind: DocKind;
  /** Where the rules put the fields the server sets on an accepted change. */
  corrections?: CardCorrection[];
  /** The server's clock, for judging a card's creation time. */
  now?: number;
}

export interface WorkshopBoards {
  boardIds: ReadonlySet<string>;
  maxCardsPerBoard: number;
}

const refuse = (code: ErrorCode, message: string): Refusal => ({ code, message });

/** Participants may not change cards on a locked board, or while it is voted on or closed. */
export function isFrozen(board: BoardControl | undefined): boolean {
  return board !== undefined && (board.locked || board.phase === 'vote' || board.phase === 'closed');
}

const isPrivateNow = (board: BoardControl | undefined) => board !== undefined && board.private && !board.revealed;

/** Fields of a card that say who wrote it, when, and from where: the server's to set, never a participant's to change. */
const IDENTITY_FIELDS = ['authorId', 'authorName', 'createdAt', 'proxy', 'sourceRoomId'] as const;

/**
 * Whether a participant's new card says truthfully who wrote it: their id and the name they joined
 * with (or `Anonymous`), not entered for someone else, not copied from another room.
 */
function identityRefusal(entry: Y.Map<unknown>, writer: Writer): Refusal | null {
  const expected = cardAuthorFields(writer);
  const authorName = entry.get('authorName');
  if (typeof authorName !== 'string' || !(authorName === ANONYMOUS_AUTHOR_NAME || sameAuthorName(authorName, expected.authorName))) {
    return refuse('forbidden', 'A card carries the name you joined with, or none.');
  }
  if (entry.has('proxy') || entry.has('sourceRoomId')) return refuse('forbidden', 'Only the facilitator enters cards for others or from other rooms.');
  return null;
}

/**
 * The rules every change to a board document must keep. Everyone: cards only on the
 * workshop's boards, within the size limits. Participants, besides: their own cards only,
 * never on a frozen board; in the group phase they may create themes and move any card into
 * or out of one; private boards are written only in private documents; the plenary's cards
 * come from the rooms. The projector changes nothing.
 */
export function checkRoomChange(change: ChangeUnderReview, context: WorkshopBoards): Refusal | null {
  const { doc, summary, writer, known, knownThemes, boards, docKind } = change;
  if (writer.role === 'projector') return refuse('forbidden', 'The projector is read-only.');
  const participant = writer.role === 'participant';
  if (participant && summary.otherRoots.size > 0) return refuse('forbidden', 'Only cards and themes can be changed on a board.');

  const themes = themesMap(doc);
  for (const [themeId, fields] of summary.themes) {
    const entry = themes.get(themeId);
    if (entry !== undefined && !(entry instanceof Y.Map)) return refuse('validation_failed', 'A theme must be a map.');
    const boardId = entry?.get('boardId') ?? knownThemes.get(themeId);
    const name = entry?.get('name');
    if (entry && (typeof boardId !== 'string' || !context.boardIds.has(boardId))) {
      return refuse('not_found', 'That board is not part of this workshop.');
    }
    if (entry && (typeof name !== 'string' || name.length > THEME_NAME_LIMIT)) {
      return refuse('validation_failed', `A theme name is text of at most ${THEME_NAME_LIMIT} characters.`);
    }
    if (!participant) continue;
    if (docKind.kind === 'private') return refuse('forbidden', 'Themes are made on the shared board.');
    const existed = knownThemes.has(themeId);
    if (existed || !entry || fields.size === 0) return refuse('forbidden', 'Only the facilitator can rename, merge or remove themes.');
    const board = boards.get(boardId as string);
    if (board?.phase !== 'group' || isFrozen(board)) return refuse('conflict', 'Themes can be added in the grouping phase.');
  }

  const cards = cardsMap(doc);
  const boardsGained = new Set<string>();
  let newCards = 0;
  for (const [id, fields] of summary.cards) {
    const entry = cards.get(id);
    const before = known.get(id);
    if (entry !== undefined && !(entry instanceof Y.Map)) return refuse('validation_failed', 'A card must be a map.');
    const boardId = entry?.get('boardId') ?? before?.boardId;
    const authorId = entry?.get('authorId') ?? before?.authorId;
    if (entry) {
      if (typeof boardId !== 'string' || !context.boardIds.has(boardId)) return refuse('not_found', 'That board is not part of this workshop.');
      const problem = cardEntryProblem(entry);
      if (problem) return refuse(problem.includes('at most') ? 'payload_too_large' : 'validation_failed', problem);
      const themeId = entry.get('themeId');
      if (themeId !== undefined && (typeof themeId !== 'string' || themes.get(themeId)?.get('boardId') !== boardId)) {
        if (fields.has('themeId')) return refuse('not_found', 'That theme is not on this board.');
      }
      if (!before) boardsGained.add(boardId);
    }
    if (!participant) continue;
    const board = boards.get(boardId as string);
    if (before && entry && before.boardId !== boardId) return refuse('forbidden', 'Cards cannot be moved between boards.');

    // Grouping: anyone may move any card of a board in its group phase.
    const onlyRegrouped = before !== undefined && entry !== undefined && fields.size > 0 && [...fields].every((f) => f === 'themeId');
    if (onlyRegrouped) {
      if (board?.phase !== 'group' || isFrozen(board)) return refuse('conflict', 'Cards can be grouped in the grouping phase.');
      continue;
    }
    if (docKind.kind === 'plenary') return refuse('forbidden', 'Cards on the plenary board come from the rooms.');
    if (isFrozen(board)) return refuse('forbidden', board!.locked ? 'This board is locked by the facilitator.' : 'Cards cannot change in this phase.');
    if (docKind.kind === 'private' && !isPrivateNow(board)) return refuse('conflict', 'This board is not in private brainstorm.');
    if (docKind.kind === 'room' && isPrivateNow(board) && !before) {
      return refuse('conflict', 'This board is private for now: new cards go to your own space until the facilitator reveals them.');
    }
    if (authorId !== writer.participantId || (before && before.authorId !== writer.participantId)) {
      return refuse('forbidden', 'You can change only your own cards.');
    }
    if (!entry) continue;
    const created = !before || fields.has('entry');
    if (!created) {
      if (IDENTITY_FIELDS.some((field) => fields.has(field))) return refuse('forbidden', 'Who wrote a card, and when, cannot be changed.');
      continue;
    }
    const identity = identityRefusal(entry, writer);
    if (identity) return identity;
    newCards++;
    const now = change.now ?? Date.now();
    const createdAt = entry.get('createdAt') as number;
    if (Math.abs(createdAt - now) > CARD_LIMITS.clockSkewMs) change.corrections?.push({ cardId: id, field: 'createdAt', value: now });
  }
  if (newCards > CARD_LIMITS.newCardsPerUpdate) {
    return refuse('payload_too_large', `At most ${CARD_LIMITS.newCardsPerUpdate} new cards can arrive at once.`);
  }

  // Counting is O(cards), so it runs only when a board gained a card.
  if (boardsGained.size > 0) {
    const perBoard = new Map<string, number>();
    const perWriter = new Map<string, number>();
    let inRoom = 0;
    const count = (id: string, boardId: unknown, authorId: unknown) => {
      if (summary.cards.has(id) && !cards.has(id)) return;
      inRoom++;
      if (typeof boardId !== 'string' || !boardsGained.has(boardId)) return;
      perBoard.set(boardId, (perBoard.get(boardId) ?? 0) + 1);
      if (participant && authorId === writer.participantId) perWriter.set(boardId, (perWriter.get(boardId) ?? 0) + 1);
    };
    for (const [id, { boardId, authorId }] of known) if (!summary.cards.has(id)) count(id, boardId, authorId);
    for (const id of summary.cards.keys()) count(id, cards.get(id)?.get('boardId'), cards.get(id)?.get('authorId'));
    for (const total of perBoard.values()) {
      if (total > context.maxCardsPerBoard) return refuse('payload_too_large', `A board holds at most ${context.maxCardsPerBoard} cards.`);
    }
    if (inRoom > CARD_LIMITS.cardsPerRoom) return refuse('payload_too_large', `A room holds at most ${CARD_LIMITS.cardsPerRoom} cards.`);
    for (const total of perWriter.values()) {
      if (total > CARD_LIMITS.cardsPerParticipantPerBoard) {
        return refuse('payload_too_large', `One person can have at most ${CARD_LIMITS.cardsPerParticipantPerBoard} cards on a board.`);
      }
    }
  }
  return null;
}
