import * as Y from 'yjs';
import {
  newId,
  putCard,
  putTheme,
  readCards,
  type CardView,
  type CreateWorkshopResponse,
  type NotesCardInput,
  type NotesSnapshotInput,
  type NotesThemeInput,
  type WorkshopNotesInput
} from '@goldthread/shared';
import type { WorkshopSnapshot } from '../store/types.js';

/**
 * The record's ids mapped to the imported workshop's: rooms and boards by position, and plenary
 * copies (`<roomId>-<id>`) re-keyed to the new room, so combining again updates them in place.
 */
export class RecordIds {
  readonly #rooms: Map<string, string>;
  readonly #boards: Map<string, string>;

  constructor(source: WorkshopNotesInput, created: CreateWorkshopResponse) {
    this.#rooms = new Map(source.rooms.map((room, i) => [room.id, created.rooms[i]!.id]));
    this.#boards = new Map(source.boards.map((board, i) => [board.id, created.boards[i]!.id]));
  }

  room(id: string): string {
    return this.#rooms.get(id)!;
  }

  board(id: string): string {
    return this.#boards.get(id)!;
  }

  copy(id: string): string {
    for (const [from, to] of this.#rooms) if (id.startsWith(`${from}-`)) return `${to}${id.slice(from.length)}`;
    return id;
  }
}

/** Cards and themes of one board space of the record: a room, the plenary, or a room in a snapshot. */
export interface RecordSpace {
  cards: NotesCardInput[];
  themes?: NotesThemeInput[];
}

/**
 * Writes a space's themes and cards into a document in one transaction, boards and rooms mapped
 * to the imported workshop's and ids through `rekey`; themes get consecutive times from
 * `themesFrom`, which keeps their order. Returns each card as written, with its votes.
 */
export function writeRecordSpace(
  doc: Y.Doc,
  space: RecordSpace,
  ids: RecordIds,
  options: { rekey: (id: string) => string; themesFrom: number }
): { card: CardView; votes: number; proxyVotes: number }[] {
  const { rekey, themesFrom } = options;
  const written: { card: CardView; votes: number; proxyVotes: number }[] = [];
  doc.transact(() => {
    (space.themes ?? []).forEach((theme, i) =>
      putTheme(doc, { id: rekey(theme.id), boardId: ids.board(theme.boardId), name: theme.name, createdAt: themesFrom + i })
    );
    for (const { votes = 0, proxyVotes = 0, ...view } of space.cards) {
      const card: CardView = { ...view, id: rekey(view.id), boardId: ids.board(view.boardId) };
      if (view.themeId !== undefined) card.themeId = rekey(view.themeId);
      if (view.sourceRoomId !== undefined) card.sourceRoomId = ids.room(view.sourceRoomId);
      putCard(doc, card);
      written.push({ card, votes, proxyVotes });
    }
  });
  return written;
}

/** A timeline entry of the record as the store keeps one, in the imported workshop's rooms and boards. */
export function snapshotFromRecord(snapshot: NotesSnapshotInput, ids: RecordIds): WorkshopSnapshot {
  const rooms: WorkshopSnapshot['rooms'] = {};
  for (const room of snapshot.rooms) {
    const doc = new Y.Doc();
    try {
      writeRecordSpace(doc, room, ids, { rekey: (id) => id, themesFrom: snapshot.createdAt });
      rooms[ids.room(room.roomId)] = { update: Y.encodeStateAsUpdate(doc), cards: readCards(doc) };
    } finally {
      doc.destroy();
    }
  }
  // The control state of the moment is not in the record; restoring a snapshot does not use it.
  return { id: newId(12), createdAt: snapshot.createdAt, label: snapshot.label, reason: snapshot.reason, rooms, control: null };
}
