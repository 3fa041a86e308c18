import { DEFAULT_ATTRIBUTION, DEFAULT_ROOM_NAMES, LIMITS, type AttributionLevel } from '@goldthread/shared';
import { createWorkshop } from '$lib/api';
import { parseRoomNames } from '$lib/rooms';
import { saveFacilitatorKey } from '$lib/storage';
import { WorkshopDetailsDraft } from './workshop-details-draft.svelte';

export interface CreateFieldErrors {
  title?: string;
  rooms?: string;
}

/** Where the facilitator goes to run a workshop. */
export function facilitatePath(workshopId: string): string {
  return `/facilitate/${encodeURIComponent(workshopId)}`;
}

/** The home page's "Create a workshop" form. */
export class CreateWorkshopFlow {
  title = $state('');
  roomsText = $state(DEFAULT_ROOM_NAMES.join('\n'));
  /** Date (today unless changed) and the optional details under "More details". */
  readonly details = new WorkshopDetailsDraft();
  attribution = $state<AttributionLevel>(DEFAULT_ATTRIBUTION);
  busy = $state(false);
  error = $state<string | null>(null);
  fieldErrors = $state<CreateFieldErrors>({});

  /** Creates the workshop, keeps its facilitator key in this browser, and resolves to the facilitator page's path. */
  async submit(): Promise<string | null> {
    const errors: CreateFieldErrors = {};
    const title = this.title.trim();
    if (!title) errors.title = 'Enter a title for the workshop.';
    else if (title.length > LIMITS.workshopTitle) errors.title = `Keep the title to ${LIMITS.workshopTitle} characters or fewer.`;
    const rooms = parseRoomNames(this.roomsText);
    if (!rooms.ok) errors.rooms = rooms.message;
    this.fieldErrors = errors;
    const details = this.details.toRequest();
    if (!rooms.ok || errors.title || !details) return null;

    this.busy = true;
    this.error = null;
    try {
      const created = await createWorkshop({ title, rooms: rooms.names, ...details, attribution: this.attribution });
      if (!created.ok) {
        this.error = created.error.message;
        return null;
      }
      saveFacilitatorKey(created.data.id, created.data.facilitatorKey);
      return facilitatePath(created.data.id);
    } finally {
      this.busy = false;
    }
  }
}
