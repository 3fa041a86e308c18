import { CLOSE_CODES } from '@goldthread/shared';
import { channels } from '../control/commands.js';
import type { ControlServer } from '../control/control-server.js';
import type { ControlRegistry } from '../control/control-registry.js';
import type { RoomRegistry } from '../rooms/room-registry.js';
import type { JournalStore } from '../store/journal.js';
import type { WorkshopStore } from '../store/types.js';
import type { YjsEndpoint } from '../sync/yjs-endpoint.js';
import type { Logger } from '../logger.js';

/** Why a workshop is deleted; each says so to whoever is still connected. */
export type DeletionReason = 'facilitator' | 'retention';

const MESSAGES: Record<DeletionReason, string> = {
  facilitator: 'The facilitator deleted this workshop; nothing of it is kept.',
  retention: 'This workshop’s retention period has ended, so it has been deleted.'
};

export interface WorkshopDeletionDeps {
  store: WorkshopStore;
  journals: JournalStore | null;
  rooms: RoomRegistry;
  controls: ControlRegistry;
  io: ControlServer;
  yjs: YjsEndpoint;
  logger: Logger;
}

/**
 * Deletes a workshop for good: everyone connected is told and disconnected, its live rooms are
 * thrown away unsaved, and every file of it goes (workshop file, snapshots, journals, damaged
 * journals kept aside, temp files). Its tokens stop working at once.
 */
export class WorkshopDeletion {
  readonly #deps: WorkshopDeletionDeps;

  constructor(deps: WorkshopDeletionDeps) {
    this.#deps = deps;
  }

  async delete(workshopId: string, reason: DeletionReason): Promise<void> {
    const { store, journals, rooms, controls, io, yjs, logger } = this.#deps;
    const message = MESSAGES[reason];
    io.to(channels.workshop(workshopId)).emit('workshop:deleted', { message });
    io.in(channels.workshop(workshopId)).disconnectSockets(true);
    yjs.closeWhere((admission) => admission.workshopId === workshopId, CLOSE_CODES.workshopDeleted, 'not_found', message);
    await rooms.discardWorkshop(workshopId);
    controls.forget(workshopId);
    await store.deleteWorkshop(workshopId);
    await journals?.deleteWorkshop(workshopId);
    logger.info(`workshop ${workshopId} deleted (${reason === 'facilitator' ? 'by its facilitator' : 'its retention period ended'})`);
  }
}
