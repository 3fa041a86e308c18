import { z } from 'zod';
import { LIMITS } from './limits.js';
import type { Role } from '../model/workshop.js';

/** What each client publishes in Yjs awareness under the `user` field ("who is here"). */
export interface PresenceUser {
  id: string;
  name: string;
  role: Role;
  color: string;
}

export const presenceUser = z.object({
  id: z.string().max(64),
  name: z.string().max(LIMITS.participantName),
  role: z.enum(['facilitator', 'participant', 'projector']),
  color: z.string().max(32)
});

/** Reads the user published by one awareness state, ignoring malformed states. */
export function readPresenceUser(state: unknown): PresenceUser | null {
  if (typeof state !== 'object' || state === null) return null;
  const parsed = presenceUser.safeParse((state as { user?: unknown }).user);
  return parsed.success ? parsed.data : null;
}
