import {
  DEFAULT_CARD_COLOR,
  addCard,
  addCardRequest,
  cardAuthorFields,
  cardCapProblem,
  cardFieldsSchema,
  cardsMap,
  readCard,
  readCards,
  type CardView
} from '@goldthread/shared';
import { AppError } from '../errors.js';
import { parseBody, type WorkshopService } from './workshop-service.js';
import type { RoomRegistry } from '../rooms/room-registry.js';
import type { TokenClaims } from '../auth/tokens.js';
import type { ControlRegistry } from '../control/control-registry.js';
import { isFrozen } from '../rooms/write-rules.js';

/** Cards over HTTP, for outside tools: the same Yjs document the boards sync, so changes are live. */
export class CardService {
  readonly #workshops: WorkshopService;
  readonly #rooms: RoomRegistry;
  readonly #controls: ControlRegistry;

  constructor(workshops: WorkshopService, rooms: RoomRegistry, controls: ControlRegistry) {
    this.#workshops = workshops;
    this.#rooms = rooms;
    this.#controls = controls;
  }

  /** Every card of a room, oldest first. */
  async list(claims: TokenClaims, workshopId: string, roomId: string): Promise<CardView[]> {
    this.#checkRoom(claims, workshopId, roomId);
    return this.#rooms.change(workshopId, roomId, (room) => readCards(room.doc));
  }

  /** Adds a card in the holder's name (a participant) or as "Facilitator". */
  async add(claims: TokenClaims, workshopId: string, roomId: string, body: unknown): Promise<CardView> {
    if (claims.role === 'projector') throw new AppError('forbidden', 'The projector is read-only.');
    const request = parseBody(addCardRequest, body);
    const workshop = this.#checkRoom(claims, workshopId, roomId);
    if (!workshop.boards.some((board) => board.id === request.boardId)) {
      throw new AppError('not_found', 'That board is not part of this workshop.');
    }
    if (claims.role === 'participant') {
      // The same rules as on the live board: nothing on a frozen board, nothing shared while private.
      const board = (await this.#controls.get(workshopId)).board(request.boardId);
      if (isFrozen(board)) throw new AppError('forbidden', board.locked ? 'This board is locked by the facilitator.' : 'Cards cannot change in this phase.');
      if (board.private && !board.revealed) throw new AppError('conflict', 'This board is private for now: cards go to your own space until the facilitator reveals them.');
    }
    return this.#rooms.change(workshopId, roomId, (room) => {
      // The same caps and card schema as the live boards (shared/src/model/cards.ts).
      const full = cardCapProblem(room.doc, request.boardId);
      if (full) throw new AppError('payload_too_large', full);
      const author = cardAuthorFields({ role: claims.role, participantId: claims.participantId ?? null, name: claims.name ?? null });
      const card = { boardId: request.boardId, text: request.text, color: request.color ?? DEFAULT_CARD_COLOR, ...author };
      if (!cardFieldsSchema.safeParse({ ...card, createdAt: Date.now() }).success) throw new AppError('validation_failed', 'That card is not valid.');
      const id = addCard(room.doc, card);
      return readCard(id, cardsMap(room.doc).get(id))!;
    });
  }

  #checkRoom(claims: TokenClaims, workshopId: string, roomId: string) {
    const workshop = this.#workshops.require(workshopId);
    if (!workshop.rooms.some((room) => room.id === roomId)) {
      throw new AppError('not_found', 'That room is not part of this workshop.');
    }
    if (claims.role === 'participant' && claims.roomId !== roomId) {
      throw new AppError('forbidden', 'Participants may use only their own room.');
    }
    return workshop;
  }
}
