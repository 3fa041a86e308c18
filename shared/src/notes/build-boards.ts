import type { Board } from '../model/workshop.js';
import type { NotesActionInput, NotesCardInput, NotesThemeInput, RoomNotesInput, WorkshopNotesInput } from './model.js';
import { isIsoDate, longDate } from './notes-dates.js';
import type { NotesActionEntry, NotesBoardSection, NotesCardEntry, NotesRoomRef, NotesThemeEntry } from './document.js';

/** A room in scope, with what its cards need to be labelled. */
export interface ScopedRoom {
  workshop: WorkshopNotesInput;
  room: RoomNotesInput;
  ref: NotesRoomRef;
  isoDate: string;
  /** On the plenary: the rooms its cards came from, by room id, so each card keeps its room's tag. */
  sourceRooms?: Map<string, NotesRoomRef>;
}

/**
 * Boards that are "the same board" across the workshops of a series: matched by kind, and by
 * position among boards of that kind, so two boards of one kind in one workshop stay apart.
 */
export interface BoardGroup {
  key: string;
  kind: string;
  title: string;
  prompts: string[];
  /** workshopId -> that workshop's board in the group. */
  boards: Map<string, Board>;
}

/** Groups the boards of several workshops, in first-seen order. */
export function groupBoards(workshops: WorkshopNotesInput[]): BoardGroup[] {
  const groups = new Map<string, BoardGroup>();
  for (const workshop of workshops) {
    const seenKinds = new Map<string, number>();
    for (const board of workshop.boards) {
      const nth = seenKinds.get(board.kind) ?? 0;
      seenKinds.set(board.kind, nth + 1);
      const key = `${board.kind}#${nth}`;
      let group = groups.get(key);
      if (!group) {
        group = { key, kind: board.kind, title: board.title, prompts: [], boards: new Map() };
        groups.set(key, group);
      }
      group.boards.set(workshop.workshop.id, board);
      const prompt = board.prompt.trim();
      if (prompt && !group.prompts.includes(prompt)) group.prompts.push(prompt);
    }
  }
  return [...groups.values()];
}

/** Theme names compared loosely: case, accents' forms, punctuation and spacing do not matter. */
export function normaliseThemeName(name: string): string {
  return name
    .normalize('NFKC')
    .toLocaleLowerCase('en-GB')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** The display name for an author; blank names read "Anonymous". */
export function authorLabel(name: string): string {
  return name.trim() || 'Anonymous';
}

/** Which theme each card is in: the card's own `themeId` first, else the first theme listing it. */
function themeByCard(room: RoomNotesInput): Map<string, NotesThemeInput> {
  const themes = room.themes ?? [];
  const byId = new Map(themes.map((theme) => [theme.id, theme]));
  const result = new Map<string, NotesThemeInput>();
  for (const card of room.cards) {
    const own = card.themeId ? byId.get(card.themeId) : undefined;
    const listed = own ?? themes.find((theme) => theme.cardIds.includes(card.id));
    if (listed) result.set(card.id, listed);
  }
  return result;
}

/** A labelled decision or action, with what it is linked to on the boards. */
export interface LinkedAction {
  entry: NotesActionEntry;
  cardId?: string | undefined;
  boardId?: string | undefined;
}

/** Decisions and actions about a room (its own list, and the workshop's entries naming it), labelled; links resolve to the card's text or theme's name. */
export function roomActions(scoped: ScopedRoom): LinkedAction[] {
  const named = (scoped.workshop.actions ?? []).filter((action) => action.roomId === scoped.room.id);
  return [...named, ...(scoped.room.actions ?? [])].map((action) => linkedAction(action, scoped.workshop, scoped.room, scoped.ref));
}

/** The workshop's decisions and actions about none of its rooms: the whole workshop, or the plenary. */
export function workshopActions(workshop: WorkshopNotesInput, where: (roomId: string | undefined) => string): LinkedAction[] {
  return (workshop.actions ?? [])
    .filter((action) => action.roomId === undefined || !workshop.rooms.some((room) => room.id === action.roomId))
    .map((action) => linkedAction(action, workshop, undefined, undefined, where(action.roomId)));
}

function linkedAction(action: NotesActionInput, workshop: WorkshopNotesInput, room?: RoomNotesInput, ref?: NotesRoomRef, where = ref?.label ?? ''): LinkedAction {
  const card = action.cardId ? room?.cards.find((c) => c.id === action.cardId) : undefined;
  const theme = action.themeId ? room?.themes?.find((t) => t.id === action.themeId) : undefined;
  const boardId = card?.boardId ?? theme?.boardId ?? action.boardId;
  const board = boardId ? workshop.boards.find((b) => b.id === boardId) : undefined;
  const entry: NotesActionEntry = { kind: action.kind ?? 'action', workshopId: workshop.workshop.id, text: action.text, where };
  if (ref) entry.room = ref;
  if (action.owner?.trim()) entry.owner = action.owner.trim();
  if (action.dueDate && isIsoDate(action.dueDate)) {
    entry.dueDate = action.dueDate;
    entry.dueLabel = longDate(action.dueDate);
  }
  if (action.status) entry.status = action.status;
  if (board) entry.boardTitle = board.title;
  if (card) entry.cardText = card.text;
  if (theme) entry.themeName = theme.name;
  if (!card && !theme && action.subject?.trim()) entry.subject = action.subject.trim();
  if (action.carriedFrom) entry.carriedFrom = action.carriedFrom.workshopTitle;
  if (action.reviewedIn?.length) entry.reviewedIn = [...action.reviewedIn];
  return { entry, cardId: card?.id, boardId: board?.id };
}

/**
 * Oldest first; cards of the same millisecond by room (in the workshop's order), then by id
 * within the room, so a plenary reads the same whatever ids its rooms were given.
 */
function oldestFirst(scoped: ScopedRoom): (a: NotesCardInput, b: NotesCardInput) => number {
  const rooms = [...(scoped.sourceRooms?.keys() ?? [])];
  const roomOf = (card: NotesCardInput) => (card.sourceRoomId === undefined ? -1 : rooms.indexOf(card.sourceRoomId));
  const idInRoom = (card: NotesCardInput) =>
    card.sourceRoomId !== undefined && card.id.startsWith(`${card.sourceRoomId}-`) ? card.id.slice(card.sourceRoomId.length + 1) : card.id;
  return (a, b) => a.createdAt - b.createdAt || roomOf(a) - roomOf(b) || idInRoom(a).localeCompare(idInRoom(b));
}

const byVotesThen = (a: { votes?: number }, b: { votes?: number }) => (b.votes ?? 0) - (a.votes ?? 0);

/** Competition ranks ("1, 2, 2, 4") by votes over an already sorted list. */
function assignRanks(items: { votes?: number; rank?: number }[]): void {
  items.forEach((item, index) => {
    const previous = items[index - 1];
    item.rank = previous && (previous.votes ?? 0) === (item.votes ?? 0) ? previous.rank : index + 1;
  });
}

function sumDefined(values: (number | undefined)[]): number | undefined {
  const defined = values.filter((value): value is number => value !== undefined);
  return defined.length ? defined.reduce((sum, value) => sum + value, 0) : undefined;
}

/** One board's cards, themes and actions, combined across the given rooms and ranked. */
export function buildBoardSection(group: BoardGroup, rooms: ScopedRoom[]): NotesBoardSection {
  const themes = new Map<string, NotesThemeEntry & { order: number }>();
  const otherCards: NotesCardEntry[] = [];
  const actions: NotesActionEntry[] = [];
  let cardCount = 0;
  let hasVotes = false;

  for (const scoped of rooms) {
    const board = group.boards.get(scoped.workshop.workshop.id);
    if (!board) continue;
    const cardTheme = themeByCard(scoped.room);
    const linked = roomActions(scoped);
    const roomOf = (card: NotesCardInput) =>
      (card.sourceRoomId !== undefined ? scoped.sourceRooms?.get(card.sourceRoomId) : undefined) ?? scoped.ref;
    const entryOf = (card: NotesCardInput): NotesCardEntry => {
      const entry: NotesCardEntry = {
        id: card.id,
        text: card.text,
        author: authorLabel(card.authorName),
        color: card.color,
        createdAt: card.createdAt,
        room: roomOf(card),
        workshopTitle: scoped.workshop.workshop.title,
        isoDate: scoped.isoDate,
        boardTitle: board.title,
        actions: linked.filter((action) => action.cardId === card.id).map((action) => action.entry)
      };
      if (card.votes !== undefined) entry.votes = card.votes;
      if (card.proxyVotes) entry.proxyVotes = card.proxyVotes;
      if (card.proxy) entry.proxy = true;
      const theme = cardTheme.get(card.id);
      if (theme) entry.themeName = theme.name.trim();
      return entry;
    };

    const roomThemes = new Map<string, NotesCardEntry[]>();
    for (const theme of scoped.room.themes ?? []) if (theme.boardId === board.id) roomThemes.set(theme.id, []);
    const cards = scoped.room.cards.filter((card) => card.boardId === board.id).sort(oldestFirst(scoped));
    for (const card of cards) {
      cardCount++;
      if (card.votes !== undefined) hasVotes = true;
      const entry = entryOf(card);
      const theme = cardTheme.get(card.id);
      const members = theme ? roomThemes.get(theme.id) : undefined;
      if (members) members.push(entry);
      else otherCards.push(entry);
    }

    for (const theme of scoped.room.themes ?? []) {
      const members = roomThemes.get(theme.id);
      if (!members) continue;
      const votes = theme.votes ?? sumDefined(members.map((card) => card.votes));
      if (votes !== undefined) hasVotes = true;
      const key = normaliseThemeName(theme.name) || theme.id;
      let merged = themes.get(key);
      if (!merged) {
        merged = { key, name: theme.name.trim(), rooms: [], cards: [], order: themes.size };
        themes.set(key, merged);
      }
      // A plenary theme gathers cards of several rooms: it names each of them.
      for (const room of members.length ? members.map((card) => card.room) : [scoped.ref]) {
        if (!merged.rooms.includes(room)) merged.rooms.push(room);
      }
      merged.cards.push(...members);
      const total = sumDefined([merged.votes, votes]);
      if (total !== undefined) merged.votes = total;
    }

    for (const action of linked) {
      if (action.boardId === board.id && !action.cardId) actions.push(action.entry);
    }
  }

  const themeList = [...themes.values()];
  if (hasVotes) {
    themeList.sort((a, b) => byVotesThen(a, b) || b.cards.length - a.cards.length || a.order - b.order);
    for (const theme of themeList) theme.cards.sort(byVotesThen);
    otherCards.sort(byVotesThen);
    assignRanks(themeList);
    // Loose cards beside themes are leftovers: ranking them too would give two "Rank 1"s.
    if (themeList.length === 0) assignRanks(otherCards);
  } else {
    themeList.sort((a, b) => b.cards.length - a.cards.length || b.rooms.length - a.rooms.length || a.order - b.order);
  }

  return {
    kind: group.kind,
    title: group.title,
    prompts: group.prompts,
    hasVotes,
    cardCount,
    themes: themeList.map(({ order: _order, ...theme }) => theme),
    otherCards,
    actions
  };
}
