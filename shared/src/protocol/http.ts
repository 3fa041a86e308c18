import { z } from 'zod';
import { LIMITS } from './limits.js';
import { typedText } from './text.js';
import { CARD_COLORS, SECTORS, isCardColor } from '../model/defaults.js';
import type { Board, FacilitatorWorkshopView, Room, WorkshopView } from '../model/workshop.js';
import type { CardView } from '../model/cards.js';

/** Titles and names: one line, NFC, no control or direction-override characters (see text.ts). */
const text = (label: string, max: number) => typedText(label, max);
/** Card text and prompts: the same rule, but line breaks stay. */
const longText = (label: string, max: number) => typedText(label, max, { kind: 'multi-line' });

/** Body of `POST /api/workshops`. */
export const createWorkshopRequest = z.object({
  title: text('title', LIMITS.workshopTitle),
  rooms: z
    .array(text('room name', LIMITS.roomName))
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

/** Reply to `POST /api/workshops`: the facilitator key is shown once and stored only hashed. */
export interface CreateWorkshopResponse {
  id: string;
  title: string;
  joinCode: string;
  facilitatorKey: string;
  rooms: Room[];
  boards: Board[];
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

/** Reply to `GET /api/join/:code`: enough to pick a room before joining. */
export interface JoinLookupResponse {
  workshopId: string;
  title: string;
  rooms: Room[];
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
