import type { FacilitatorWorkshopView, PresenceUser, Room } from '@goldthread/shared';
import { openFacilitatorSession } from '$lib/api';
import { facilitatorPresence } from '$lib/presence';
import { saveFacilitatorKey } from '$lib/storage';
import { RoomSync } from './room-sync.svelte';

export interface WatchedRoom {
  room: Room;
  sync: RoomSync;
}

/**
 * The facilitator's view of a whole workshop: trades the facilitator key for a session
 * token, then keeps every room's document live side by side.
 */
export class FacilitatorConsole {
  phase = $state<'opening' | 'ready' | 'failed'>('opening');
  error = $state<string | null>(null);
  workshop = $state.raw<FacilitatorWorkshopView | null>(null);
  rooms = $state.raw<WatchedRoom[]>([]);
  /** The key this console was opened with, for the "keep this safe" panel. */
  key = $state<string | null>(null);

  readonly #presence: PresenceUser = facilitatorPresence();
  #destroyed = false;

  async open(workshopId: string, key: string | null): Promise<void> {
    if (!key) {
      this.#failWith(
        'This browser does not have the facilitator key for this workshop. Open the facilitator link you saved when you created it.'
      );
      return;
    }
    this.phase = 'opening';
    this.error = null;
    const session = await openFacilitatorSession(workshopId, key);
    if (this.#destroyed) return;
    if (!session.ok) {
      this.#failWith(
        session.status === 401 || session.status === 403
          ? 'That facilitator key is not right for this workshop. Check you opened the link you saved when you created it.'
          : session.status === 404
            ? 'We could not find this workshop. Check the address, or open the facilitator link you saved.'
            : session.error.message
      );
      return;
    }
    saveFacilitatorKey(workshopId, key);
    this.key = key;
    this.workshop = session.data.workshop;
    this.rooms = session.data.workshop.rooms.map((room) => ({
      room,
      sync: new RoomSync({ workshopId, roomId: room.id, token: session.data.token, user: this.#presence })
    }));
    this.phase = 'ready';
  }

  destroy(): void {
    this.#destroyed = true;
    for (const { sync } of this.rooms) sync.destroy();
    this.rooms = [];
  }

  #failWith(message: string): void {
    this.phase = 'failed';
    this.error = message;
  }
}
