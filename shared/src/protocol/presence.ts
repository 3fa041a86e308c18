import { z } from 'zod';
import { LIMITS } from './limits.js';
import type { Role } from '../model/workshop.js';
import { cardAuthorFields, sameAuthorName } from '../model/cards.js';

/** What each client publishes in Yjs awareness under the `user` field ("who is here"). */
export interface PresenceUser {
  id: string;
  name: string;
  role: Role;
  color: string;
}

/** Presence colours: dark enough for white initials (contrast ≥ 4.5:1). The server accepts no other. */
export const PRESENCE_COLOURS = ['#1d5c8f', '#8a3b12', '#2f6b2f', '#7a2d6b', '#5a4a00', '#0f6468', '#9b1c31', '#4b3f8f'] as const;

export const presenceUser = z.object({
  id: z.string().max(64),
  name: z.string().max(LIMITS.participantName),
  role: z.enum(['facilitator', 'participant', 'projector']),
  color: z.string().max(32)
});

/**
 * One connection's awareness state: who it is (`user`), checked field by field, beside whatever
 * else an editor shares (a cursor, "is typing"), which Goldthread never shows and the server
 * only bounds in size.
 */
export const presenceState = z.object({
  user: z.strictObject({
    id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
    name: z.string().max(LIMITS.participantName),
    role: z.enum(['facilitator', 'participant', 'projector']),
    color: z.enum(PRESENCE_COLOURS)
  }).optional()
});

/** Who a connection is, from its token. */
export interface PresenceIdentity {
  role: Role;
  participantId: string | null;
  name?: string | null;
}

/**
 * Whether an awareness state may be published by a connection with this identity: its `user`, if
 * any, must be exactly the connection's own role and name — a participant under their own id, the
 * facilitator under `facilitator…` — in a palette colour. The projector publishes nothing.
 */
export function isOwnPresence(state: unknown, identity: PresenceIdentity): boolean {
  const parsed = presenceState.safeParse(state);
  if (!parsed.success || identity.role === 'projector') return false;
  const { user } = parsed.data;
  if (user === undefined) return true;
  if (user.role !== identity.role) return false;
  if (identity.role === 'participant') {
    return user.id === identity.participantId && sameAuthorName(user.name, cardAuthorFields(identity).authorName);
  }
  return user.id.startsWith('facilitator') && user.name === cardAuthorFields(identity).authorName;
}

/** Reads the user published by one awareness state, ignoring malformed states. */
export function readPresenceUser(state: unknown): PresenceUser | null {
  if (typeof state !== 'object' || state === null) return null;
  const parsed = presenceUser.safeParse((state as { user?: unknown }).user);
  return parsed.success ? parsed.data : null;
}
