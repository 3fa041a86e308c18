import { PrivateCardCounter } from './board-content.js';
import { channels } from './commands.js';
import { Throttle } from '../concurrency/throttle.js';
import type { ControlRegistry } from './control-registry.js';
import type { ControlServer } from './control-server.js';
import type { Room, RoomPeer } from '../rooms/room.js';
import type { Refusal } from '../rooms/write-rules.js';
import type { Logger } from '../logger.js';

/**
 * What the boards tell people over the control channel: why a participant's change was
 * refused, and (to facilitators) how private brainstorms are going, at most four times a second.
 */
export class RoomSignals {
  readonly privateCards = new PrivateCardCounter();
  readonly #io: () => ControlServer | undefined;
  readonly #progress: Throttle;

  constructor(deps: { io: () => ControlServer | undefined; controls: () => ControlRegistry; logger: Logger }) {
    this.#io = deps.io;
    this.#progress = new Throttle(
      250,
      async (workshopId) => {
        const control = await deps.controls().get(workshopId);
        for (const board of control.snapshot().boards) {
          if (!board.private || board.revealed) continue;
          this.#io()?.to(channels.facilitators(workshopId)).emit('private:counts', this.privateCards.counts(workshopId, board.boardId));
        }
      },
      (error) => deps.logger.error('publishing private brainstorm counts failed', error)
    );
  }

  /** Tells a participant why their change to a board was reverted. */
  refused(room: Room, peer: RoomPeer, refusal: Refusal): void {
    if (peer.participantId === null) return;
    const roomId = room.roomId.split('/')[0]!;
    this.#io()?.to(channels.participant(peer.participantId)).emit('change:refused', { roomId, code: refusal.code, message: refusal.message });
  }

  /** Counts a private document's cards after a change. */
  documentChanged(room: Room): void {
    if (room.kind.kind !== 'private') return;
    this.privateCards.update(room);
    this.#progress.schedule(room.workshopId);
  }

  close(): void {
    this.#progress.cancel();
  }
}
