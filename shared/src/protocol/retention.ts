import { z } from 'zod';
import { addDays, londonIsoDate } from '../notes/notes-dates.js';

/** The retention periods a facilitator may choose, in days after the workshop's date. */
export const RETENTION_DAYS = { min: 1, max: 3650 } as const;

/** A workshop's own retention period, in whole days after its date (on creation or `PATCH`). */
export const retentionDaysField = z
  .number({ error: 'retentionDays must be a number of days' })
  .int({ error: 'retentionDays must be a whole number of days' })
  .min(RETENTION_DAYS.min, { error: `retentionDays must be at least ${RETENTION_DAYS.min}` })
  .max(RETENTION_DAYS.max, { error: `retentionDays must be at most ${RETENTION_DAYS.max}` });

/** The last day (`YYYY-MM-DD`) a workshop held on `date` is kept; the server deletes it the day after. */
export function keptUntil(date: string, retentionDays: number): string {
  return addDays(date, retentionDays);
}

/** True once the London date of `now` is past the last day a workshop is kept. */
export function isPastRetention(lastDay: string, now: number): boolean {
  return londonIsoDate(now) > lastDay;
}

/** What erasing someone does with their cards: keep them without any name, or delete them. */
export const ERASE_CARDS = ['anonymise', 'delete'] as const;
export type EraseCards = (typeof ERASE_CARDS)[number];

/** Body of `POST /api/workshops/:id/participants/:participantId/erase` (facilitator). */
export const eraseParticipantRequest = z.object({
  cards: z.enum(ERASE_CARDS, { error: `cards must be one of: ${ERASE_CARDS.join(', ')}` })
});
export type EraseParticipantRequest = z.input<typeof eraseParticipantRequest>;

/** Reply to the erase request: what was changed. */
export interface EraseParticipantResponse {
  participantId: string;
  cards: EraseCards;
  /** Cards made anonymous or deleted, in the live boards. */
  cardsChanged: number;
  /** Timeline snapshots rewritten. */
  snapshotsRewritten: number;
}

/** One person in `GET /api/workshops/:id/participants` (facilitator), to pick whose data to erase. */
export interface ParticipantEntry {
  id: string;
  /** Empty once their personal data was erased. */
  name: string;
  roomId: string;
  joinedAt: number;
  organisation?: string;
  sector?: string;
  proxy?: boolean;
  /** Their name and organisation were erased on request. */
  erased?: boolean;
}

/** Reply to `GET /api/workshops/:id/participants`. */
export interface ParticipantListResponse {
  participants: ParticipantEntry[];
}
