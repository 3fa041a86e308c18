import { z } from 'zod';
import { isIsoDate } from '../notes/notes-dates.js';

/** A decision the workshop made, or an action someone agreed to take. */
export const OUTCOME_KINDS = ['decision', 'action'] as const;
export type OutcomeKind = (typeof OUTCOME_KINDS)[number];

/** Where an action stands. Decisions have no status. */
export const ACTION_STATUSES = ['open', 'done', 'dropped'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];

/** Plain-language names of the statuses, for screens and notes. */
export const ACTION_STATUS_LABELS: Record<ActionStatus, string> = { open: 'Open', done: 'Done', dropped: 'Dropped' };

/** Size limits of decisions and actions, enforced by the server and mirrored by the forms. */
export const OUTCOME_LIMITS = {
  text: 1000,
  /** A person or an organisation, e.g. "Housing team, Leeds City Council". */
  owner: 120,
  perWorkshop: 500
} as const;

/** What a decision or action is about: a room, a board (in every room, or one), a theme or card of a room. The server checks each part and adds a label. */
export interface OutcomeLink {
  roomId?: string;
  boardId?: string;
  cardId?: string;
  themeId?: string;
  /** The card's text or theme's name when it was linked, so every screen can show it. */
  label?: string;
}

/** An action brought in from an earlier workshop of the series for review. */
export interface CarriedFrom {
  workshopId: string;
  workshopTitle: string;
  /** The action's id in that workshop. */
  outcomeId: string;
  /** What the action was about there (a card's text, a theme's name), if anything. */
  subject?: string;
}

/** A decision or an action, as recorded by the facilitator and shown on every screen. */
export interface Outcome {
  id: string;
  kind: OutcomeKind;
  text: string;
  /** Actions only: who will do it — a person or an organisation. */
  owner?: string;
  /** Actions only: `YYYY-MM-DD`. */
  dueDate?: string;
  /** Actions only. */
  status?: ActionStatus;
  link: OutcomeLink | null;
  carriedFrom?: CarriedFrom;
  /** Epoch milliseconds (server clock). */
  createdAt: number;
  updatedAt: number;
}

/** Every decision and action of a workshop, in the order they were recorded. */
export interface OutcomeList {
  workshopId: string;
  outcomes: Outcome[];
}

const id = z.string().min(1).max(64);
const text = z.string().trim().min(1, { error: 'must not be empty' }).max(OUTCOME_LIMITS.text);
const owner = z.string().trim().max(OUTCOME_LIMITS.owner, { error: `must be at most ${OUTCOME_LIMITS.owner} characters` });
/** A real calendar date written `YYYY-MM-DD`. */
const dueDate = z.string().refine(isIsoDate, { error: 'must be a date written YYYY-MM-DD' });
const status = z.enum(ACTION_STATUSES, { error: `must be one of ${ACTION_STATUSES.join(', ')}` });
const link = z
  .object({ roomId: id.optional(), boardId: id.optional(), cardId: id.optional(), themeId: id.optional() })
  .strict()
  .refine((value) => !(value.cardId && value.themeId), { error: 'link to a card or a theme, not both' })
  .refine((value) => value.roomId !== undefined || (value.cardId === undefined && value.themeId === undefined), {
    error: 'a card or theme link needs the roomId of its room'
  })
  .refine((value) => value.roomId !== undefined || value.boardId !== undefined, { error: 'link to a room or a board' });

/** Payload schemas of the decision and action commands (facilitator only). */
export const outcomeCommandSchemas = {
  /** Records a decision (text) or an action (text, owner, due date, status), optionally about a room, board, theme or card. */
  'outcome:add': z
    .object({
      kind: z.enum(OUTCOME_KINDS),
      text,
      owner: owner.optional(),
      dueDate: dueDate.optional(),
      status: status.optional(),
      link: link.nullable().optional()
    })
    .strict(),
  /** Changes an outcome's text, owner, due date or status; `null` clears owner or due date. */
  'outcome:update': z
    .object({ id, text: text.optional(), owner: owner.nullable().optional(), dueDate: dueDate.nullable().optional(), status: status.optional() })
    .strict(),
  'outcome:remove': z.object({ id }).strict(),
  /** Brings in the open actions of an earlier workshop, named by its id and facilitator key. */
  'outcome:carry': z.object({ workshopId: id, facilitatorKey: z.string().min(1).max(200) }).strict()
} as const;
