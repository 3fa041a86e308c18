/** When and where a room met, where rooms are held apart (e.g. on successive Thursdays). All optional. */
export interface RoomDetails {
  /** `YYYY-MM-DD`. */
  date?: string;
  venue?: string;
  /** Who hosted the room. */
  host?: string;
}

/** A room of a workshop, e.g. "North". */
export interface Room {
  id: string;
  name: string;
  /** Present only when the room met on its own date, at its own venue or with its own host. */
  details?: RoomDetails;
}

/** A board every room brainstorms on, e.g. Priorities. `kind` is a short machine name. */
export interface Board {
  id: string;
  kind: string;
  title: string;
  prompt: string;
}

/** Material shared on the day, e.g. a speaker's slides. Only http and https links. */
export interface WorkshopLink {
  title: string;
  url: string;
}

/** What a workshop's record says about the day itself. Only `date` is always there. */
export interface WorkshopDetails {
  /** The day it is held, `YYYY-MM-DD`. */
  date: string;
  /** `HH:MM`, 24-hour. */
  startTime?: string;
  endTime?: string;
  venue?: string;
  facilitators?: string[];
  /** The purpose, or the questions asked. */
  purpose?: string;
  /** Partner organisations taking part. */
  partners?: string[];
  links?: WorkshopLink[];
}

/**
 * How much of a person the workshop's kept outputs (cards, notes, CSV, JSON) show:
 * `named` their name, `organisation` their organisation and sector but no name, `anonymous` neither.
 */
export const ATTRIBUTION_LEVELS = ['named', 'organisation', 'anonymous'] as const;
export type AttributionLevel = (typeof ATTRIBUTION_LEVELS)[number];

/** The usual rule for partnership minutes. */
export const DEFAULT_ATTRIBUTION: AttributionLevel = 'organisation';

/** The attribution levels in the words the forms use. */
export const ATTRIBUTION_LABELS: Record<AttributionLevel, string> = {
  named: 'Named: people’s names on cards and in the notes',
  organisation: 'Organisation: organisation and sector shown, no names',
  anonymous: 'Anonymous: no names, organisations or sectors'
};

/** What anyone admitted to a workshop may see of it. */
export interface WorkshopView {
  id: string;
  title: string;
  createdAt: number;
  rooms: Room[];
  boards: Board[];
  details: WorkshopDetails;
  attribution: AttributionLevel;
}

/** What the facilitator sees in addition. */
export interface FacilitatorWorkshopView extends WorkshopView {
  joinCode: string;
}

/**
 * The roles a connection can hold: the facilitator runs the workshop, participants work in
 * their own room, and the projector (the big screen) only watches.
 */
export type Role = 'facilitator' | 'participant' | 'projector';
