import { Packer } from 'docx';
import {
  DEFAULT_ATTRIBUTION,
  buildNotes,
  newId,
  notesActionsOf,
  notesFileNameFor,
  parseNotesJson,
  attributedPerson,
  attributionAt,
  attributionLabel,
  stricterAttribution,
  readCards,
  readThemes,
  renderCsv,
  renderHtml,
  renderJson,
  renderMarkdown,
  NotesJsonError,
  PLENARY_ROOM_ID,
  type CreateWorkshopResponse,
  type NotesCardInput,
  type NotesParticipant,
  type NotesScope,
  type NotesSnapshotInput,
  type RoomNotesInput,
  type WorkshopNotesInput
} from '@goldthread/shared';
import { buildDocx } from '@goldthread/shared/notes-docx';
import { AppError } from '../errors.js';
import type { RoomRegistry } from '../rooms/room-registry.js';
import type { ControlRegistry } from '../control/control-registry.js';
import { attributionHistoryOf, type WorkshopService } from '../workshops/workshop-service.js';
import type { StoredParticipant, StoredWorkshop, WorkshopStore } from '../store/types.js';
import { themesIn } from '../workshops/snapshot-service.js';
import { RecordIds, snapshotFromRecord, writeRecordSpace, type RecordSpace } from './record-ids.js';
import { IMPORTED_PROXY_VOTER, boardVotes, type ImportedVote } from './record-votes.js';

/** The formats notes come in, with their media types. */
export const NOTES_FORMATS = {
  md: 'text/markdown; charset=utf-8',
  html: 'text/html; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  json: 'application/json; charset=utf-8',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'
} as const;
export type NotesFormat = keyof typeof NOTES_FORMATS;

export function isNotesFormat(value: string): value is NotesFormat {
  return Object.hasOwn(NOTES_FORMATS, value);
}

/** A rendered notes file, ready to send as an attachment. */
export interface NotesFile {
  body: string | Buffer;
  contentType: string;
  fileName: string;
}

/** Session notes: gathering what a workshop produced, rendering it, and importing a JSON export. */
export class NotesService {
  readonly #store: WorkshopStore;
  readonly #rooms: RoomRegistry;
  readonly #controls: ControlRegistry;
  readonly #workshops: WorkshopService;

  constructor(deps: { store: WorkshopStore; rooms: RoomRegistry; controls: ControlRegistry; workshops: WorkshopService }) {
    this.#store = deps.store;
    this.#rooms = deps.rooms;
    this.#controls = deps.controls;
    this.#workshops = deps.workshops;
  }

  /**
   * Everything a workshop produced, as the notes model's input (the record): live cards, themes,
   * votes (with those the facilitator cast for people without a device), attendance, and the
   * plenary once a board was combined. For participants, votes still hidden are left out.
   */
  async collect(
    workshopId: string,
    audience: 'facilitator' | 'participant' = 'facilitator',
    options: { snapshots?: boolean } = {}
  ): Promise<WorkshopNotesInput> {
    const workshop = this.#workshops.require(workshopId);
    const control = await this.#controls.get(workshopId);
    const people = await this.#store.participants(workshopId);
    const proxies = new Set(people.filter((p) => p.proxy === true).map((p) => p.id));
    const votes = boardVotes(
      control,
      workshop.boards.filter((board) => audience === 'facilitator' || control.resultsVisible(board.id)).map((board) => board.id),
      (voterId) => proxies.has(voterId) || voterId.startsWith(IMPORTED_PROXY_VOTER)
    );
    const { participants, credit } = attribution(workshop, people);
    // Every kept card, in a room, on the plenary or in a snapshot, is credited as the level allows.
    const read = (roomId: string) =>
      this.#rooms.change(workshopId, roomId, (live) => ({
        cards: readCards(live.doc).map((card) => credit(votes.onCard(roomId, card))),
        themes: readThemes(live.doc).map(({ id, boardId, name, cardIds }) => ({ id, boardId, name, cardIds }))
      }));
    const rooms: RoomNotesInput[] = [];
    for (const room of workshop.rooms)
      rooms.push({ id: room.id, name: room.name, ...(room.details && { details: room.details }), ...(await read(room.id)) });
    const view = this.#workshops.viewFor({ role: 'participant', workshopId });
    const { date, ...details } = view.details;
    const actions = notesActionsOf(control.outcomes.list());
    const input: WorkshopNotesInput = {
      workshop: { id: workshop.id, title: workshop.title, createdAt: workshop.createdAt, date, ...details, attribution: view.attribution },
      boards: workshop.boards,
      rooms,
      participants,
      ...(actions.length > 0 && { actions })
    };
    const combined = control.snapshot().plenaryBoardIds;
    if (combined.length > 0) input.plenary = { boardIds: [...combined], ...(await read(PLENARY_ROOM_ID)) };
    if (options.snapshots) input.snapshots = await this.#timeline(workshopId, credit);
    return input;
  }

  /** Every snapshot of the workshop, oldest first, as the record holds it: each room's cards and themes. */
  async #timeline(workshopId: string, credit: (card: NotesCardInput) => NotesCardInput): Promise<NotesSnapshotInput[]> {
    const workshop = this.#workshops.require(workshopId);
    const timeline: NotesSnapshotInput[] = [];
    for (const summary of await this.#store.listSnapshots(workshopId)) {
      const snapshot = await this.#store.getSnapshot(workshopId, summary.id);
      if (!snapshot) continue;
      const rooms = workshop.rooms.flatMap((room) => {
        const saved = snapshot.rooms[room.id];
        if (!saved) return [];
        const themes = themesIn(saved.update).map(({ id, boardId, name, cardIds }) => ({ id, boardId, name, cardIds }));
        return [{ roomId: room.id, cards: saved.cards.map(credit), themes }];
      });
      timeline.push({ createdAt: snapshot.createdAt, label: snapshot.label, reason: snapshot.reason, rooms });
    }
    return timeline;
  }

  /** Renders notes of one or more workshops in a format. */
  async render(inputs: WorkshopNotesInput[], scope: NotesScope, format: NotesFormat): Promise<NotesFile> {
    let document;
    try {
      document = buildNotes(inputs, scope);
    } catch (error) {
      throw new AppError('not_found', (error as Error).message);
    }
    const fileName = notesFileNameFor(document, format);
    const contentType = NOTES_FORMATS[format];
    switch (format) {
      case 'md':
        return { body: renderMarkdown(document), contentType, fileName };
      case 'html':
        return { body: renderHtml(document), contentType, fileName };
      case 'csv':
        return { body: renderCsv(document), contentType, fileName };
      case 'json':
        return { body: renderJson(document), contentType, fileName };
      case 'docx':
        return { body: await Packer.toBuffer(buildDocx(document)), contentType, fileName };
    }
  }

  /**
   * Recreates a workshop from its record (a notes JSON export): title, rooms, boards, cards with
   * their authors, times, themes and proxy marks, attendance, votes (proxy votes kept apart) and
   * the plenary, under new workshop, room and board ids. The whole file is checked first, so a
   * refused file creates nothing; participants are written in one save, however many.
   */
  async importJson(text: string): Promise<CreateWorkshopResponse> {
    let parsed;
    try {
      parsed = parseNotesJson(text);
    } catch (error) {
      if (error instanceof NotesJsonError || error instanceof SyntaxError) throw new AppError('validation_failed', (error as Error).message);
      throw error;
    }
    if (parsed.workshops.length !== 1) {
      throw new AppError('validation_failed', `Import one workshop at a time; this file holds ${parsed.workshops.length}.`);
    }
    const source = parsed.workshops[0]!;
    const { id: _id, title, createdAt: _createdAt, facilitatorName: _name, ...details } = source.workshop;
    const created = await this.#workshops.create({
      title,
      ...details,
      rooms: source.rooms.map((room) => ({ name: room.name, ...room.details })),
      boards: source.boards.map(({ kind, title, prompt }) => ({ kind, title, prompt }))
    });
    const ids = new RecordIds(source, created);
    await this.#store.addParticipants(
      created.id,
      (source.participants ?? []).map((participant) => ({
        id: participant.id,
        name: participant.name,
        roomId: ids.room(participant.roomId),
        joinedAt: source.workshop.createdAt,
        ...(participant.organisation !== undefined && { organisation: participant.organisation }),
        ...(participant.sector !== undefined && { sector: participant.sector }),
        ...(participant.proxy === true && { proxy: true })
      }))
    );
    const votes: ImportedVote[] = [];
    const importedAt = Date.now();
    const write = async (roomId: string, space: RecordSpace) => {
      // Room cards keep their ids; plenary copies are re-keyed to the new rooms.
      const rekey = roomId === PLENARY_ROOM_ID ? (id: string) => ids.copy(id) : (id: string) => id;
      const written = await this.#rooms.change(created.id, roomId, (live) => writeRecordSpace(live.doc, space, ids, { rekey, themesFrom: importedAt }));
      for (const { card, votes: count, proxyVotes } of written) {
        const at = { boardId: card.boardId, roomId, cardId: card.id };
        if (count - proxyVotes > 0) votes.push({ ...at, count: count - proxyVotes, proxy: false });
        if (proxyVotes > 0) votes.push({ ...at, count: proxyVotes, proxy: true });
      }
    };
    for (const room of source.rooms) await write(ids.room(room.id), room);
    const plenary = source.plenary;
    if (plenary) await write(PLENARY_ROOM_ID, plenary);
    for (const snapshot of source.snapshots ?? []) await this.#store.addSnapshot(created.id, snapshotFromRecord(snapshot, ids));
    const batch = newId(6);
    await this.#controls.run(created.id, (control) => {
      for (const boardId of plenary?.boardIds ?? []) control.markCombined(ids.board(boardId));
      const cast = (proxy: boolean) => votes.filter((vote) => vote.proxy === proxy);
      if (cast(false).length) control.importVotes(cast(false), `imported-${batch}`);
      if (cast(true).length) control.importVotes(cast(true), `${IMPORTED_PROXY_VOTER}${batch}`);
    });
    return created;
  }
}

/**
 * The one place the attribution level reaches the notes: everything kept (every notes format,
 * CSV and JSON) is made from what this returns. Each person and card is shown as the level
 * allows: the level when they joined or wrote, or the current one where that is stricter.
 * Under `anonymous` cards are not linked to anyone at all.
 */
export function attribution(workshop: StoredWorkshop, people: StoredParticipant[]) {
  const current = workshop.attribution ?? DEFAULT_ATTRIBUTION;
  const history = attributionHistoryOf(workshop);
  const byId = new Map(people.map((person) => [person.id, person]));
  const participants: NotesParticipant[] = people.map((person) => {
    const shown = attributedPerson(person, attributionAt(history, current, person.joinedAt));
    return {
      id: person.id,
      name: shown.name,
      roomId: person.roomId,
      ...(shown.organisation !== undefined && { organisation: shown.organisation }),
      ...(shown.sector !== undefined && { sector: shown.sector }),
      ...(person.proxy === true && { proxy: true })
    };
  });
  const credit = (card: NotesCardInput): NotesCardInput => {
    const author = byId.get(card.authorId);
    const level = author
      ? stricterAttribution(attributionAt(history, current, author.joinedAt), attributionAt(history, current, card.createdAt))
      : attributionAt(history, current, card.createdAt);
    // A card posted anonymously stays so. Under `named` a card shows the name it was written
    // under; otherwise a participant is credited by organisation (or not at all), and a card
    // without a known participant keeps only the facilitator's role.
    const postedAnonymously = !card.authorName.trim() || card.authorName.trim() === 'Anonymous';
    const authorName = postedAnonymously
      ? ''
      : level === 'named'
        ? card.authorName
        : author
          ? attributionLabel(author, level)
          : card.authorId === 'facilitator' ? card.authorName : '';
    return { ...card, authorName: authorName || 'Anonymous', authorId: level === 'anonymous' ? '' : card.authorId };
  };
  return { participants, credit };
}
