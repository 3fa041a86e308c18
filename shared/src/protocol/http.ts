import { z } from 'zod';
import { LIMITS } from './limits.js';
import { typedText } from './text.js';
import { CARD_COLORS, SECTORS, isCardColor } from '../model/defaults.js';
import {
  ATTRIBUTION_LEVELS,
  type AttributionLevel,
  type Board,
  type FacilitatorWorkshopView,
  type Room,
  type WorkshopView
} from '../model/workshop.js';
import type { CardView } from '../model/cards.js';
import { isIsoDate } from '../notes/notes-dates.js';

/** Titles and names: one line, NFC, no control or direction-override characters (see text.ts). */
const text = (label: string, max: number) => typedText(label, max);
/** Card text and prompts: the same rule, but line breaks stay. */
const longText = (label: string, max: number) => typedText(label, max, { kind: 'multi-line' });

/** Blank text counts as "not given" (null), so a form can send its empty fields as they are. */
const blankable = (label: string, max: number) =>
  z.preprocess((value) => (typeof value === 'string' && value.trim() === '' ? null : value), text(label, max).nullable());

const isoDate = (label: string) =>
  z
    .string({ error: `${label} must be text` })
    .trim()
    .refine(isIsoDate, { error: `${label} must be a real date written YYYY-MM-DD` });

const clockTime = (label: string) =>
  z.preprocess(
    (value) => (typeof value === 'string' && value.trim() === '' ? null : value),
    z
      .string({ error: `${label} must be text` })
      .trim()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: `${label} must be a time written HH:MM` })
      .nullable()
  );

/** True for an absolute http or https address (never javascript:, data: or a relative path). */
export function isWebUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

const webLink = z.object({
  title: text('link title', LIMITS.linkTitle),
  url: z
    .string({ error: 'link url must be text' })
    .trim()
    .max(LIMITS.linkUrl, { error: `link url must be at most ${LIMITS.linkUrl} characters` })
    .refine(isWebUrl, { error: 'link url must be a web address starting with http:// or https://' })
});

const nameList = (label: string, max: number) =>
  z
    .array(text(label, LIMITS.personName), { error: `${label}s must be a list` })
    .max(max, { error: `at most ${max} ${label}s` });

/** The details a workshop may carry besides its date: each can be left out; blank or null clears it. */
const detailFields = {
  startTime: clockTime('startTime').optional(),
  endTime: clockTime('endTime').optional(),
  venue: blankable('venue', LIMITS.venue).optional(),
  facilitators: nameList('facilitator', LIMITS.facilitatorsPerWorkshop).optional(),
  purpose: blankable('purpose', LIMITS.purpose).optional(),
  partners: nameList('partner', LIMITS.partnersPerWorkshop).optional(),
  links: z
    .array(webLink, { error: 'links must be a list' })
    .max(LIMITS.linksPerWorkshop, { error: `at most ${LIMITS.linksPerWorkshop} links` })
    .optional()
};

const attribution = z.enum(ATTRIBUTION_LEVELS, { error: `attribution must be one of: ${ATTRIBUTION_LEVELS.join(', ')}` });

/** When, where and with whom one room met, if not with the rest of the workshop; blank or null clears. */
const roomDetailFields = {
  date: z.preprocess((value) => (value === '' ? null : value), isoDate('room date').nullable()).optional(),
  venue: blankable('room venue', LIMITS.venue).optional(),
  host: blankable('room host', LIMITS.personName).optional()
};

/** A room on creation: its name, or its name with its own date, venue and host. */
const newRoom = z.union(
  [text('room name', LIMITS.roomName), z.object({ name: text('room name', LIMITS.roomName), ...roomDetailFields })],
  { error: 'each room must be a name, or { name, date?, venue?, host? }' }
);

/** Body of `POST /api/workshops`. */
export const createWorkshopRequest = z.object({
  title: text('title', LIMITS.workshopTitle),
  /** Defaults to today (London). */
  date: isoDate('date').optional(),
  ...detailFields,
  attribution: attribution.optional(),
  rooms: z
    .array(newRoom)
    .min(1, { error: 'a workshop needs at least one room' })
    .max(LIMITS.roomsPerWorkshop, { error: `at most ${LIMITS.roomsPerWorkshop} rooms` })
    .optional(),
  boards: z
    .array(
      z.object({
        kind: z
          .string({ error: 'board kind must be text' })
          .trim()
          .toLowerCase()
          .regex(/^[a-z0-9][a-z0-9_-]*$/, { error: 'board kind must be a short name such as "priorities"' })
          .max(LIMITS.boardKind, { error: `board kind must be at most ${LIMITS.boardKind} characters` }),
        title: text('board title', LIMITS.boardTitle),
        prompt: typedText('board prompt', LIMITS.boardPrompt, { kind: 'multi-line', optional: true }).default('')
      })
    )
    .min(1, { error: 'a workshop needs at least one board' })
    .max(LIMITS.boardsPerWorkshop, { error: `at most ${LIMITS.boardsPerWorkshop} boards` })
    .optional()
});
export type CreateWorkshopRequest = z.input<typeof createWorkshopRequest>;

/**
 * Body of `PATCH /api/workshops/:id` (facilitator): only the fields given change; blank or
 * null clears an optional one. `rooms` sets the details of the rooms named by id.
 */
export const updateWorkshopRequest = z.object({
  title: text('title', LIMITS.workshopTitle).optional(),
  date: isoDate('date').optional(),
  ...detailFields,
  attribution: attribution.optional(),
  rooms: z
    .array(
      z.object({ id: z.string({ error: 'room id must be text' }).min(1, { error: 'room id is required' }).max(64), ...roomDetailFields }),
      { error: 'rooms must be a list' }
    )
    .max(LIMITS.roomsPerWorkshop, { error: `at most ${LIMITS.roomsPerWorkshop} rooms` })
    .optional()
});
export type UpdateWorkshopRequest = z.input<typeof updateWorkshopRequest>;

/** Reply to `POST /api/workshops`: the facilitator key is shown once and stored only hashed. */
export interface CreateWorkshopResponse {
  id: string;
  title: string;
  joinCode: string;
  facilitatorKey: string;
  rooms: Room[];
  boards: Board[];
  details: WorkshopView['details'];
  attribution: AttributionLevel;
}

/** Optional details about a person, for comparing results by sector without names. */
const aboutSomeone = {
  organisation: typedText('organisation', LIMITS.organisation, { optional: true })
    .optional()
    .transform((value) => (value ? value : undefined)),
  sector: z.enum(SECTORS, { error: `sector must be one of: ${SECTORS.join(', ')}` }).optional()
};

/** Body of `POST /api/join`. */
export const joinRequest = z.object({
  code: z
    .string({ error: 'code must be text' })
    .trim()
    .min(1, { error: 'code must not be empty' })
    .max(LIMITS.joinCode, { error: `code must be at most ${LIMITS.joinCode} characters` }),
  name: text('name', LIMITS.participantName),
  roomId: z.string({ error: 'roomId must be text' }).min(1).max(64).optional(),
  ...aboutSomeone
});
export type JoinRequest = z.input<typeof joinRequest>;

/** Body of `POST /api/workshops/:id/proxies` (facilitator): someone without a device, whose cards and votes the facilitator enters. */
export const proxyRequest = z.object({
  name: text('name', LIMITS.participantName),
  roomId: z.string({ error: 'roomId must be text' }).min(1, { error: 'roomId is required' }).max(64),
  ...aboutSomeone
});
export type ProxyRequest = z.input<typeof proxyRequest>;

/** Reply to `POST /api/workshops/:id/proxies`. */
export interface ProxyResponse {
  participantId: string;
  name: string;
  roomId: string;
}

/** Reply to `GET /api/workshops/:id/attendance` (facilitator): head-counts by room and sector, no names. */
export interface AttendanceResponse {
  total: number;
  bySector: Record<string, number>;
  rooms: { roomId: string; name: string; participants: number; bySector: Record<string, number> }[];
}

/** Reply to `POST /api/join`. */
export interface JoinResponse {
  workshopId: string;
  roomId: string;
  participantId: string;
  token: string;
}

/** What the join screen tells people before they type their name. */
export interface JoinPrivacy {
  /** How much of them the kept outputs (cards, notes) will show. */
  attribution: AttributionLevel;
  /** `YYYY-MM-DD`: the day after which the workshop's record is due to be deleted. */
  keptUntil: string;
}

/** Reply to `GET /api/join/:code`: enough to pick a room, and to know what is recorded, before joining. */
export interface JoinLookupResponse {
  workshopId: string;
  title: string;
  rooms: Room[];
  /** The workshop's date, time and venue, for the join screen. */
  details: Pick<WorkshopView['details'], 'date' | 'startTime' | 'endTime' | 'venue'>;
  privacy: JoinPrivacy;
}

/** Reply to `GET /api/workshops/:id` (participant) — the facilitator gets joinCode too. */
export type WorkshopResponse = WorkshopView | FacilitatorWorkshopView;

/** Reply to `POST /api/workshops/:id/facilitator-session` (Bearer facilitatorKey). */
export interface FacilitatorSessionResponse {
  token: string;
  workshop: FacilitatorWorkshopView;
}

/** Reply to `POST /api/workshops/:id/projector-token` (facilitator): a read-only token for the big screen. */
export interface ProjectorTokenResponse {
  token: string;
}

/** Reply to `GET /api/health`. */
export interface HealthResponse {
  ok: true;
  version: string;
  protocol: number;
  uptimeSeconds: number;
}

/** Normalises a join code as typed by a person: case and spaces do not matter. */
export function normaliseJoinCode(code: string): string {
  return code.replace(/[\s-]/g, '').toUpperCase();
}

/** Body of `POST /api/workshops/:id/rooms/:roomId/cards`. */
export const addCardRequest = z.object({
  boardId: z.string({ error: 'boardId must be text' }).min(1, { error: 'boardId is required' }).max(64),
  text: longText('card text', LIMITS.cardText),
  color: z
    .string()
    .refine(isCardColor, { error: `color must be one of ${CARD_COLORS.map((c) => c.id).join(', ')}` })
    .optional()
});
export type AddCardRequest = z.input<typeof addCardRequest>;

/** Body of `POST /api/workshops/:id/snapshots` (facilitator). */
export const snapshotRequest = z.object({
  label: typedText('label', 120, { optional: true }).optional()
});

/** Why a snapshot was taken. */
export type SnapshotReason = 'manual' | 'auto' | 'phase' | 'end' | 'before-restore';

/** An entry of the workshop's timeline (`GET /api/workshops/:id/snapshots`). */
export interface SnapshotSummary {
  id: string;
  createdAt: number;
  label: string;
  reason: SnapshotReason;
  cardCount: number;
}

/** One snapshot opened read-only (`GET /api/workshops/:id/snapshots/:snapshotId`). */
export interface SnapshotView {
  id: string;
  createdAt: number;
  label: string;
  reason: SnapshotReason;
  rooms: { roomId: string; name: string; cards: CardView[] }[];
}

/** Reply to `POST /api/workshops/:id/snapshots/:snapshotId/restore`. */
export interface RestoreResponse {
  restored: SnapshotSummary;
  /** The state just before the restore, kept on the timeline. */
  safety: SnapshotSummary;
}
