import {
  PHASE_LABELS,
  PLENARY_ROOM_ID,
  PROTOCOL_VERSION,
  commandSchemas,
  errorBody,
  readCard,
  cardsMap,
  readThemes,
  type Ack,
  type CommandName,
  type CommandReply,
  type ControlSnapshot,
  type SessionIdentity
} from '@goldthread/shared';
import type { z } from 'zod';
import { AppError } from '../errors.js';
import { parseBody } from '../workshops/workshop-service.js';
import type { ControlRegistry } from './control-registry.js';
import { resolveOutcomeLink } from './outcome-links.js';
import { combineIntoPlenary, compareThemes, revealPrivateCards, type PrivateCardCounter } from './board-content.js';
import type { WorkshopControl } from './workshop-control.js';
import type { RoomRegistry } from '../rooms/room-registry.js';
import type { Logger } from '../logger.js';
import type { WorkshopService } from '../workshops/workshop-service.js';
import type { SnapshotService } from '../workshops/snapshot-service.js';
import type { ControlServer, ControlSocket } from './control-server.js';

/** Socket.IO rooms a connection is placed in, by what it may hear. */
export const channels = {
  workshop: (workshopId: string) => `workshop:${workshopId}`,
  facilitators: (workshopId: string) => `facilitators:${workshopId}`,
  participant: (participantId: string) => `participant:${participantId}`
};

export interface CommandDeps {
  io: ControlServer;
  privateCards: PrivateCardCounter;
  snapshots: SnapshotService;
  workshops: WorkshopService;
  controls: ControlRegistry;
  rooms: RoomRegistry;
  logger: Logger;
}

type Payload<C extends CommandName> = z.output<(typeof commandSchemas)[C]>;
type Handler<C extends CommandName> = (payload: Payload<C>, who: SessionIdentity) => Promise<CommandReply<C>>;

const FACILITATOR_ONLY: ReadonlySet<CommandName> = new Set([
  'phase:set',
  'board:private',
  'board:reveal',
  'board:lock',
  'board:focus',
  'spotlight:set',
  'timer:set',
  'timer:start',
  'timer:pause',
  'timer:add',
  'vote:configure',
  'vote:results',
  'joining:set',
  'notes:share',
  'plenary:combine',
  'outcome:add',
  'outcome:update',
  'outcome:remove',
  'outcome:carry'
]);
// Votes are cast by participants, or by the facilitator on behalf of someone without a device.
const PARTICIPANT_ONLY: ReadonlySet<CommandName> = new Set(['participant:done']);
const VOTING: ReadonlySet<CommandName> = new Set(['vote:cast', 'vote:retract']);

/** Registers every control command on a connection. */
export function registerCommands(socket: ControlSocket, deps: CommandDeps): void {
  const { controls } = deps;
  const workshopId = socket.data.identity.workshopId;
  const on = <C extends CommandName>(name: C, handler: Handler<C>) => listen(socket, name, handler, deps.logger);
  const steer = (change: (control: WorkshopControl) => void) =>
    controls.run(workshopId, (control) => {
      change(control);
      return control.snapshot();
    });

  on('session:get', async (_payload, who) => ({ identity: who, workshop: deps.workshops.viewFor(who), protocol: PROTOCOL_VERSION }));
  on('control:get', async (_payload, who) => controlSnapshot(await controls.get(workshopId), who, deps.privateCards));
  on('phase:set', async ({ boardId, phase }) => {
    const before = (await controls.get(workshopId)).board(boardId).phase;
    const state = await steer((c) => c.setPhase(boardId, phase));
    if (before !== phase) {
      // The timeline gets an entry at each phase change; a failed snapshot does not undo the change.
      const label = `${deps.workshops.require(workshopId).boards.find((b) => b.id === boardId)?.title ?? 'Board'}: ${PHASE_LABELS[phase]}`;
      deps.snapshots.take(workshopId, phase === 'closed' ? 'end' : 'phase', label).catch((error) => deps.logger.error('phase snapshot failed', error));
    }
    return state;
  });
  on('board:private', ({ boardId, private: isPrivate }) => steer((c) => c.setPrivate(boardId, isPrivate)));
  on('board:reveal', async ({ boardId }) => {
    // Closed to new private cards first, then every private card moves into its room.
    const state = await steer((c) => c.reveal(boardId));
    await revealPrivateCards(deps.rooms, deps.workshops.require(workshopId), boardId);
    return state;
  });
  on('plenary:combine', async ({ boardId }) => {
    (await controls.get(workshopId)).board(boardId);
    const cards = await combineIntoPlenary(deps.rooms, deps.workshops.require(workshopId), boardId);
    await controls.run(workshopId, (c) => c.markCombined(boardId));
    return { boardId, cards };
  });
  on('themes:compare', async ({ boardId }) => {
    (await controls.get(workshopId)).board(boardId);
    return compareThemes(deps.rooms, deps.workshops.require(workshopId), boardId);
  });
  on('board:lock', ({ boardId, locked }) => steer((c) => c.setLocked(boardId, locked)));
  on('board:focus', ({ boardId }) => steer((c) => c.focus(boardId)));
  on('spotlight:set', async ({ spotlight }) => {
    if (spotlight) {
      const known = spotlight.roomId === PLENARY_ROOM_ID || deps.workshops.require(workshopId).rooms.some((room) => room.id === spotlight.roomId);
      if (!known) {
        throw new AppError('not_found', 'That room is not part of this workshop.');
      }
      // Every screen shows the spotlight, including rooms that cannot read the card's document.
      if (spotlight.kind === 'card') {
        const card = await requireCard(deps.rooms, workshopId, spotlight.roomId, null, spotlight.cardId);
        return steer((c) => c.spotlight({ ...spotlight, text: card.text }));
      }
      const theme = await deps.rooms.change(workshopId, spotlight.roomId, (room) => readThemes(room.doc).find((t) => t.id === spotlight.themeId));
      if (!theme) throw new AppError('not_found', 'That theme is not in this room.');
      return steer((c) => c.spotlight({ ...spotlight, name: theme.name }));
    }
    return steer((c) => c.spotlight(spotlight));
  });
  on('timer:set', ({ durationMs }) => steer((c) => c.setTimer(durationMs)));
  on('timer:start', () => steer((c) => c.startTimer()));
  on('timer:pause', () => steer((c) => c.pauseTimer()));
  on('timer:add', ({ ms }) => steer((c) => c.addToTimer(ms)));
  on('vote:configure', (rules) => steer((c) => c.configureVoting(rules)));
  on('joining:set', ({ open }) => steer((c) => c.setJoining(open)));
  on('notes:share', ({ shared }) => steer((c) => c.shareNotes(shared)));
  on('vote:results', async ({ boardId, shown }) => {
    const state = await steer((c) => c.showResults(boardId, shown));
    await publishResults(deps, workshopId, boardId);
    return state;
  });

  // Decisions and actions: saved with the control state, then the whole list goes to every screen.
  const recordOutcome = async <T>(change: (control: WorkshopControl) => T): Promise<T> => {
    const result = await controls.run(workshopId, change);
    const control = await controls.get(workshopId);
    deps.io.to(channels.workshop(workshopId)).emit('outcomes:list', { workshopId, outcomes: control.outcomes.list() });
    return result;
  };
  on('outcome:add', async ({ link, ...input }) => {
    const resolved = link ? await resolveOutcomeLink(deps.rooms, deps.workshops.require(workshopId), link) : null;
    return recordOutcome((c) => c.outcomes.add(input, resolved));
  });
  on('outcome:update', ({ id, ...patch }) => recordOutcome((c) => c.outcomes.update(id, patch)));
  on('outcome:remove', async ({ id }) => {
    await recordOutcome((c) => c.outcomes.remove(id));
    return { id };
  });
  on('outcome:carry', async ({ workshopId: earlierId, facilitatorKey }) => {
    if (earlierId === workshopId) throw new AppError('validation_failed', 'Name an earlier workshop, not this one.');
    const earlier = deps.workshops.require(earlierId);
    if (!deps.workshops.isFacilitatorOf(earlierId, facilitatorKey)) {
      throw new AppError('forbidden', 'That is not the facilitator key of the earlier workshop.');
    }
    const actions = (await controls.get(earlierId)).outcomes.list();
    const carried = await recordOutcome((c) => c.outcomes.carry({ workshopId: earlierId, workshopTitle: earlier.title }, actions));
    return { carried: carried.length, outcomes: (await controls.get(workshopId)).outcomes.list() };
  });

  const vote = (cast: boolean): Handler<'vote:cast'> => async ({ boardId, roomId, cardId, onBehalfOf }, who) => {
    let voterId = who.participantId!;
    let voterRoom = who.roomId;
    if (who.role === 'facilitator') {
      if (onBehalfOf === undefined) throw new AppError('forbidden', 'The facilitator votes only on behalf of someone without a device.');
      const proxy = await deps.workshops.requireProxy(workshopId, onBehalfOf);
      voterId = proxy.id;
      voterRoom = proxy.roomId;
    } else if (onBehalfOf !== undefined) {
      throw new AppError('forbidden', 'Only the facilitator votes on behalf of others.');
    }
    if (voterRoom !== roomId && roomId !== PLENARY_ROOM_ID) {
      throw new AppError('forbidden', 'Votes go only on cards in the voter’s own room or on the plenary board.');
    }
    await requireCard(deps.rooms, workshopId, roomId, boardId, cardId);
    const mine = await controls.run(workshopId, (c) =>
      cast ? c.castVote(boardId, voterId, roomId, cardId) : c.retractVote(boardId, voterId, roomId, cardId)
    );
    // Other tabs of the same participant update their "votes left" too.
    socket.to(channels.participant(voterId)).emit('votes:mine', mine);
    await publishResults(deps, workshopId, boardId);
    return mine;
  };
  on('vote:cast', vote(true));
  on('vote:retract', vote(false));

  on('participant:done', async ({ boardId, done }, who) => {
    await controls.run(workshopId, (c) => c.setDone(boardId, who.participantId!, who.roomId!, done));
    const control = await controls.get(workshopId);
    deps.io.to(channels.facilitators(workshopId)).emit('done:counts', control.doneCounts(boardId));
    return { boardId, done };
  });
}

/** The state, dots, results and private progress one identity may see. */
export function controlSnapshot(control: WorkshopControl, who: SessionIdentity, privateCards: PrivateCardCounter): ControlSnapshot {
  const state = control.snapshot();
  const boardIds = state.boards.map((b) => b.boardId);
  const privateBoards = state.boards.filter((b) => b.private && !b.revealed);
  return {
    state,
    privateCounts: who.role === 'facilitator' ? privateBoards.map((b) => privateCards.counts(state.workshopId, b.boardId)) : [],
    doneCounts: who.role === 'facilitator' ? boardIds.map((id) => control.doneCounts(id)) : [],
    myDone: who.role === 'participant' ? control.doneBoards(who.participantId!) : [],
    myVotes: who.role === 'participant' ? boardIds.map((id) => control.myVotes(id, who.participantId!)) : [],
    results: boardIds.filter((id) => who.role === 'facilitator' || control.resultsVisible(id)).map((id) => control.results(id)),
    outcomes: control.outcomes.list()
  };
}

/** Sends a board's results to the facilitators, and to everyone once they may see them. */
async function publishResults({ io, controls }: CommandDeps, workshopId: string, boardId: string) {
  const control = await controls.get(workshopId);
  const results = control.results(boardId);
  const audience = control.resultsVisible(boardId) ? channels.workshop(workshopId) : channels.facilitators(workshopId);
  io.to(audience).emit('votes:results', results);
}

/** Refuses a card that is not in that room (or, given a board, not on that board). */
async function requireCard(rooms: RoomRegistry, workshopId: string, roomId: string, boardId: string | null, cardId: string) {
  const card = await rooms.change(workshopId, roomId, (room) => readCard(cardId, cardsMap(room.doc).get(cardId)));
  if (!card || (boardId !== null && card.boardId !== boardId)) throw new AppError('not_found', 'That card is not on this board.');
  return card;
}

/**
 * Listens for one command: the payload is validated and the role checked before the
 * handler runs; the ack gets `{ data }` or `{ error }`. A client that sends only a callback
 * (no payload) is answered too.
 */
function listen<C extends CommandName>(socket: ControlSocket, name: C, handler: Handler<C>, logger: Logger) {
  socket.on(name as never, (async (...args: unknown[]) => {
    const last = args.at(-1);
    const ack = typeof last === 'function' ? (last as (reply: Ack<CommandReply<C>>) => void) : null;
    const raw = ack && args.length === 1 ? {} : args[0];
    try {
      const who = socket.data.identity;
      if (FACILITATOR_ONLY.has(name) && who.role !== 'facilitator') {
        throw new AppError('forbidden', 'Only the facilitator can do that.');
      }
      if (PARTICIPANT_ONLY.has(name) && who.role !== 'participant') {
        throw new AppError('forbidden', 'Only participants can do that.');
      }
      if (VOTING.has(name) && who.role === 'projector') throw new AppError('forbidden', 'The projector cannot vote.');
      // No payload at all (only a callback, or nothing) means `{}`; an explicit null is a bad payload.
      const payload = parseBody(commandSchemas[name], raw === undefined ? {} : raw) as Payload<C>;
      const data = await handler(payload, who);
      ack?.({ data });
    } catch (error) {
      if (error instanceof AppError) {
        ack?.(errorBody(error.code, error.message));
        return;
      }
      logger.error(`command ${name} failed`, error);
      ack?.(errorBody('internal', 'Something went wrong on the server. Please try again.'));
    }
  }) as never);
}
