import type { Ack } from './errors.js';
import type { FacilitatorWorkshopView, Role, WorkshopView } from '../model/workshop.js';

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

/** Commands a client sends; each is acknowledged with `{ data } | { error }`. */
export interface ClientToServerEvents {
  'session:get': (payload: Record<string, never>, ack: (reply: Ack<SessionInfo>) => void) => void;
}

/** Events the server publishes. */
export interface ServerToClientEvents {
  'rooms:counts': (counts: RoomCounts) => void;
  'server:restarting': (info: { message: string }) => void;
}

/** Handshake `auth` payload of the Socket.IO connection. */
export interface HandshakeAuth {
  token: string;
}
