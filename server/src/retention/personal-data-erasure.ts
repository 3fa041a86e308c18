import { CLOSE_CODES, readCards, type EraseCards, type EraseParticipantResponse } from '@goldthread/shared';
import * as Y from 'yjs';
import { AppError } from '../errors.js';
import { channels } from '../control/commands.js';
import type { ControlServer } from '../control/control-server.js';
import type { RoomRegistry } from '../rooms/room-registry.js';
import type { JournalStore } from '../store/journal.js';
import type { WorkshopSnapshot, WorkshopStore } from '../store/types.js';
import type { YjsEndpoint } from '../sync/yjs-endpoint.js';
import type { Logger } from '../logger.js';
import { ERASED_AUTHOR_NAME, scrubAuthor, scrubAuthorInUpdate } from './scrub-author.js';

const ERASED_MESSAGE = 'Your details were removed from this workshop at your request.';

export interface PersonalDataErasureDeps {
  store: WorkshopStore;
  journals: JournalStore | null;
  rooms: RoomRegistry;
  io: ControlServer;
  yjs: YjsEndpoint;
  logger: Logger;
}

/**
 * Removes one person's personal data from a workshop on request: their name and organisation
 * from the participants list, their name from every card in every live document (or their
 * cards altogether), from every timeline snapshot, and — by saving each changed room at once —
 * from the journals. Their token stops working and their connections close.
 */
export class PersonalDataErasure {
  readonly #deps: PersonalDataErasureDeps;

  constructor(deps: PersonalDataErasureDeps) {
    this.#deps = deps;
  }

  async erase(workshopId: string, participantId: string, mode: EraseCards): Promise<EraseParticipantResponse> {
    const { store, journals, rooms, io, yjs, logger } = this.#deps;
    const workshop = store.get(workshopId);
    if (!workshop) throw new AppError('not_found', 'No workshop has that id.');
    if (!(await store.participants(workshopId)).some((p) => p.id === participantId)) {
      throw new AppError('not_found', 'No one with that id took part in this workshop.');
    }
    // Their token is refused from here on, so they cannot write their name back in.
    const erased = new Set(workshop.erasedParticipants ?? []).add(participantId);
    await store.updateWorkshop({ ...workshop, erasedParticipants: [...erased] });
    io.to(channels.participant(participantId)).emit('participant:erased', { message: ERASED_MESSAGE });
    io.in(channels.participant(participantId)).disconnectSockets(true);
    yjs.closeWhere(
      ({ workshopId: id, claims }) => id === workshopId && claims.participantId === participantId,
      CLOSE_CODES.unauthorized,
      'unauthorized',
      ERASED_MESSAGE
    );
    await store.eraseParticipant(workshopId, participantId);

    let cardsChanged = 0;
    for (const key of await rooms.documentKeys(workshopId)) {
      const changed = await rooms.change(workshopId, key, (room) => scrubAuthor(room.doc, participantId, mode), { revertible: false });
      // Saved now: the snapshot holds the scrubbed state and the journal records holding the name are dropped.
      if (changed > 0) await rooms.saveNow(workshopId, key);
      cardsChanged += changed;
    }
    const snapshotsRewritten = await store.rewriteSnapshots(workshopId, (snapshot) => scrubSnapshot(snapshot, participantId, mode));
    const keptAside = (await journals?.deleteKeptAside(workshopId)) ?? 0;
    logger.info(
      `erased the personal data of participant ${participantId} of workshop ${workshopId}: ${cardsChanged} card(s) ${mode === 'delete' ? 'deleted' : 'made anonymous'}, ${snapshotsRewritten} snapshot(s) rewritten` +
        (keptAside > 0 ? `, ${keptAside} damaged journal file(s) removed` : '')
    );
    return { participantId, cards: mode, cardsChanged, snapshotsRewritten };
  }
}

/** A snapshot with one person scrubbed from every room's encoded state and readable cards, or null if they are not in it. */
function scrubSnapshot(snapshot: WorkshopSnapshot, participantId: string, mode: EraseCards): WorkshopSnapshot | null {
  let changed = false;
  const rooms: WorkshopSnapshot['rooms'] = {};
  for (const [roomId, room] of Object.entries(snapshot.rooms)) {
    const update = scrubAuthorInUpdate(room.update, participantId, mode);
    const listed = room.cards.some((card) => card.authorId === participantId);
    if (!update && !listed) {
      rooms[roomId] = room;
      continue;
    }
    changed = true;
    const listedCards =
      mode === 'delete'
        ? room.cards.filter((card) => card.authorId !== participantId)
        : room.cards.map((card) => (card.authorId === participantId ? { ...card, authorName: ERASED_AUTHOR_NAME } : card));
    rooms[roomId] = { update: update ?? room.update, cards: update ? cardsOf(update) : listedCards };
  }
  return changed ? { ...snapshot, rooms } : null;
}

function cardsOf(update: Uint8Array) {
  const doc = new Y.Doc();
  try {
    Y.applyUpdate(doc, update);
    return readCards(doc);
  } finally {
    doc.destroy();
  }
}
