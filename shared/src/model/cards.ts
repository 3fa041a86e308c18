import * as Y from 'yjs';
import { z } from 'zod';
import { CARD_COLORS, isCardColor, DEFAULT_CARD_COLOR, type CardColor } from './defaults.js';
import { newId } from './ids.js';
import { CARD_LIMITS, LIMITS } from '../protocol/limits.js';
import type { Role } from './workshop.js';

/**
 * The Yjs model of one room (document `<workshopId>/<roomId>`): a top-level Y.Map named
 * `cards`, cardId -> Y.Map { boardId, text: Y.Text, authorId, authorName, color, createdAt }.
 */
export const CARDS_KEY = 'cards';

/**
 * Written by the server only: Yjs client id -> the participant (or `facilitator`, or `server`) who
 * uses it, so nobody can write under someone else's id. Clients read it for nothing and must not write it.
 */
export const CLIENT_OWNERS_KEY = 'clients';
/** The owner recorded for client ids the server itself wrote under (a new one each time it starts). */
export const SERVER_CLIENT_OWNER = 'server';

export interface NewCard {
  boardId: string;
  text: string;
  authorId: string;
  authorName: string;
  color?: string;
  /** The facilitator is entering it for someone without a device. */
  proxy?: boolean;
}

/** A card as plain data, read from the document. */
export interface CardView {
  id: string;
  boardId: string;
  text: string;
  authorId: string;
  authorName: string;
  color: CardColor;
  createdAt: number;
  /** The theme the card was grouped under (Group phase), if any. */
  themeId?: string;
  /** On the plenary board: the room the card came from. */
  sourceRoomId?: string;
  /** Entered by the facilitator for someone without a device. */
  proxy?: boolean;
}

/** The name a card shows when its author chose not to give one. */
export const ANONYMOUS_AUTHOR_NAME = 'Anonymous';

/** The author id of cards the facilitator writes in their own name. */
export const FACILITATOR_AUTHOR_ID = 'facilitator';

/** Who writes a card, as the server knows them from their token. */
export interface CardWriter {
  role: Role;
  participantId: string | null;
  /** The name the participant joined with. */
  name?: string | null;
}

/**
 * The author fields of a card written by `writer`: the one place that decides the name a card
 * shows. A participant's own card carries their id and the name they joined with; a card the
 * facilitator writes in their own name carries `facilitator` / `Facilitator`.
 */
export function cardAuthorFields(writer: CardWriter): { authorId: string; authorName: string } {
  if (writer.role === 'participant' && writer.participantId) {
    return { authorId: writer.participantId, authorName: writer.name?.trim() || ANONYMOUS_AUTHOR_NAME };
  }
  return { authorId: FACILITATOR_AUTHOR_ID, authorName: 'Facilitator' };
}

/** Whether two author names are the same name (as typed on one device and stored by another). */
export function sameAuthorName(a: string, b: string): boolean {
  return a.normalize('NFC').trim() === b.normalize('NFC').trim();
}

const shortId = z.string().min(1).max(64);

/**
 * A card's stored fields as plain data (its text as a string): the one schema every way in —
 * Yjs, HTTP, import — holds a card to. Nothing else may be stored on a card.
 */
export const cardFieldsSchema = z.strictObject({
  boardId: shortId,
  text: z.string().max(LIMITS.cardText),
  authorId: shortId,
  authorName: z.string().min(1).max(LIMITS.participantName),
  color: z.enum(CARD_COLORS.map((c) => c.id) as [CardColor, ...CardColor[]]),
  createdAt: z.number().int().min(0).max(8.64e15),
  themeId: shortId.optional(),
  sourceRoomId: shortId.optional(),
  proxy: z.literal(true).optional()
});
export type CardFields = z.infer<typeof cardFieldsSchema>;

/**
 * Why a card entry of the document does not keep the card schema, or null when it does: it must
 * be a Y.Map of exactly the card's fields, its text a Y.Text of plain characters (no embeds, no
 * formatting, no nested types), every other field plain data of the right type and size.
 */
export function cardEntryProblem(entry: unknown): string | null {
  if (!(entry instanceof Y.Map)) return 'A card must be a map.';
  const plain: Record<string, unknown> = {};
  for (const [key, value] of entry.entries()) {
    if (key === 'text') {
      if (!(value instanceof Y.Text)) return 'A card’s text must be editable text.';
      if (value.length > LIMITS.cardText) return `A card holds at most ${LIMITS.cardText} characters.`;
      const plainText = (value.toDelta() as { insert?: unknown; attributes?: unknown }[]).every(
        (op) => typeof op.insert === 'string' && op.attributes === undefined
      );
      if (!plainText) return 'A card’s text is plain text: no embeds or formatting.';
      plain.text = value.toString();
    } else if (value instanceof Y.AbstractType) {
      return `A card’s ${key.slice(0, 40)} must be plain data.`;
    } else {
      plain[key] = value;
    }
  }
  const parsed = cardFieldsSchema.safeParse(plain);
  if (parsed.success) return null;
  const issue = parsed.error.issues[0]!;
  if (issue.code === 'unrecognized_keys') return 'A card holds only its own fields.';
  if (issue.code === 'too_big' && issue.path[0] === 'text') return `A card holds at most ${LIMITS.cardText} characters.`;
  return `A card’s ${String(issue.path[0] ?? 'fields').slice(0, 40)} is missing or not valid.`;
}

/**
 * Why one more card cannot go on `boardId` in this document (the board or the room is full), or
 * null. The same caps the live boards keep, for cards written by the server (HTTP, import).
 */
export function cardCapProblem(doc: Y.Doc, boardId: string): string | null {
  let onBoard = 0;
  let inRoom = 0;
  cardsMap(doc).forEach((entry) => {
    inRoom++;
    if (entry instanceof Y.Map && entry.get('boardId') === boardId) onBoard++;
  });
  if (onBoard >= LIMITS.cardsPerBoard) return `A board holds at most ${LIMITS.cardsPerBoard} cards.`;
  if (inRoom >= CARD_LIMITS.cardsPerRoom) return `A room holds at most ${CARD_LIMITS.cardsPerRoom} cards.`;
  return null;
}

/** The room's `cards` map. */
export function cardsMap(doc: Y.Doc): Y.Map<Y.Map<unknown>> {
  return doc.getMap<Y.Map<unknown>>(CARDS_KEY);
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;

/** Cuts text to at most `max` UTF-16 units without splitting an emoji's surrogate pair. */
export function truncateText(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = isHighSurrogate(text.charCodeAt(max - 1)) ? max - 1 : max;
  return text.slice(0, cut);
}

/** Adds a card and returns its id. Text is trimmed to the card limit. */
export function addCard(doc: Y.Doc, card: NewCard, id: string = newId()): string {
  const entry = new Y.Map<unknown>();
  doc.transact(() => {
    entry.set('boardId', card.boardId);
    entry.set('text', new Y.Text(truncateText(card.text, LIMITS.cardText)));
    entry.set('authorId', card.authorId);
    entry.set('authorName', card.authorName.trim() || ANONYMOUS_AUTHOR_NAME);
    entry.set('color', card.color && isCardColor(card.color) ? card.color : DEFAULT_CARD_COLOR);
    entry.set('createdAt', Date.now());
    if (card.proxy) entry.set('proxy', true);
    cardsMap(doc).set(id, entry);
  });
  return id;
}

/** Writes a card exactly as given (id, author, time included), replacing any card with that id. */
export function putCard(doc: Y.Doc, card: CardView): void {
  doc.transact(() => {
    const entry = new Y.Map<unknown>();
    cardsMap(doc).set(card.id, entry);
    entry.set('boardId', card.boardId);
    entry.set('text', new Y.Text(truncateText(card.text, LIMITS.cardText)));
    entry.set('authorId', card.authorId);
    entry.set('authorName', card.authorName);
    entry.set('color', isCardColor(card.color) ? card.color : DEFAULT_CARD_COLOR);
    entry.set('createdAt', card.createdAt);
    if (card.themeId !== undefined) entry.set('themeId', card.themeId);
    if (card.sourceRoomId !== undefined) entry.set('sourceRoomId', card.sourceRoomId);
    if (card.proxy) entry.set('proxy', true);
  });
}

/**
 * Makes the document hold exactly `target` (e.g. a snapshot being restored) in one
 * transaction: missing cards come back with their ids, extra ones go, changed texts
 * are edited in place so connected editors keep their place, and each card returns to the
 * theme it was in (restore the themes first: see `reconcileThemes`).
 */
export function reconcileCards(doc: Y.Doc, target: readonly CardView[]): void {
  const wanted = new Map(target.map((card) => [card.id, card]));
  doc.transact(() => {
    const map = cardsMap(doc);
    for (const id of [...map.keys()]) if (!wanted.has(id)) map.delete(id);
    for (const card of target) {
      const current = readCard(card.id, map.get(card.id));
      if (!current || current.boardId !== card.boardId || current.authorId !== card.authorId || current.createdAt !== card.createdAt) {
        putCard(doc, card);
        continue;
      }
      setCardText(doc, card.id, card.text);
      if (current.color !== card.color) setCardColor(doc, card.id, card.color);
      const entry = map.get(card.id)!;
      if (current.authorName !== card.authorName) entry.set('authorName', card.authorName);
      if (current.themeId !== card.themeId) {
        if (card.themeId === undefined) entry.delete('themeId');
        else entry.set('themeId', card.themeId);
      }
    }
  });
}

/**
 * Replaces a card's text with the smallest delete + insert, so concurrent edits by
 * others outside the changed span survive the merge.
 */
export function setCardText(doc: Y.Doc, id: string, next: string): boolean {
  const text = cardsMap(doc).get(id)?.get('text');
  if (!(text instanceof Y.Text)) return false;
  doc.transact(() => editTextTo(text, truncateText(next, LIMITS.cardText)));
  return true;
}

/** Edits a Y.Text into `wanted` with the smallest delete + insert, never splitting a surrogate pair. */
export function editTextTo(text: Y.Text, wanted: string): void {
  const current = text.toString();
  if (current === wanted) return;
  let start = 0;
  while (start < current.length && start < wanted.length && current[start] === wanted[start]) start++;
  let end = 0;
  while (
    end < current.length - start &&
    end < wanted.length - start &&
    current[current.length - 1 - end] === wanted[wanted.length - 1 - end]
  ) {
    end++;
  }
  // Never cut between the two halves of a surrogate pair (emoji), on either side.
  if (start > 0 && isHighSurrogate(current.charCodeAt(start - 1))) start--;
  if (end > 0 && isLowSurrogate(current.charCodeAt(current.length - end))) end--;
  text.delete(start, current.length - start - end);
  text.insert(start, wanted.slice(start, wanted.length - end));
}

/** Changes a card's colour. */
export function setCardColor(doc: Y.Doc, id: string, color: string): boolean {
  const entry = cardsMap(doc).get(id);
  if (!entry || !isCardColor(color)) return false;
  entry.set('color', color);
  return true;
}

/** Deletes a card. */
export function deleteCard(doc: Y.Doc, id: string): boolean {
  const map = cardsMap(doc);
  if (!map.has(id)) return false;
  map.delete(id);
  return true;
}

/** Reads one card entry, or null when the entry is not a well-formed card. */
export function readCard(id: string, entry: unknown): CardView | null {
  if (!(entry instanceof Y.Map)) return null;
  const boardId = entry.get('boardId');
  const text = entry.get('text');
  if (typeof boardId !== 'string') return null;
  const authorId = entry.get('authorId');
  const authorName = entry.get('authorName');
  const color = entry.get('color');
  const createdAt = entry.get('createdAt');
  const themeId = entry.get('themeId');
  const sourceRoomId = entry.get('sourceRoomId');
  const proxy = entry.get('proxy');
  return {
    id,
    boardId,
    text: text instanceof Y.Text ? text.toString() : typeof text === 'string' ? text : '',
    authorId: typeof authorId === 'string' ? authorId : '',
    authorName: typeof authorName === 'string' && authorName.trim() ? authorName : ANONYMOUS_AUTHOR_NAME,
    color: typeof color === 'string' && isCardColor(color) ? color : DEFAULT_CARD_COLOR,
    createdAt: typeof createdAt === 'number' ? createdAt : 0,
    ...(typeof themeId === 'string' && { themeId }),
    ...(typeof sourceRoomId === 'string' && { sourceRoomId }),
    ...(proxy === true && { proxy: true })
  };
}

/** Every well-formed card of the room, oldest first; malformed entries are skipped. */
export function readCards(doc: Y.Doc): CardView[] {
  const cards: CardView[] = [];
  cardsMap(doc).forEach((entry, id) => {
    const card = readCard(id, entry);
    if (card) cards.push(card);
  });
  return cards.sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
}

/** The cards of one board, oldest first. */
export function readBoardCards(doc: Y.Doc, boardId: string): CardView[] {
  return readCards(doc).filter((card) => card.boardId === boardId);
}
