/**
 * What the facilitator console remembers in this browser besides the key itself (`storage.ts`):
 * the other workshops run from here, and the people without a device added to a workshop
 * (the server keeps them too, but offers no list of them). Storage may be blocked, so each
 * access fails quietly and the console carries on with what it has.
 */

const FACILITATOR_PREFIX = 'goldthread:facilitator:';
const proxiesKey = (workshopId: string) => `goldthread:proxies:${workshopId}`;

/** A workshop whose facilitator key this browser holds. */
export interface StoredFacilitatorKey {
  workshopId: string;
  key: string;
}

/** Someone without a device, as the console remembers them. */
export interface RememberedProxy {
  participantId: string;
  name: string;
  roomId: string;
  sector?: string;
}

function storage(): Storage | null {
  try {
    return typeof window === 'undefined' ? null : window.localStorage;
  } catch {
    return null;
  }
}

/** Every workshop this browser holds a facilitator key for. */
export function storedFacilitatorKeys(): StoredFacilitatorKey[] {
  const store = storage();
  if (!store) return [];
  const found: StoredFacilitatorKey[] = [];
  try {
    for (let i = 0; i < store.length; i++) {
      const name = store.key(i);
      if (!name?.startsWith(FACILITATOR_PREFIX)) continue;
      const key = store.getItem(name);
      const workshopId = name.slice(FACILITATOR_PREFIX.length);
      if (key && workshopId) found.push({ workshopId, key });
    }
  } catch {
    // Storage became unreadable part-way: what was read is still right.
  }
  return found;
}

const isRememberedProxy = (value: unknown): value is RememberedProxy => {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.participantId === 'string' &&
    typeof v.name === 'string' &&
    typeof v.roomId === 'string' &&
    (v.sector === undefined || typeof v.sector === 'string')
  );
};

export function loadProxies(workshopId: string): RememberedProxy[] {
  try {
    const parsed: unknown = JSON.parse(storage()?.getItem(proxiesKey(workshopId)) ?? '[]');
    return Array.isArray(parsed) ? parsed.filter(isRememberedProxy) : [];
  } catch {
    return [];
  }
}

export function saveProxies(workshopId: string, proxies: RememberedProxy[]): void {
  try {
    storage()?.setItem(proxiesKey(workshopId), JSON.stringify(proxies));
  } catch {
    // Blocked or full: the list lives on in this page, and proxies' cards still name them.
  }
}
