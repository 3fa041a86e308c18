import type { Ack } from './errors.js';
import type { FacilitatorWorkshopView, Role, WorkshopView } from '../model/workshop.js';
import type {
  CommandName,
  CommandPayload,
  ControlState,
  DoneCounts,
  MyVotes,
  PrivateCounts,
  ThemeComparison,
  VoteResults
} from './control.js';
import type { Outcome, OutcomeList } from './outcomes.js';

/** Who a Socket.IO connection is, as decided by the server from its handshake token. */
export interface SessionIdentity {
  role: Role;
  workshopId: string;
  /** The participant's room; absent for the facilitator, who sees every room. */
  roomId?: string;
  participantId?: string;
  name?: string;
}

export interface SessionInfo {
  identity: SessionIdentity;
  workshop: WorkshopView | FacilitatorWorkshopView;
  protocol: number;
}

/** Live head-count of each room, from the Yjs connections the server holds. */
export interface RoomCounts {
  workshopId: string;
  counts: Record<string, number>;
}

/** Everything a screen needs on (re)connecting: control state, plus the caller's dots and visible results. */
export interface ControlSnapshot {
  state: ControlState;
  /** The participant's dots on each board (empty for other roles). */
  myVotes: MyVotes[];
  /** Results the caller may see: all for the facilitator, shown boards for others. */
  results: VoteResults[];
  /** Private brainstorm progress per room of each private board (facilitator only). */
  privateCounts: PrivateCounts[];
  /** "I'm done" counts per board (facilitator only). */
  doneCounts: DoneCounts[];
  /** Boards on which the caller said "I'm done" (participants). */
  myDone: string[];
  /** The workshop's decisions and actions (every role sees them). */
  outcomes: Outcome[];
}

/** Sent to a participant whose change to a board was refused and reverted. */
export interface ChangeRefused {
  /** The document's room id (`plenary` for the plenary board). */
  roomId: string;
  code: string;
  message: string;
}

/** What each command answers with on success. */
export interface CommandReplies {
  'session:get': SessionInfo;
  'control:get': ControlSnapshot;
  'vote:cast': MyVotes;
  'vote:retract': MyVotes;
  'participant:done': { boardId: string; done: boolean };
  'plenary:combine': { boardId: string; cards: number };
  'themes:compare': ThemeComparison;
  'outcome:add': Outcome;
  'outcome:update': Outcome;
  'outcome:remove': { id: string };
  'outcome:carry': { carried: number; outcomes: Outcome[] };
}

export type CommandReply<C extends CommandName> = C extends keyof CommandReplies ? CommandReplies[C] : ControlState;

type CommandEvents = {
  [C in CommandName]: (payload: CommandPayload<C>, ack: (reply: Ack<CommandReply<C>>) => void) => void;
};

/** Commands a client sends; each is acknowledged with `{ data } | { error }`. */
export type ClientToServerEvents = CommandEvents;

/** Events the server publishes. */
export interface ServerToClientEvents {
  /** The new control state after any change (also sent when the timer runs out). */
  'control:state': (state: ControlState) => void;
  /** The participant's own dots after a change. */
  'votes:mine': (votes: MyVotes) => void;
  /** Running results: to the facilitator always, to others once shown. */
  'votes:results': (results: VoteResults) => void;
  /** "I'm done" counts, to the facilitator. */
  'done:counts': (counts: DoneCounts) => void;
  /** Private brainstorm progress per room, to the facilitator. */
  'private:counts': (counts: PrivateCounts) => void;
  /** To a participant: their last change to a board was refused (and reverted), and why. */
  'change:refused': (refusal: ChangeRefused) => void;
  'rooms:counts': (counts: RoomCounts) => void;
  /** Every decision and action of the workshop, after any of them changed. */
  'outcomes:list': (list: OutcomeList) => void;
  'server:restarting': (info: { message: string }) => void;
  /** The workshop was deleted (by the facilitator, or when its retention period ended); the connection closes next. */
  'workshop:deleted': (info: { message: string }) => void;
  /** To a participant whose personal data was erased on request: their session ends. */
  'participant:erased': (info: { message: string }) => void;
}

/** Handshake `auth` payload of the Socket.IO connection. */
export interface HandshakeAuth {
  token: string;
}
