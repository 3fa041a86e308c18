import { z } from 'zod';
import { CARD_COLORS, type CardColor } from '../model/defaults.js';
import { LIMITS } from '../protocol/limits.js';
import { carriedText } from '../protocol/text.js';
import { ACTION_STATUSES, OUTCOME_KINDS } from '../protocol/outcomes.js';
import type { NotesDocument } from './document.js';
import type {
  NotesActionInput,
  NotesCardInput,
  NotesParticipant,
  NotesScope,
  NotesThemeInput,
  RoomNotesInput,
  WorkshopNotesInput
} from './model.js';
import { isIsoDate } from './notes-dates.js';
import { isWebUrl } from '../protocol/http.js';
import { ATTRIBUTION_LEVELS } from '../model/workshop.js';

/**
 * The JSON export, format "goldthread-notes" version 1. It holds the input the notes were
 * built from, limited to their scope, so `buildNotes(json.workshops, json.scope)` rebuilds
 * them and an importer can recreate the workshop:
 *
 * - `scope`: `{ kind: "room", roomId }`, `{ kind: "workshop" }` or `{ kind: "series", title? }`.
 * - `workshops[]`, each:
 *   - `workshop`: `{ id, title, createdAt (epoch ms), facilitatorName?, date? (YYYY-MM-DD), startTime? (HH:MM),
 *     endTime?, venue?, facilitators?[], purpose?, partners?[], links?[] ({ title, url }), attribution? }`
 *   - `boards[]`: `{ id, kind, title, prompt }`
 *   - `rooms[]`: `{ id, name, details? ({ date?, venue?, host? }), cards[], themes?[], actions?[] }`
 *     - `cards[]`: `{ id, boardId, text, authorId, authorName, color, createdAt, themeId?, votes? }`
 *     - `themes[]`: `{ id, boardId, name, cardIds[], votes? }`
 *     - `actions[]`: an action as below, without `roomId`
 *   - `participants?[]`: `{ id, name, roomId, organisation?, sector? }`
 *   - `actions?[]`: the decisions and actions, `{ id?, kind? ("decision" | "action", default action), text, owner?,
 *     dueDate? (YYYY-MM-DD), status? ("open" | "done" | "dropped"), roomId?, boardId?, cardId?, themeId?, subject?,
 *     carriedFrom? { workshopId, workshopTitle, actionId } }`
 *
 * Optional fields are left out when not recorded. Unknown fields are ignored on import, so a
 * later version may add fields without a version bump; removing or changing one bumps it.
 */
export interface NotesJson {
  format: typeof NOTES_JSON_FORMAT;
  version: typeof NOTES_JSON_VERSION;
  scope: NotesScope;
  workshops: WorkshopNotesInput[];
}

export const NOTES_JSON_FORMAT = 'goldthread-notes';
export const NOTES_JSON_VERSION = 1;
const ABOUT =
  'Goldthread session notes: the workshop data these notes were made from. Import it into Goldthread to recreate the workshop.';

/** Thrown by `parseNotesJson` with a message fit to show the person importing the file. */
export class NotesJsonError extends Error {
  override name = 'NotesJsonError';
}

const id = z.string().min(1, { error: 'must not be empty' }).max(64);
const count = z.number().int().min(0);
const time = z.number().min(0);
const opt = (max: number) => carriedText(max).optional();

const cardSchema = z.object({
  id,
  boardId: id,
  text: carriedText(LIMITS.cardText, 'multi-line'),
  authorId: z.string().max(64),
  authorName: carriedText(LIMITS.participantName),
  color: z.enum(CARD_COLORS.map((c) => c.id) as [CardColor, ...CardColor[]]),
  createdAt: time,
  themeId: id.optional(),
  votes: count.optional()
});
const themeSchema = z.object({
  id,
  boardId: id,
  name: carriedText(LIMITS.boardTitle),
  cardIds: z.array(id),
  votes: count.optional()
});
const actionSchema = z.object({
  id: id.optional(),
  kind: z.enum(OUTCOME_KINDS).optional(),
  text: carriedText(LIMITS.cardText, 'multi-line'),
  owner: opt(200),
  dueDate: z.string().refine(isIsoDate, { error: 'must be a date written YYYY-MM-DD' }).optional(),
  status: z.enum(ACTION_STATUSES).optional(),
  roomId: id.optional(),
  boardId: id.optional(),
  cardId: id.optional(),
  themeId: id.optional(),
  subject: opt(LIMITS.cardText),
  carriedFrom: z.object({ workshopId: id, workshopTitle: z.string().max(LIMITS.workshopTitle), actionId: id }).optional()
});
const isoDate = z.string().refine(isIsoDate, { error: 'must be a date written YYYY-MM-DD' });
const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'must be a time written HH:MM' });
const roomSchema = z.object({
  id,
  name: carriedText(LIMITS.roomName),
  details: z.object({ date: isoDate.optional(), venue: opt(LIMITS.venue), host: opt(LIMITS.personName) }).optional(),
  cards: z.array(cardSchema),
  themes: z.array(themeSchema).optional(),
  actions: z.array(actionSchema).optional()
});
const workshopSchema = z
  .object({
    workshop: z.object({
      id,
      title: carriedText(LIMITS.workshopTitle),
      createdAt: time,
      facilitatorName: opt(LIMITS.participantName),
      date: isoDate.optional(),
      startTime: clockTime.optional(),
      endTime: clockTime.optional(),
      venue: opt(LIMITS.venue),
      facilitators: z.array(z.string().max(LIMITS.personName)).max(LIMITS.facilitatorsPerWorkshop).optional(),
      purpose: opt(LIMITS.purpose),
      partners: z.array(z.string().max(LIMITS.personName)).max(LIMITS.partnersPerWorkshop).optional(),
      links: z
        .array(
          z.object({
            title: z.string().max(LIMITS.linkTitle),
            url: z.string().max(LIMITS.linkUrl).refine(isWebUrl, { error: 'must be an http or https address' })
          })
        )
        .max(LIMITS.linksPerWorkshop)
        .optional(),
      attribution: z.enum(ATTRIBUTION_LEVELS).optional()
    }),
    boards: z
      .array(
        z.object({
          id,
          kind: z.string().max(LIMITS.boardKind),
          title: carriedText(LIMITS.boardTitle),
          prompt: carriedText(LIMITS.boardPrompt, 'multi-line')
        })
      )
      .max(LIMITS.boardsPerWorkshop),
    rooms: z.array(roomSchema).max(LIMITS.roomsPerWorkshop),
    participants: z
      .array(
        z.object({
          id,
          name: carriedText(LIMITS.participantName),
          roomId: id,
          organisation: opt(200),
          sector: opt(100)
        })
      )
      .optional(),
    actions: z.array(actionSchema).optional()
  })
  .superRefine((w, ctx) => {
    const problem = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    const boards = new Set(w.boards.map((b) => b.id));
    const rooms = new Set(w.rooms.map((r) => r.id));
    if (boards.size !== w.boards.length) problem(['boards'], 'board ids must be unique');
    if (rooms.size !== w.rooms.length) problem(['rooms'], 'room ids must be unique');
    w.rooms.forEach((room, r) => {
      const cards = new Set(room.cards.map((c) => c.id));
      const themes = new Set((room.themes ?? []).map((t) => t.id));
      if (cards.size !== room.cards.length) problem(['rooms', r, 'cards'], 'card ids must be unique within a room');
      room.cards.forEach((card, c) => {
        if (!boards.has(card.boardId)) problem(['rooms', r, 'cards', c, 'boardId'], `no board ${card.boardId}`);
        if (card.themeId && !themes.has(card.themeId))
          problem(['rooms', r, 'cards', c, 'themeId'], `no theme ${card.themeId} in this room`);
      });
      room.themes?.forEach((theme, t) => {
        if (!boards.has(theme.boardId)) problem(['rooms', r, 'themes', t, 'boardId'], `no board ${theme.boardId}`);
        for (const cardId of theme.cardIds) {
          if (!cards.has(cardId)) problem(['rooms', r, 'themes', t, 'cardIds'], `no card ${cardId} in this room`);
        }
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
  });

const scopeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('room'), roomId: id, workshopId: id.optional() }),
  z.object({ kind: z.literal('workshop'), workshopId: id.optional() }),
  z.object({ kind: z.literal('series'), title: opt(LIMITS.workshopTitle) })
]);

const notesJsonSchema = z
  .object({
    format: z.literal(NOTES_JSON_FORMAT),
    version: z.literal(NOTES_JSON_VERSION),
    scope: scopeSchema,
    workshops: z.array(workshopSchema).min(1, { error: 'at least one workshop is needed' }).max(100)
  })
  .superRefine((notes, ctx) => {
    const { scope, workshops } = notes;
    const ok =
      scope.kind === 'series' ||
      (scope.kind === 'workshop' &&
        (scope.workshopId ? workshops.some((w) => w.workshop.id === scope.workshopId) : workshops.length === 1)) ||
      (scope.kind === 'room' && workshops.some((w) => w.rooms.some((room) => room.id === scope.roomId)));
    if (!ok)
      ctx.addIssue({ code: 'custom', path: ['scope'], message: 'names a room or workshop the file does not hold' });
  });

function pathLabel(path: PropertyKey[]): string {
  return (
    path.map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i ? '.' : ''}${String(part)}`)).join('') ||
    '(file)'
  );
}

/**
 * Reads a notes JSON export, checking its format, version, fields and cross-references.
 * Throws NotesJsonError with a readable message when the file cannot be imported.
 */
export function parseNotesJson(text: string): NotesJson {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new NotesJsonError(`This file is not valid JSON (${(error as Error).message})`);
  }
  const head = (typeof value === 'object' && value !== null ? value : {}) as { format?: unknown; version?: unknown };
  if (head.format !== NOTES_JSON_FORMAT) {
    throw new NotesJsonError(`This is not a Goldthread notes file: "format" should be "${NOTES_JSON_FORMAT}"`);
  }
  if (head.version !== NOTES_JSON_VERSION) {
    throw new NotesJsonError(
      typeof head.version === 'number' && head.version > NOTES_JSON_VERSION
        ? `This notes file is version ${head.version}, from a newer Goldthread; this one reads version ${NOTES_JSON_VERSION}`
        : `This notes file has an unknown version; this Goldthread reads version ${NOTES_JSON_VERSION}`
    );
  }
  const result = notesJsonSchema.safeParse(value);
  if (!result.success) {
    const issues = result.error.issues;
    const lines = issues.slice(0, 5).map((issue) => `${pathLabel(issue.path)}: ${issue.message}`);
    if (issues.length > 5) lines.push(`…and ${issues.length - 5} more`);
    throw new NotesJsonError(`This Goldthread notes file cannot be imported:\n${lines.join('\n')}`);
  }
  const notes: NotesJson = result.data;
  return notes;
}

function card(c: NotesCardInput): NotesCardInput {
  const out: NotesCardInput = {
    id: c.id,
    boardId: c.boardId,
    text: c.text,
    authorId: c.authorId,
    authorName: c.authorName,
    color: c.color,
    createdAt: c.createdAt
  };
  if (c.themeId !== undefined) out.themeId = c.themeId;
  if (c.votes !== undefined) out.votes = c.votes;
  return out;
}

function theme(t: NotesThemeInput): NotesThemeInput {
  const out: NotesThemeInput = { id: t.id, boardId: t.boardId, name: t.name, cardIds: [...t.cardIds] };
  if (t.votes !== undefined) out.votes = t.votes;
  return out;
}

function action(a: NotesActionInput): NotesActionInput {
  const out: NotesActionInput = { ...(a.id !== undefined && { id: a.id }), ...(a.kind !== undefined && { kind: a.kind }), text: a.text };
  for (const key of ['owner', 'dueDate', 'status', 'roomId', 'boardId', 'cardId', 'themeId', 'subject'] as const) {
    if (a[key] !== undefined) Object.assign(out, { [key]: a[key] });
  }
  if (a.carriedFrom) out.carriedFrom = { ...a.carriedFrom };
  return out;
}

function room(r: RoomNotesInput): RoomNotesInput {
  const out: RoomNotesInput = { id: r.id, name: r.name, cards: r.cards.map(card) };
  if (r.details) {
    const { date, venue, host } = r.details;
    out.details = { ...(date !== undefined && { date }), ...(venue !== undefined && { venue }), ...(host !== undefined && { host }) };
  }
  if (r.themes) out.themes = r.themes.map(theme);
  if (r.actions) out.actions = r.actions.map(action);
  return out;
}

function participant(p: NotesParticipant): NotesParticipant {
  const out: NotesParticipant = { id: p.id, name: p.name, roomId: p.roomId };
  if (p.organisation !== undefined) out.organisation = p.organisation;
  if (p.sector !== undefined) out.sector = p.sector;
  return out;
}

function workshop(w: WorkshopNotesInput): WorkshopNotesInput {
  const meta = w.workshop;
  const out: WorkshopNotesInput = {
    workshop: { id: meta.id, title: meta.title, createdAt: meta.createdAt },
    boards: w.boards.map((b) => ({ id: b.id, kind: b.kind, title: b.title, prompt: b.prompt })),
    rooms: w.rooms.map(room)
  };
  if (meta.facilitatorName !== undefined) out.workshop.facilitatorName = meta.facilitatorName;
  if (meta.date !== undefined) out.workshop.date = meta.date;
  if (meta.startTime !== undefined) out.workshop.startTime = meta.startTime;
  if (meta.endTime !== undefined) out.workshop.endTime = meta.endTime;
  if (meta.venue !== undefined) out.workshop.venue = meta.venue;
  if (meta.facilitators !== undefined) out.workshop.facilitators = [...meta.facilitators];
  if (meta.purpose !== undefined) out.workshop.purpose = meta.purpose;
  if (meta.partners !== undefined) out.workshop.partners = [...meta.partners];
  if (meta.links !== undefined) out.workshop.links = meta.links.map((link) => ({ title: link.title, url: link.url }));
  if (meta.attribution !== undefined) out.workshop.attribution = meta.attribution;
  if (w.participants) out.participants = w.participants.map(participant);
  if (w.actions) out.actions = w.actions.map(action);
  return out;
}

function scopeOf(scope: NotesScope): NotesScope {
  if (scope.kind === 'room')
    return scope.workshopId
      ? { kind: 'room', roomId: scope.roomId, workshopId: scope.workshopId }
      : { kind: 'room', roomId: scope.roomId };
  if (scope.kind === 'workshop')
    return scope.workshopId ? { kind: 'workshop', workshopId: scope.workshopId } : { kind: 'workshop' };
  return scope.title !== undefined ? { kind: 'series', title: scope.title } : { kind: 'series' };
}

/** The notes as versioned JSON (see NotesJson), keys in a fixed order, so equal notes give equal files. */
export function renderJson(doc: NotesDocument): string {
  const json: NotesJson & { about: string } = {
    format: NOTES_JSON_FORMAT,
    version: NOTES_JSON_VERSION,
    about: ABOUT,
    scope: scopeOf(doc.scope),
    workshops: doc.source.map(workshop)
  };
  return `${JSON.stringify(json, null, 2)}\n`;
}
