import { z } from 'zod';
import { outcomeCommandSchemas } from './outcomes.js';

/** The phases a board moves through. Going back is allowed and loses nothing. */
export const PHASES = ['setup', 'brainstorm', 'group', 'vote', 'discuss', 'closed'] as const;
export type Phase = (typeof PHASES)[number];

/** Plain-language names of the phases, for screens and notes. */
export const PHASE_LABELS: Record<Phase, string> = {
  setup: 'Getting ready',
  brainstorm: 'Brainstorm',
  group: 'Grouping',
  vote: 'Voting',
  discuss: 'Discussion',
  closed: 'Closed'
};

/** The facilitator's settings and the state of one board (the same in every room). */
export interface BoardControl {
  boardId: string;
  phase: Phase;
  /** Private brainstorm: participants see only their own cards until Reveal. */
  private: boolean;
  revealed: boolean;
  locked: boolean;
  /** Vote results are visible to participants and the projector. */
  resultsShown: boolean;
}

export interface VotingRules {
  /** Dots each participant may place on a board. */
  budget: number;
  /** At most this many of one participant's dots on one card; null for no cap. */
  perCardCap: number | null;
  /** Hide running totals from participants until the facilitator shows results. */
  hideUntilShown: boolean;
}

/** A countdown decided by the server: screens show `endsAt - now` while running. */
export interface TimerState {
  durationMs: number;
  running: boolean;
  /** Server clock time at which a running timer reaches zero. */
  endsAt: number | null;
  /** What is left while paused (or the whole duration before starting). */
  remainingMs: number;
  /** Increases each time the timer runs out, so screens cue the end once. */
  endedCount: number;
}

/** What every screen highlights; the server adds the card's text or theme's name so every room can show it. */
export type Spotlight =
  | { kind: 'card'; roomId: string; cardId: string; text?: string }
  | { kind: 'theme'; roomId: string; themeId: string; name?: string }
  | null;

/** Everything the facilitator steers, as published to every screen of the workshop. */
export interface ControlState {
  workshopId: string;
  /** Increases with every change, so clients can ignore stale copies. */
  revision: number;
  /** The server's clock when this copy was sent, to align countdowns. */
  serverTime: number;
  boards: BoardControl[];
  /** "Bring everyone to this board": screens switch to it. */
  focusBoardId: string | null;
  spotlight: Spotlight;
  timer: TimerState;
  voting: VotingRules;
  joiningOpen: boolean;
  /** Participants may download the session notes. */
  notesShared: boolean;
  /** Boards that have been combined onto the plenary board. */
  plenaryBoardIds: string[];
}

/** One participant's dots on a board. Keys are `${roomId}:${cardId}`. */
export interface MyVotes {
  boardId: string;
  budget: number;
  used: number;
  left: number;
  cards: Record<string, number>;
}

export interface VoteTally {
  roomId: string;
  cardId: string;
  votes: number;
}

/** Dots per card on a board, most first. */
export interface VoteResults {
  boardId: string;
  tallies: VoteTally[];
}

/** Per room: participants present and how many said "I'm done" on a board. */
export interface DoneCounts {
  boardId: string;
  rooms: Record<string, { done: number }>;
}

/** While a board is private: how many private cards each room has written so far (facilitator only). */
export interface PrivateCounts {
  boardId: string;
  rooms: Record<string, number>;
}

/** Which theme names (compared case- and space-insensitively) several rooms share, and which one room alone has. */
export interface ThemeComparison {
  boardId: string;
  shared: { name: string; roomIds: string[] }[];
  unique: { name: string; roomId: string }[];
}

/** Key of a card across rooms, as used in vote maps. */
export function voteKey(roomId: string, cardId: string): string {
  return `${roomId}:${cardId}`;
}

const id = z.string().min(1).max(64);
const boardRef = z.object({ boardId: id }).strict();
/** A vote; the facilitator may cast one on behalf of someone without a device (a proxy participant). */
const voteRef = z.object({ boardId: id, roomId: id, cardId: id, onBehalfOf: id.optional() }).strict();
const empty = z.object({}).strict();

/** Payload schemas of every control command, validated by the server before anything changes. */
export const commandSchemas = {
  'session:get': empty,
  'control:get': empty,
  'phase:set': z.object({ boardId: id, phase: z.enum(PHASES) }).strict(),
  'board:private': z.object({ boardId: id, private: z.boolean() }).strict(),
  'board:reveal': boardRef,
  'board:lock': z.object({ boardId: id, locked: z.boolean() }).strict(),
  'board:focus': z.object({ boardId: id.nullable() }).strict(),
  'spotlight:set': z
    .object({
      spotlight: z
        .discriminatedUnion('kind', [
          z.object({ kind: z.literal('card'), roomId: id, cardId: id }).strict(),
          z.object({ kind: z.literal('theme'), roomId: id, themeId: id }).strict()
        ])
        .nullable()
    })
    .strict(),
  'timer:set': z.object({ durationMs: z.number().int().min(1000).max(4 * 3600_000) }).strict(),
  'timer:start': empty,
  'timer:pause': empty,
  'timer:add': z.object({ ms: z.number().int().min(-3600_000).max(3600_000) }).strict(),
  'vote:configure': z
    .object({
      budget: z.number().int().min(1).max(20),
      perCardCap: z.number().int().min(1).max(20).nullable(),
      hideUntilShown: z.boolean()
    })
    .strict(),
  'vote:cast': voteRef,
  'vote:retract': voteRef,
  'vote:results': z.object({ boardId: id, shown: z.boolean() }).strict(),
  'joining:set': z.object({ open: z.boolean() }).strict(),
  'notes:share': z.object({ shared: z.boolean() }).strict(),
  /** Copies one board's cards (and themes) from every room onto the plenary board, each tagged with its room. */
  'plenary:combine': boardRef,
  'themes:compare': boardRef,
  'participant:done': z.object({ boardId: id, done: z.boolean() }).strict(),
  ...outcomeCommandSchemas
} as const;

export type CommandName = keyof typeof commandSchemas;
export type CommandPayload<C extends CommandName> = z.input<(typeof commandSchemas)[C]>;
