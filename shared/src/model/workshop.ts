/** A room of a workshop, e.g. "North". */
export interface Room {
  id: string;
  name: string;
}

/** A board every room brainstorms on, e.g. Priorities. `kind` is a short machine name. */
export interface Board {
  id: string;
  kind: string;
  title: string;
  prompt: string;
}

/** What anyone admitted to a workshop may see of it. */
export interface WorkshopView {
  id: string;
  title: string;
  createdAt: number;
  rooms: Room[];
  boards: Board[];
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
