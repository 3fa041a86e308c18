import { Packer } from 'docx';
import {
  DEFAULT_ATTRIBUTION,
  buildNotes,
  newId,
  notesActionsOf,
  notesFileNameFor,
  parseNotesJson,
  addTheme,
  attributedPerson,
  attributionAt,
  attributionLabel,
  stricterAttribution,
  putCard,
  readCards,
  readThemes,
  renderCsv,
  renderHtml,
  renderJson,
  renderMarkdown,
  voteKey,
  NotesJsonError,
  type CreateWorkshopResponse,
  type NotesCardInput,
  type NotesParticipant,
  type NotesScope,
  type WorkshopNotesInput
} from '@goldthread/shared';
import { buildDocx } from '@goldthread/shared/notes-docx';
import { AppError } from '../errors.js';
import type { RoomRegistry } from '../rooms/room-registry.js';
import type { ControlRegistry } from '../control/control-registry.js';
import { attributionHistoryOf, type WorkshopService } from '../workshops/workshop-service.js';
import type { StoredParticipant, StoredWorkshop, WorkshopStore } from '../store/types.js';

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
   * Everything a workshop produced, as the notes model's input: live cards, themes, votes and
   * attendance. For participants, votes the facilitator is still hiding are left out.
   */
  async collect(workshopId: string, audience: 'facilitator' | 'participant' = 'facilitator'): Promise<WorkshopNotesInput> {
    const workshop = this.#workshops.require(workshopId);
    const control = await this.#controls.get(workshopId);
    const tallies = new Map<string, Map<string, number>>();
    for (const board of workshop.boards) {
      if (audience === 'participant' && !control.resultsVisible(board.id)) continue;
      const results = control.results(board.id).tallies;
      if (results.length > 0) tallies.set(board.id, new Map(results.map((t) => [voteKey(t.roomId, t.cardId), t.votes])));
    }
    const rooms = [];
    for (const room of workshop.rooms) {
      const { cards, themes } = await this.#rooms.change(workshopId, room.id, (live) => ({
        cards: readCards(live.doc),
        themes: readThemes(live.doc)
      }));
      rooms.push({
        id: room.id,
        name: room.name,
        ...(room.details && { details: room.details }),
        themes: themes.map(({ id, boardId, name, cardIds }) => ({ id, boardId, name, cardIds })),
        // A board that was voted on gives each of its cards a count (0 included); others have none.
        cards: cards.map((card) => {
          const onBoard = tallies.get(card.boardId);
          return onBoard ? { ...card, votes: onBoard.get(voteKey(room.id, card.id)) ?? 0 } : card;
        })
      });
    }
    const { participants, credit } = attribution(workshop, await this.#store.participants(workshopId));
    const view = this.#workshops.viewFor({ role: 'participant', workshopId });
    const { date, ...details } = view.details;
    const actions = notesActionsOf(control.outcomes.list());
    return {
      workshop: { id: workshop.id, title: workshop.title, createdAt: workshop.createdAt, date, ...details, attribution: view.attribution },
      boards: workshop.boards,
      rooms: rooms.map((room) => ({ ...room, cards: room.cards.map(credit) })),
      participants,
      ...(actions.length > 0 && { actions })
    };
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
   * Recreates a workshop from a notes JSON export: same title, rooms, boards, cards (with
   * their authors and times), attendance and vote counts, under new workshop, room and board ids.
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
    const roomIds = new Map(source.rooms.map((room, i) => [room.id, created.rooms[i]!.id]));
    const boardIds = new Map(source.boards.map((board, i) => [board.id, created.boards[i]!.id]));
    for (const participant of source.participants ?? []) {
      await this.#store.addParticipant(created.id, {
        id: participant.id,
        name: participant.name,
        roomId: roomIds.get(participant.roomId) ?? created.rooms[0]!.id,
        joinedAt: source.workshop.createdAt,
        ...(participant.organisation !== undefined && { organisation: participant.organisation }),
        ...(participant.sector !== undefined && { sector: participant.sector })
      });
    }
    const votes: { boardId: string; roomId: string; cardId: string; count: number }[] = [];
    for (const room of source.rooms) {
      const roomId = roomIds.get(room.id)!;
      await this.#rooms.change(created.id, roomId, (live) => {
        live.doc.transact(() => {
          for (const theme of room.themes ?? []) addTheme(live.doc, boardIds.get(theme.boardId)!, theme.name, theme.id);
          for (const card of room.cards) {
            const boardId = boardIds.get(card.boardId)!;
            putCard(live.doc, { ...card, boardId });
            if (card.votes) votes.push({ boardId, roomId, cardId: card.id, count: card.votes });
          }
        });
      });
    }
    if (votes.length > 0) {
      await this.#controls.run(created.id, (control) => control.importVotes(votes, `imported-${newId(6)}`));
    }
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
      ...(shown.sector !== undefined && { sector: shown.sector })
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
