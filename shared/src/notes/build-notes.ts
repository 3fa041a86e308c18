import type { NotesParticipant, NotesScope, NotesWorkshopMeta, RoomNotesInput, WorkshopNotesInput } from './model.js';
import type {
  NotesAttendance,
  NotesBoardSection,
  NotesCount,
  NotesCrossRoomSummary,
  NotesDocument,
  NotesPlenarySection,
  NotesPriorityItem,
  NotesPriorityOrigin,
  NotesRoomMeeting,
  NotesRoomRef,
  NotesRoomSection,
  NotesWorkshopSummary,
  NotesTopPriorities
} from './document.js';
import { PLENARY_ROOM_ID } from '../protocol/docs.js';
import { buildBoardSection, groupBoards, roomActions, workshopActions, type BoardGroup, type ScopedRoom } from './build-boards.js';
import { settleCarriedActions } from './outcomes-input.js';
import { dateRangeLabel, isIsoDate, longDate, shortDate, workshopIsoDate } from './notes-dates.js';

export interface BuildNotesOptions {
  /** How many top priorities to list; the default board asks for three. */
  topPriorityCount?: number;
}

/** The board kind whose cards and themes become the notes' top priorities. */
export const PRIORITIES_BOARD_KIND = 'priorities';

/**
 * Builds render-ready notes for one room, one workshop, or a series of workshops.
 * Throws when the scope names a room or workshop the input does not hold.
 */
export function buildNotes(
  inputs: WorkshopNotesInput[],
  scope: NotesScope,
  options: BuildNotesOptions = {}
): NotesDocument {
  const source = inputsInScope(inputs, scope);
  const series = scope.kind === 'series';
  // In a series an action carried forward is listed once, where it was agreed, with its latest status.
  const settled = series ? settleCarriedActions(source) : source;
  const rooms: ScopedRoom[] = settled.flatMap((workshop) => {
    const isoDate = workshopIsoDate(workshop.workshop);
    return workshop.rooms.map((room) => ({
      workshop,
      room,
      isoDate: roomIsoDate(room, isoDate),
      ref: {
        workshopId: workshop.workshop.id,
        roomId: room.id,
        name: room.name,
        label: series ? `${room.name} (${workshop.workshop.title}, ${shortDate(isoDate)})` : room.name
      }
    }));
  });

  const groups = groupBoards(settled);
  const boards = groups.map((group) => buildBoardSection(group, rooms));
  const plenaries = source.flatMap((workshop) => plenaryOf(workshop, rooms, series));
  const isoDates = source.map((workshop) => workshopIsoDate(workshop.workshop));
  const first = source[0].workshop;
  const facilitators = source.map((workshop) => facilitatorsOf(workshop.workshop));

  return {
    scope,
    title: series ? scope.title?.trim() || 'Combined workshop notes' : first.title,
    subtitle: subtitleFor(scope, source, rooms),
    dateLabel: dateRangeLabel([...isoDates, ...rooms.map((scoped) => scoped.isoDate)]),
    isoDate: isoDates[0],
    facilitators: [...new Set(facilitators.flat())],
    workshops: source.map((workshop, index) =>
      workshopSummary(workshop.workshop, isoDates[index], facilitators[index], rooms.filter((scoped) => scoped.workshop === workshop))
    ),
    attendance: attendanceOf(rooms),
    topPriorities: topPriorities(groups, rooms, plenaries, options.topPriorityCount ?? 3),
    boards,
    plenaries: plenaries.map((plenary) => plenary.section),
    crossRoom: rooms.length > 1 ? crossRoomSummary(boards, rooms.length) : null,
    ...outcomesOf(settled, rooms, series),
    rooms: rooms.map((scoped): NotesRoomSection => {
      const participants = participantsOf(scoped);
      const meeting = roomMeeting(scoped);
      return {
        room: scoped.ref,
        workshopTitle: scoped.workshop.workshop.title,
        isoDate: scoped.isoDate,
        ...(meeting && { meeting }),
        participantCount: participants.length,
        organisations: tally(participants.map((p) => p.organisation)).map((count) => count.name),
        boards: groups
          .filter((group) => group.boards.has(scoped.ref.workshopId))
          .map((group) => buildBoardSection(group, [scoped]))
      };
    }),
    source
  };
}

/** A room's own date when it met apart, else its workshop's. */
function roomIsoDate(room: RoomNotesInput, workshopDate: string): string {
  const own = room.details?.date;
  return own && isIsoDate(own) ? own : workshopDate;
}

/** The facilitators a workshop names, its older single `facilitatorName` first; no blanks, no repeats. */
function facilitatorsOf(meta: NotesWorkshopMeta): string[] {
  const names = [meta.facilitatorName, ...(meta.facilitators ?? [])].map((name) => name?.trim() ?? '').filter(Boolean);
  return [...new Set(names)];
}

/** "10:00 to 12:30", "From 10:00", "Until 12:30". */
function timeLabel(meta: NotesWorkshopMeta): string | undefined {
  if (meta.startTime && meta.endTime) return `${meta.startTime} to ${meta.endTime}`;
  if (meta.startTime) return `From ${meta.startTime}`;
  if (meta.endTime) return `Until ${meta.endTime}`;
  return undefined;
}

/** Where and when a room met, when any of it differs from its workshop. */
function roomMeeting(scoped: ScopedRoom): NotesRoomMeeting | undefined {
  const details = scoped.room.details;
  const venue = details?.venue?.trim();
  const host = details?.host?.trim();
  const ownDate = details?.date !== undefined && isIsoDate(details.date);
  if (!ownDate && !venue && !host) return undefined;
  return {
    room: scoped.ref,
    isoDate: scoped.isoDate,
    dateLabel: longDate(scoped.isoDate),
    ...(venue && { venue }),
    ...(host && { host })
  };
}

function workshopSummary(meta: NotesWorkshopMeta, isoDate: string, facilitators: string[], rooms: ScopedRoom[]): NotesWorkshopSummary {
  const time = timeLabel(meta);
  const venue = meta.venue?.trim();
  const purpose = meta.purpose?.trim();
  const refs: NotesRoomRef[] = rooms.map((scoped) => scoped.ref);
  return {
    id: meta.id,
    title: meta.title,
    isoDate,
    dateLabel: longDate(isoDate),
    ...(time && { timeLabel: time }),
    ...(venue && { venue }),
    ...(facilitators[0] !== undefined && { facilitatorName: facilitators[0] }),
    facilitators,
    ...(purpose && { purpose }),
    partners: (meta.partners ?? []).map((name) => name.trim()).filter(Boolean),
    links: (meta.links ?? []).map((link) => ({ title: link.title, url: link.url })),
    ...(meta.attribution && { attribution: meta.attribution }),
    rooms: refs,
    roomsApart: rooms.map(roomMeeting).filter((meeting): meeting is NotesRoomMeeting => meeting !== undefined)
  };
}

/** Decisions and actions: the whole workshop's (and the plenary's) first, then room by room. */
function outcomesOf(workshops: WorkshopNotesInput[], rooms: ScopedRoom[], series: boolean): Pick<NotesDocument, 'actions' | 'decisions'> {
  const entries = [
    ...workshops.flatMap((workshop) => {
      const suffix = series ? ` (${workshop.workshop.title})` : '';
      const where = (roomId: string | undefined) => (roomId === PLENARY_ROOM_ID ? `Plenary${suffix}` : series ? workshop.workshop.title : 'Whole workshop');
      return workshopActions(workshop, where);
    }),
    ...rooms.flatMap(roomActions)
  ].map((action) => action.entry);
  return { actions: entries.filter((e) => e.kind === 'action'), decisions: entries.filter((e) => e.kind === 'decision') };
}

/** The part of the input the scope covers; a series is ordered by date. */
function inputsInScope(inputs: WorkshopNotesInput[], scope: NotesScope): WorkshopNotesInput[] {
  if (inputs.length === 0) throw new Error('Notes need at least one workshop');
  if (scope.kind === 'series') {
    return [...inputs].sort(
      (a, b) =>
        workshopIsoDate(a.workshop).localeCompare(workshopIsoDate(b.workshop)) ||
        a.workshop.createdAt - b.workshop.createdAt
    );
  }
  if (scope.kind === 'workshop') {
    if (scope.workshopId === undefined) {
      if (inputs.length > 1) throw new Error('Workshop notes need one workshop, or a workshopId to pick one');
      return inputs;
    }
    const workshop = inputs.find((input) => input.workshop.id === scope.workshopId);
    if (!workshop) throw new Error(`No workshop ${scope.workshopId} in the notes input`);
    return [workshop];
  }
  const workshop = inputs.find(
    (input) =>
      (scope.workshopId === undefined || input.workshop.id === scope.workshopId) &&
      input.rooms.some((room) => room.id === scope.roomId)
  );
  if (!workshop) throw new Error(`No room ${scope.roomId} in the notes input`);
  // A room's notes hold that room alone; the plenary and the timeline gather every room, so they stay out.
  const { plenary: _plenary, snapshots: _snapshots, ...rest } = workshop;
  const scoped: WorkshopNotesInput = { ...rest, rooms: workshop.rooms.filter((room) => room.id === scope.roomId) };
  // The room's decisions and actions and the whole workshop's; not other rooms'.
  if (workshop.actions) {
    const otherRoom = (roomId?: string) => roomId !== undefined && roomId !== scope.roomId && workshop.rooms.some((room) => room.id === roomId);
    scoped.actions = workshop.actions.filter((action) => !otherRoom(action.roomId));
  }
  if (workshop.participants) scoped.participants = workshop.participants.filter((p) => p.roomId === scope.roomId);
  return [scoped];
}

function subtitleFor(scope: NotesScope, source: WorkshopNotesInput[], rooms: ScopedRoom[]): string {
  if (scope.kind === 'series') return `Combined notes from ${source.length} workshop${source.length === 1 ? '' : 's'}`;
  if (rooms.length === 1) return `Room: ${rooms[0].ref.name}`;
  return `Combined notes from ${rooms.length} rooms`;
}

function participantsOf(scoped: ScopedRoom): NotesParticipant[] {
  return (scoped.workshop.participants ?? []).filter((p) => p.roomId === scoped.room.id);
}

/** Counts values, merging spellings that differ only in case or spacing; blanks are left out. */
function tally(values: (string | undefined)[]): NotesCount[] {
  const counts = new Map<string, NotesCount>();
  for (const value of values) {
    const name = value?.trim().replace(/\s+/g, ' ');
    if (!name) continue;
    const key = name.toLocaleLowerCase('en-GB');
    const count = counts.get(key) ?? { name, count: 0 };
    count.count++;
    counts.set(key, count);
  }
  return [...counts.values()].sort((a, b) => b.count - a.count || a.name.localeCompare(b.name, 'en-GB'));
}

/** Attendance by room, and by sector and organisation where any was recorded. */
function attendanceOf(rooms: ScopedRoom[]): NotesAttendance {
  const people = rooms.flatMap(participantsOf);
  const withNotRecorded = (field: 'sector' | 'organisation'): NotesCount[] => {
    const counts = tally(people.map((p) => p[field]));
    const missing = people.filter((p) => !p[field]?.trim()).length;
    return counts.length && missing ? [...counts, { name: 'Not recorded', count: missing }] : counts;
  };
  return {
    total: people.length,
    byRoom: rooms.map((scoped) => ({ room: scoped.ref, count: participantsOf(scoped).length })),
    bySector: withNotRecorded('sector'),
    byOrganisation: withNotRecorded('organisation')
  };
}

/** A workshop's plenary, as a room whose cards keep their rooms' tags, with its section of the notes. */
interface ScopedPlenary {
  workshop: WorkshopNotesInput;
  scoped: ScopedRoom;
  section: NotesPlenarySection;
}

function plenaryOf(workshop: WorkshopNotesInput, rooms: ScopedRoom[], series: boolean): ScopedPlenary[] {
  const plenary = workshop.plenary;
  if (!plenary || plenary.boardIds.length === 0) return [];
  const own = rooms.filter((scoped) => scoped.workshop === workshop);
  const isoDate = workshopIsoDate(workshop.workshop);
  const label = series ? `Plenary (${workshop.workshop.title}, ${shortDate(isoDate)})` : 'Plenary';
  const scoped: ScopedRoom = {
    workshop,
    room: { id: PLENARY_ROOM_ID, name: 'Plenary', cards: plenary.cards, ...(plenary.themes && { themes: plenary.themes }) },
    isoDate,
    ref: { workshopId: workshop.workshop.id, roomId: PLENARY_ROOM_ID, name: 'Plenary', label },
    sourceRooms: new Map(own.map((room) => [room.room.id, room.ref]))
  };
  const combined = new Set(plenary.boardIds);
  const boards = groupBoards([workshop])
    .filter((group) => combined.has(group.boards.get(workshop.workshop.id)!.id))
    .map((group) => buildBoardSection(group, [scoped]));
  return [{ workshop, scoped, section: { workshopId: workshop.workshop.id, workshopTitle: workshop.workshop.title, label, isoDate, boards } }];
}

/**
 * The highest-voted themes and loose cards of the Priorities board; without votes, the themes
 * with most cards; without themes either, the first cards, taken from each room in turn.
 * A workshop whose plenary voted on the board counts that vote: it is the decision of the whole
 * workshop, and its cards are the rooms' cards combined, so the rooms' own votes stand aside.
 */
function topPriorities(
  groups: BoardGroup[],
  rooms: ScopedRoom[],
  plenaries: ScopedPlenary[],
  count: number
): NotesTopPriorities | null {
  const group = groups.find((candidate) => candidate.kind === PRIORITIES_BOARD_KIND);
  if (!group) return null;
  const workshops = [...new Set(rooms.map((scoped) => scoped.workshop))];
  const votedPlenaries = new Set<WorkshopNotesInput>();
  for (const plenary of plenaries) {
    const board = group.boards.get(plenary.workshop.workshop.id);
    if (board && plenary.scoped.room.cards.some((card) => card.boardId === board.id && card.votes !== undefined)) {
      votedPlenaries.add(plenary.workshop);
    }
  }
  const basisRooms = workshops.flatMap((workshop) =>
    votedPlenaries.has(workshop)
      ? [plenaries.find((plenary) => plenary.workshop === workshop)!.scoped]
      : rooms.filter((scoped) => scoped.workshop === workshop)
  );
  const board = buildBoardSection(group, basisRooms);
  const origin: NotesPriorityOrigin =
    votedPlenaries.size === 0 ? 'rooms' : votedPlenaries.size === workshops.length ? 'plenary' : 'mixed';
  const themes: NotesPriorityItem[] = board.themes.map((theme) => ({
    kind: 'theme',
    text: theme.name,
    ...(theme.votes !== undefined ? { votes: theme.votes } : {}),
    cardCount: theme.cards.length,
    rooms: theme.rooms
  }));
  const cards: NotesPriorityItem[] = board.otherCards.map((card) => ({
    kind: 'card',
    text: card.text,
    ...(card.votes !== undefined ? { votes: card.votes } : {}),
    cardCount: 1,
    rooms: [card.room]
  }));
  const base = { boardTitle: board.title };

  const voted = [...themes, ...cards].filter((item) => (item.votes ?? 0) > 0);
  if (voted.length) {
    voted.sort((a, b) => (b.votes ?? 0) - (a.votes ?? 0) || b.cardCount - a.cardCount);
    return { ...base, basis: 'votes', origin, items: voted.slice(0, count) };
  }
  const themed = themes.filter((theme) => theme.cardCount > 0);
  if (themed.length) return { ...base, basis: 'themes', origin: 'rooms', items: themed.slice(0, count) };

  const queues = new Map<string, NotesPriorityItem[]>();
  for (const card of cards) {
    const key = `${card.rooms[0].workshopId}/${card.rooms[0].roomId}`;
    queues.set(key, [...(queues.get(key) ?? []), card]);
  }
  const items: NotesPriorityItem[] = [];
  for (let round = 0; items.length < count && items.length < cards.length; round++) {
    for (const queue of queues.values()) if (queue[round] && items.length < count) items.push(queue[round]);
  }
  return { ...base, basis: 'cards', origin: 'rooms', items };
}

/** Themes raised in several rooms versus in one, across every board. */
function crossRoomSummary(boards: NotesBoardSection[], roomCount: number): NotesCrossRoomSummary {
  const all = boards.flatMap((board) =>
    board.themes.map((theme) => ({
      name: theme.name,
      boardTitle: board.title,
      rooms: theme.rooms,
      cardCount: theme.cards.length,
      ...(theme.votes !== undefined ? { votes: theme.votes } : {})
    }))
  );
  const shared = all
    .filter((theme) => theme.rooms.length > 1)
    .sort((a, b) => b.rooms.length - a.rooms.length || (b.votes ?? 0) - (a.votes ?? 0) || b.cardCount - a.cardCount);
  return { roomCount, shared, unique: all.filter((theme) => theme.rooms.length === 1) };
}
