import type { CardColor } from '../model/defaults.js';
import type { AttributionLevel, WorkshopLink } from '../model/workshop.js';
import type { NotesScope, WorkshopNotesInput } from './model.js';
import type { ActionStatus, OutcomeKind } from '../protocol/outcomes.js';

/**
 * Render-ready session notes: everything is already grouped, ranked and labelled, so each
 * renderer only lays it out. User text is kept raw here; every renderer escapes it.
 */
export interface NotesDocument {
  scope: NotesScope;
  title: string;
  /** e.g. "North room", "3 rooms", "Combined notes from 2 workshops". */
  subtitle: string;
  /** e.g. "23 November 2026", or a range for a series. */
  dateLabel: string;
  /** `YYYY-MM-DD` of the first workshop, for file names and CSV rows. */
  isoDate: string;
  facilitators: string[];
  workshops: NotesWorkshopSummary[];
  attendance: NotesAttendance;
  /** Null when the notes have no Priorities board. */
  topPriorities: NotesTopPriorities | null;
  /** Every board, combined across the rooms in scope. */
  boards: NotesBoardSection[];
  /** The plenary of each workshop in scope that held one (none in a room's notes). */
  plenaries: NotesPlenarySection[];
  /** Null when only one room is in scope. */
  crossRoom: NotesCrossRoomSummary | null;
  /** Every recorded action: the whole workshop's first, then room by room. */
  actions: NotesActionEntry[];
  /** Every recorded decision, in the same order. */
  decisions: NotesActionEntry[];
  /** Room-by-room detail (the appendix when more than one room is in scope). */
  rooms: NotesRoomSection[];
  /** The input the notes were built from, limited to the scope: the JSON export's content. */
  source: WorkshopNotesInput[];
}

/** A room, labelled for the notes' scope ("North", or "North (Workshop, 23 Nov 2026)" in a series). */
export interface NotesRoomRef {
  workshopId: string;
  roomId: string;
  name: string;
  label: string;
}

export interface NotesWorkshopSummary {
  id: string;
  title: string;
  isoDate: string;
  dateLabel: string;
  /** "10:00 to 12:30", "From 10:00". */
  timeLabel?: string;
  venue?: string;
  facilitatorName?: string;
  /** Every facilitator named, the old single `facilitatorName` included. */
  facilitators: string[];
  purpose?: string;
  partners: string[];
  links: WorkshopLink[];
  attribution?: AttributionLevel;
  rooms: NotesRoomRef[];
  /** Rooms that met on their own date, at their own venue or with their own host. */
  roomsApart: NotesRoomMeeting[];
}

/** When, where and with whom a room met apart from the rest: "North: 4 December 2026, Town Hall, hosted by Sam Lee". */
export interface NotesRoomMeeting {
  room: NotesRoomRef;
  isoDate: string;
  dateLabel: string;
  venue?: string;
  host?: string;
}

export interface NotesCount {
  name: string;
  count: number;
}

export interface NotesAttendance {
  total: number;
  byRoom: { room: NotesRoomRef; count: number }[];
  /** Empty when no participant's sector was recorded. */
  bySector: NotesCount[];
  /** Empty when no participant's organisation was recorded. */
  byOrganisation: NotesCount[];
}

export interface NotesCardEntry {
  id: string;
  text: string;
  /** The author's name, or "Anonymous". */
  author: string;
  color: CardColor;
  createdAt: number;
  votes?: number;
  /** How many of `votes` the facilitator cast for people without a device. */
  proxyVotes?: number;
  /** The facilitator entered the card for someone without a device. */
  proxy?: true;
  /** Competition rank ("1, 2, 2, 4") on a voted board without themes. */
  rank?: number;
  /** The room the card was written in (on the plenary too: its room tag). */
  room: NotesRoomRef;
  workshopTitle: string;
  isoDate: string;
  boardTitle: string;
  themeName?: string;
  actions: NotesActionEntry[];
}

/** A theme, merged across rooms by normalised name ("Transport" and "transport " are one). */
export interface NotesThemeEntry {
  key: string;
  name: string;
  votes?: number;
  /** Competition rank among the board's themes, when votes exist. */
  rank?: number;
  rooms: NotesRoomRef[];
  cards: NotesCardEntry[];
}

export interface NotesBoardSection {
  kind: string;
  title: string;
  /** Distinct prompts (a series may have reworded one). */
  prompts: string[];
  /** True when any card or theme on the board was voted on. */
  hasVotes: boolean;
  cardCount: number;
  themes: NotesThemeEntry[];
  /** Cards in no theme. */
  otherCards: NotesCardEntry[];
  /** Actions about the board as a whole (actions about a card sit on the card). */
  actions: NotesActionEntry[];
}

/** A decision or an action, labelled for the notes. */
export interface NotesActionEntry {
  kind: OutcomeKind;
  /** The workshop it was recorded in. */
  workshopId: string;
  text: string;
  owner?: string;
  /** `YYYY-MM-DD`, with `dueLabel` ("31 January 2027") to show. */
  dueDate?: string;
  dueLabel?: string;
  status?: ActionStatus;
  /** The room it is about; absent for the whole workshop (or the plenary). */
  room?: NotesRoomRef;
  /** Where it belongs, to show: the room's label, "Plenary", "Whole workshop" or, in a series, the workshop's title. */
  where: string;
  boardTitle?: string;
  /** The card the action answers, when recorded. */
  cardText?: string;
  themeName?: string;
  /** What it was about when recorded, when that card or theme is not in these notes. */
  subject?: string;
  /** The earlier workshop it was carried forward from, for review. */
  carriedFrom?: string;
  /** Series notes: the later workshops where it was reviewed (its status is the latest). */
  reviewedIn?: string[];
}

/** How the top priorities were chosen, so the notes can say so. */
export type NotesPriorityBasis = 'votes' | 'themes' | 'cards';

/**
 * Where a voted list of priorities came from: every workshop's plenary vote, some workshops'
 * plenary vote (the others' rooms), or the rooms alone.
 */
export type NotesPriorityOrigin = 'plenary' | 'mixed' | 'rooms';

export interface NotesTopPriorities {
  basis: NotesPriorityBasis;
  origin: NotesPriorityOrigin;
  boardTitle: string;
  items: NotesPriorityItem[];
}

export interface NotesPriorityItem {
  kind: 'theme' | 'card';
  text: string;
  votes?: number;
  cardCount: number;
  rooms: NotesRoomRef[];
}

export interface NotesCrossRoomSummary {
  roomCount: number;
  /** Themes raised in two or more rooms, most rooms first. */
  shared: NotesCrossRoomTheme[];
  /** Themes raised in one room only. */
  unique: NotesCrossRoomTheme[];
}

export interface NotesCrossRoomTheme {
  name: string;
  boardTitle: string;
  rooms: NotesRoomRef[];
  cardCount: number;
  votes?: number;
}

/** A workshop's plenary: the boards combined from every room, with the plenary's themes and votes. */
export interface NotesPlenarySection {
  workshopId: string;
  workshopTitle: string;
  /** "Plenary", or "Plenary (Workshop, 23 Nov 2026)" in a series. */
  label: string;
  isoDate: string;
  /** Each combined board; its cards carry the room they came from. */
  boards: NotesBoardSection[];
}

export interface NotesRoomSection {
  room: NotesRoomRef;
  workshopTitle: string;
  /** The room's own date where it met apart, else its workshop's. */
  isoDate: string;
  /** Set when the room met apart from the rest of its workshop. */
  meeting?: NotesRoomMeeting;
  participantCount: number;
  organisations: string[];
  boards: NotesBoardSection[];
}
