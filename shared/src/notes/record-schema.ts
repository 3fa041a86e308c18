import { z } from 'zod';
import { CARD_COLORS, type CardColor } from '../model/defaults.js';
import { LIMITS } from '../protocol/limits.js';
import { isWebUrl, type SnapshotReason } from '../protocol/http.js';
import { carriedText } from '../protocol/text.js';
import { ACTION_STATUSES, OUTCOME_KINDS } from '../protocol/outcomes.js';
import { ATTRIBUTION_LEVELS, type Board } from '../model/workshop.js';
import type {
  NotesActionInput,
  NotesCardInput,
  NotesParticipant,
  NotesSnapshotInput,
  NotesThemeInput,
  NotesWorkshopMeta,
  PlenaryNotesInput,
  RoomNotesInput,
  WorkshopNotesInput
} from './model.js';
import { isIsoDate } from './notes-dates.js';

/**
 * The workshop record's schema: one definition that import validates against and export is
 * written from (`projectRecord`), so a field added here is both exported and imported.
 * `docs/record-format.md` describes every field.
 */

const id = z.string().min(1, { error: 'must not be empty' }).max(64);
/** Plenary copies are keyed `<roomId>-<cardId>`, so they may be twice as long. */
const copyId = z.string().min(1, { error: 'must not be empty' }).max(129);
const count = z.number().int().min(0);
const time = z.number().min(0);
/** Text carried in from a file obeys the same rule as text typed in (see protocol/text.ts). */
const opt = (max: number) => carriedText(max).optional();
const isoDate = z.string().refine(isIsoDate, { error: 'must be a date written YYYY-MM-DD' });
const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'must be a time written HH:MM' });

const cardSchema = z.object({
  id: copyId,
  boardId: id,
  text: carriedText(LIMITS.cardText, 'multi-line'),
  authorId: z.string().max(64),
  authorName: carriedText(LIMITS.participantName),
  color: z.enum(CARD_COLORS.map((c) => c.id) as [CardColor, ...CardColor[]]),
  createdAt: time,
  themeId: copyId.optional(),
  votes: count.optional(),
  proxyVotes: count.optional(),
  sourceRoomId: id.optional(),
  proxy: z.boolean().optional()
});
const themeSchema = z.object({
  id: copyId,
  boardId: id,
  name: carriedText(LIMITS.boardTitle),
  cardIds: z.array(copyId),
  votes: count.optional()
});
/** A decision or an action (kind absent: an action, as version-1 files wrote them). */
const actionSchema = z.object({
  id: id.optional(),
  kind: z.enum(OUTCOME_KINDS).optional(),
  text: carriedText(LIMITS.cardText, 'multi-line'),
  owner: opt(200),
  dueDate: isoDate.optional(),
  status: z.enum(ACTION_STATUSES).optional(),
  roomId: id.optional(),
  boardId: id.optional(),
  cardId: id.optional(),
  themeId: id.optional(),
  subject: opt(LIMITS.cardText),
  carriedFrom: z.object({ workshopId: id, workshopTitle: carriedText(LIMITS.workshopTitle), actionId: id }).optional(),
  reviewedIn: z.array(carriedText(LIMITS.workshopTitle)).max(50).optional()
});
const roomSchema = z.object({
  id,
  name: carriedText(LIMITS.roomName),
  details: z.object({ date: isoDate.optional(), venue: opt(LIMITS.venue), host: opt(LIMITS.personName) }).optional(),
  cards: z.array(cardSchema),
  themes: z.array(themeSchema).optional(),
  actions: z.array(actionSchema).optional()
});
const participantSchema = z.object({
  id,
  name: carriedText(LIMITS.participantName),
  roomId: id,
  organisation: opt(200),
  sector: opt(100),
  proxy: z.boolean().optional()
});
const plenarySchema = z.object({
  boardIds: z.array(id).max(LIMITS.boardsPerWorkshop),
  cards: z.array(cardSchema),
  themes: z.array(themeSchema).optional()
});
const SNAPSHOT_REASONS = ['manual', 'auto', 'phase', 'end', 'before-restore'] as const satisfies readonly SnapshotReason[];
const snapshotSchema = z.object({
  createdAt: time,
  label: carriedText(200),
  reason: z.enum(SNAPSHOT_REASONS),
  rooms: z.array(z.object({ roomId: id, cards: z.array(cardSchema), themes: z.array(themeSchema) })).max(LIMITS.roomsPerWorkshop)
});
const boardSchema = z.object({
  id,
  kind: z.string().max(LIMITS.boardKind),
  title: carriedText(LIMITS.boardTitle),
  prompt: carriedText(LIMITS.boardPrompt, 'multi-line')
});
const metaSchema = z.object({
  id,
  title: carriedText(LIMITS.workshopTitle),
  createdAt: time,
  facilitatorName: opt(LIMITS.participantName),
  date: isoDate.optional(),
  startTime: clockTime.optional(),
  endTime: clockTime.optional(),
  venue: opt(LIMITS.venue),
  facilitators: z.array(carriedText(LIMITS.personName)).max(LIMITS.facilitatorsPerWorkshop).optional(),
  purpose: opt(LIMITS.purpose),
  partners: z.array(carriedText(LIMITS.personName)).max(LIMITS.partnersPerWorkshop).optional(),
  links: z
    .array(
      z.object({
        title: carriedText(LIMITS.linkTitle),
        url: z.string().max(LIMITS.linkUrl).refine(isWebUrl, { error: 'must be an http or https address' })
      })
    )
    .max(LIMITS.linksPerWorkshop)
    .optional(),
  /** Absent in version 1 files, which import at the default level (see importJson). */
  attribution: z.enum(ATTRIBUTION_LEVELS).optional()
});

type Problem = (path: (string | number)[], message: string) => void;

/** Cards, themes and their cross-references on one board space (a room or the plenary). */
function checkSpace(
  space: { cards: { id: string; boardId: string; themeId?: string }[]; themes?: { id: string; boardId: string; cardIds: string[] }[] },
  path: (string | number)[],
  where: string,
  boards: Set<string>,
  problem: Problem
): Set<string> {
  const cards = new Set(space.cards.map((c) => c.id));
  const themes = new Set((space.themes ?? []).map((t) => t.id));
  if (cards.size !== space.cards.length) problem([...path, 'cards'], `card ids must be unique ${where}`);
  space.cards.forEach((card, c) => {
    if (!boards.has(card.boardId)) problem([...path, 'cards', c, 'boardId'], `no board ${card.boardId}`);
    if (card.themeId && !themes.has(card.themeId)) problem([...path, 'cards', c, 'themeId'], `no theme ${card.themeId} ${where}`);
  });
  space.themes?.forEach((theme, t) => {
    if (!boards.has(theme.boardId)) problem([...path, 'themes', t, 'boardId'], `no board ${theme.boardId}`);
    for (const cardId of theme.cardIds) {
      if (!cards.has(cardId)) problem([...path, 'themes', t, 'cardIds'], `no card ${cardId} ${where}`);
    }
  });
  return cards;
}

/** One workshop of the record, with every reference inside it checked. */
export const workshopRecordSchema = z
  .object({
    workshop: metaSchema,
    boards: z.array(boardSchema).max(LIMITS.boardsPerWorkshop),
    rooms: z.array(roomSchema).max(LIMITS.roomsPerWorkshop),
    participants: z.array(participantSchema).optional(),
    actions: z.array(actionSchema).optional(),
    plenary: plenarySchema.optional(),
    snapshots: z.array(snapshotSchema).optional()
  })
  .superRefine((w, ctx) => {
    const problem: Problem = (path, message) => ctx.addIssue({ code: 'custom', path, message });
    const boards = new Set(w.boards.map((b) => b.id));
    const rooms = new Set(w.rooms.map((r) => r.id));
    if (boards.size !== w.boards.length) problem(['boards'], 'board ids must be unique');
    if (rooms.size !== w.rooms.length) problem(['rooms'], 'room ids must be unique');
    const votesOk = (card: { votes?: number; proxyVotes?: number }) => (card.proxyVotes ?? 0) <= (card.votes ?? 0);
    w.rooms.forEach((room, r) => {
      const cards = checkSpace(room, ['rooms', r], 'in this room', boards, problem);
      room.cards.forEach((card, c) => {
        if (!votesOk(card)) problem(['rooms', r, 'cards', c, 'proxyVotes'], 'must not be more than votes');
      });
      room.actions?.forEach((action, a) => {
        if (action.boardId && !boards.has(action.boardId))
          problem(['rooms', r, 'actions', a, 'boardId'], `no board ${action.boardId}`);
        if (action.cardId && !cards.has(action.cardId))
          problem(['rooms', r, 'actions', a, 'cardId'], `no card ${action.cardId} in this room`);
      });
    });
    w.participants?.forEach((p, i) => {
      if (!rooms.has(p.roomId)) problem(['participants', i, 'roomId'], `no room ${p.roomId}`);
    });
    const plenary = w.plenary;
    if (plenary) {
      const combined = new Set(plenary.boardIds);
      plenary.boardIds.forEach((boardId, b) => {
        if (!boards.has(boardId)) problem(['plenary', 'boardIds', b], `no board ${boardId}`);
      });
      checkSpace(plenary, ['plenary'], 'on the plenary', combined, problem);
      plenary.cards.forEach((card, c) => {
        if (card.sourceRoomId !== undefined && !rooms.has(card.sourceRoomId))
          problem(['plenary', 'cards', c, 'sourceRoomId'], `no room ${card.sourceRoomId}`);
        if (!votesOk(card)) problem(['plenary', 'cards', c, 'proxyVotes'], 'must not be more than votes');
      });
    }
    w.snapshots?.forEach((snapshot, s) => {
      snapshot.rooms.forEach((room, r) => {
        if (!rooms.has(room.roomId)) problem(['snapshots', s, 'rooms', r, 'roomId'], `no room ${room.roomId}`);
        checkSpace(room, ['snapshots', s, 'rooms', r], 'in this room of the snapshot', boards, problem);
      });
    });
  });

/**
 * Every field of the notes model must have its place in the record (and the other way round),
 * or a workshop loses it on export and import: this fails to compile when one side lacks a key.
 */
type SameKeys<A, B> = [Exclude<keyof A, keyof B>, Exclude<keyof B, keyof A>] extends [never, never] ? true : never;
type RecordOf<S extends z.ZodType> = z.output<S>;
const recordCoversModel: [
  SameKeys<RecordOf<typeof metaSchema>, NotesWorkshopMeta>,
  SameKeys<RecordOf<typeof boardSchema>, Board>,
  SameKeys<RecordOf<typeof cardSchema>, NotesCardInput>,
  SameKeys<RecordOf<typeof themeSchema>, NotesThemeInput>,
  SameKeys<RecordOf<typeof actionSchema>, NotesActionInput>,
  SameKeys<RecordOf<typeof roomSchema>, RoomNotesInput>,
  SameKeys<RecordOf<typeof participantSchema>, NotesParticipant>,
  SameKeys<RecordOf<typeof plenarySchema>, PlenaryNotesInput>,
  SameKeys<RecordOf<typeof snapshotSchema>, NotesSnapshotInput>,
  SameKeys<RecordOf<typeof workshopRecordSchema>, WorkshopNotesInput>
] = [true, true, true, true, true, true, true, true, true, true];
void recordCoversModel;

/**
 * A copy of `value` holding only what `schema` defines, keys in the schema's order, absent
 * optional fields left out. Nothing is validated: export must never fail on live data.
 */
export function projectRecord(schema: z.ZodType, value: unknown): unknown {
  if (value === undefined || value === null) return value;
  if (schema instanceof z.ZodOptional) return projectRecord(schema.unwrap() as z.ZodType, value);
  if (schema instanceof z.ZodArray) {
    return Array.isArray(value) ? value.map((item) => projectRecord(schema.element as z.ZodType, item)) : value;
  }
  if (schema instanceof z.ZodObject) {
    if (typeof value !== 'object') return value;
    const out: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
      const entry = (value as Record<string, unknown>)[key];
      if (entry !== undefined) out[key] = projectRecord(field, entry);
    }
    return out;
  }
  return value;
}
