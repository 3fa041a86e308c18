import type { CardView } from '../model/cards.js';
import type { AttributionLevel, Board, Room, WorkshopDetails } from '../model/workshop.js';
import type { ActionStatus, OutcomeKind } from '../protocol/outcomes.js';
import type { SnapshotReason } from '../protocol/http.js';

/**
 * What the notes are made from: plain data read from the workshop record and each room's
 * Yjs document. Themes, votes, actions, organisations and sectors are optional because
 * not every workshop (or every version of the app) records them; notes read well without.
 */
export interface WorkshopNotesInput {
  workshop: NotesWorkshopMeta;
  boards: Board[];
  rooms: RoomNotesInput[];
  /** Everyone admitted to the workshop; attendance is counted from this list. */
  participants?: NotesParticipant[];
  /**
   * Decisions and actions recorded by the facilitator, oldest first: about the whole workshop,
   * or (with `roomId`) about a room, board, theme or card of it.
   */
  actions?: NotesActionInput[];
  /** The plenary board, once the facilitator has combined any board onto it. */
  plenary?: PlenaryNotesInput;
  /** The workshop's timeline, oldest first, when asked for (the notes themselves never use it). */
  snapshots?: NotesSnapshotInput[];
}

/** One point on the workshop's timeline: every room's cards and themes as they were then. */
export interface NotesSnapshotInput {
  /** Epoch milliseconds. */
  createdAt: number;
  label: string;
  reason: SnapshotReason;
  rooms: { roomId: string; cards: NotesCardInput[]; themes: NotesThemeInput[] }[];
}

/**
 * The plenary: the boards combined from every room (`plenary:combine`), with the copies of
 * their cards (each naming its `sourceRoomId`), the plenary's own themes and its votes.
 */
export interface PlenaryNotesInput {
  /** The boards combined onto the plenary, in the order they were combined. */
  boardIds: string[];
  cards: NotesCardInput[];
  themes?: NotesThemeInput[];
}

/** The workshop's own fields; its details (date, times, venue, facilitators, purpose, partners, links) may be absent in older records. */
export interface NotesWorkshopMeta extends Partial<WorkshopDetails> {
  id: string;
  title: string;
  /** Epoch milliseconds. */
  createdAt: number;
  facilitatorName?: string;
  /** How people are credited in these notes; their names are already left out where it says so. */
  attribution?: AttributionLevel;
}

/** One room with everything it produced (and, in `details`, when and where it met if apart). */
export interface RoomNotesInput extends Room {
  cards: NotesCardInput[];
  themes?: NotesThemeInput[];
  actions?: NotesActionInput[];
}

/** A card as read from the room document, plus what later phases may add. */
export interface NotesCardInput extends CardView {
  /** The theme this card was grouped under; a theme's `cardIds` may say the same. */
  themeId?: string;
  /** Dots or votes the card received. Absent means "not voted on", not zero. */
  votes?: number;
  /** How many of `votes` the facilitator cast for someone without a device. */
  proxyVotes?: number;
}

/** A named group of cards on one board of one room. */
export interface NotesThemeInput {
  id: string;
  boardId: string;
  name: string;
  cardIds: string[];
  /** Votes cast on the theme itself; when absent, the theme counts its cards' votes. */
  votes?: number;
}

/** A decision the workshop made, or something someone agreed to do (usually about a barrier). */
export interface NotesActionInput {
  /** Its id in the workshop, so an action carried into a later workshop can be traced back. */
  id?: string;
  /** Absent means an action (notes made before decisions were recorded). */
  kind?: OutcomeKind;
  text: string;
  /** Actions: a person or an organisation. */
  owner?: string;
  /** Actions: `YYYY-MM-DD`. */
  dueDate?: string;
  /** Actions: absent means not recorded. */
  status?: ActionStatus;
  /** In the workshop-level list only: the room it is about (a room's own `actions` need none). */
  roomId?: string;
  boardId?: string;
  cardId?: string;
  themeId?: string;
  /** What it is about as labelled when recorded (a card's text, a theme's name), for when that is not in the notes. */
  subject?: string;
  /** Set on an action brought in from an earlier workshop of the series for review. */
  carriedFrom?: { workshopId: string; workshopTitle: string; actionId: string };
  /** Series notes only (never exported): the later workshops where this action was reviewed. */
  reviewedIn?: string[];
}

export interface NotesParticipant {
  id: string;
  name: string;
  roomId: string;
  organisation?: string;
  /** e.g. "Council", "Health", "Voluntary and community", "Police". */
  sector?: string;
  /** Someone without a device, whose cards and votes the facilitator entered. */
  proxy?: boolean;
}

/** Which part of the input the notes cover. */
export type NotesScope =
  | { kind: 'room'; roomId: string; workshopId?: string }
  | { kind: 'workshop'; workshopId?: string }
  | { kind: 'series'; title?: string };
