import { PRESENCE_COLOURS, newId, type PresenceUser } from '@goldthread/shared';

/** A stable colour for a person, so the same person keeps the same dot on every screen. */
export function presenceColourFor(id: string): string {
  let hash = 0;
  for (const char of id) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return PRESENCE_COLOURS[hash % PRESENCE_COLOURS.length]!;
}

/** A facilitator's presence: one id per page load, shared by every room it watches. */
export function facilitatorPresence(): PresenceUser {
  const id = `facilitator-${newId(8)}`;
  return { id, name: 'Facilitator', role: 'facilitator', color: presenceColourFor(id) };
}

/** People sorted for display: the facilitator first, then by name. */
export function sortPeople(people: PresenceUser[]): PresenceUser[] {
  return [...people].sort(
    (a, b) =>
      Number(b.role === 'facilitator') - Number(a.role === 'facilitator') ||
      a.name.localeCompare(b.name, 'en-GB', { sensitivity: 'base' })
  );
}

/** Initials for an avatar dot; the name is always shown beside it too. */
export function initialsOf(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const letters = parts.length > 1 ? parts[0][0] + parts[parts.length - 1][0] : (parts[0] ?? '?').slice(0, 2);
  return letters.toUpperCase();
}
