import {
  DEFAULT_ATTRIBUTION,
  DEFAULT_BOARDS,
  DEFAULT_ROOM_NAMES,
  addDays,
  createWorkshopRequest,
  londonIsoDate,
  updateWorkshopRequest,
  joinRequest,
  newId,
  proxyRequest,
  type AttendanceResponse,
  type ProxyResponse,
  normaliseJoinCode,
  type CreateWorkshopResponse,
  type FacilitatorWorkshopView,
  type JoinLookupResponse,
  type JoinResponse,
  type Room,
  type RoomDetails,
  type WorkshopDetails,
  type WorkshopView
} from '@goldthread/shared';
import type { z } from 'zod';
import { AppError } from '../errors.js';
import {
  facilitatorKeyMatches,
  hashFacilitatorKey,
  newFacilitatorKey,
  newJoinCode,
  type TokenClaims,
  type TokenSigner
} from '../auth/tokens.js';
import type { StoredWorkshop, WorkshopStore } from '../store/types.js';
import { KeyedQueue } from '../concurrency/keyed-queue.js';

export interface WorkshopServiceOptions {
  store: WorkshopStore;
  tokens: TokenSigner;
  participantTokenTtlSeconds: number;
  facilitatorTokenTtlSeconds: number;
  /** Days after its date that a workshop's record is kept (what the join screen promises). */
  retentionDays: number;
}

/** Validates a body against a schema, turning the first problem into a readable AppError. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  const message = issue?.code === 'invalid_type' && issue.path.length > 0 && issue.input === undefined
    ? `${issue.path.join('.')} is required`
    : `${where}${issue?.message ?? 'invalid request'}`;
  throw new AppError('validation_failed', message);
}

/** Creating, finding and joining workshops; the only place that issues tokens. */
export class WorkshopService {
  readonly #store: WorkshopStore;
  readonly #tokens: TokenSigner;
  readonly #options: WorkshopServiceOptions;
  /** Joins of one workshop run one at a time, so simultaneous joins see each other when balancing rooms. */
  readonly #joining = new KeyedQueue();

  constructor(options: WorkshopServiceOptions) {
    this.#store = options.store;
    this.#tokens = options.tokens;
    this.#options = options;
  }

  /** Creates a workshop from a request body; the facilitator key is returned once. */
  async create(body: unknown): Promise<CreateWorkshopResponse> {
    const request = parseBody(createWorkshopRequest, body);
    const facilitatorKey = newFacilitatorKey();
    const createdAt = Date.now();
    const rooms: Room[] = (request.rooms ?? DEFAULT_ROOM_NAMES).map((entry) => {
      if (typeof entry === 'string') return { id: newId(10), name: entry };
      const { name, ...details } = entry;
      return withRoomDetails({ id: newId(10), name }, details);
    });
    assertUnique(rooms.map((room) => room.name), 'room names');
    const boards = (request.boards ?? DEFAULT_BOARDS).map((board) => ({ id: newId(10), ...board }));
    assertUnique(boards.map((board) => board.title), 'board titles');
    const attribution = request.attribution ?? DEFAULT_ATTRIBUTION;
    const workshop: StoredWorkshop = {
      id: newId(12),
      title: request.title,
      joinCode: this.#uniqueJoinCode(),
      facilitatorKeyHash: hashFacilitatorKey(facilitatorKey),
      createdAt,
      rooms,
      boards,
      details: withDetails({ date: request.date ?? londonIsoDate(createdAt) }, request),
      attribution,
      attributionHistory: [{ level: attribution, since: createdAt }]
    };
    await this.#store.create(workshop);
    const { details } = publicView(workshop);
    return { id: workshop.id, title: workshop.title, joinCode: workshop.joinCode, facilitatorKey, rooms, boards, details, attribution };
  }

  /**
   * Changes a workshop's title, details, rooms' details or attribution level (facilitator only).
   * Everything is checked before anything changes. A new level applies from now on.
   */
  async update(claims: TokenClaims, body: unknown): Promise<FacilitatorWorkshopView> {
    requireFacilitator(claims);
    const request = parseBody(updateWorkshopRequest, body);
    const workshop = this.require(claims.workshopId);
    for (const room of request.rooms ?? []) {
      if (!workshop.rooms.some((candidate) => candidate.id === room.id)) throw new AppError('not_found', `No room ${room.id} in this workshop.`);
    }
    const { title, date, attribution, rooms: roomChanges, ...details } = request;
    const current = publicView(workshop);
    const updated: StoredWorkshop = {
      ...workshop,
      ...(title !== undefined && { title }),
      details: withDetails({ ...current.details, ...(date !== undefined && { date }) }, details),
      rooms: workshop.rooms.map((room) => {
        const change = roomChanges?.find((candidate) => candidate.id === room.id);
        if (!change) return room;
        const { id: _id, ...roomDetails } = change;
        return withRoomDetails(room, roomDetails);
      }),
      attribution: attribution ?? current.attribution,
      attributionHistory: attributionHistoryOf(workshop)
    };
    if (attribution !== undefined && attribution !== current.attribution) {
      updated.attributionHistory = [...updated.attributionHistory!, { level: attribution, since: Date.now() }];
    }
    await this.#store.updateWorkshop(updated);
    return facilitatorView(updated);
  }

  /** What someone holding a join code may see before joining, including what will be recorded of them. */
  lookup(code: string): JoinLookupResponse {
    const workshop = this.#byCode(code);
    const view = publicView(workshop);
    const { date, startTime, endTime, venue } = view.details;
    return {
      workshopId: workshop.id,
      title: workshop.title,
      rooms: workshop.rooms,
      details: { date, ...(startTime && { startTime }), ...(endTime && { endTime }), ...(venue && { venue }) },
      privacy: { attribution: view.attribution, keptUntil: addDays(date, this.#options.retentionDays) }
    };
  }

  /** Admits a participant to a room (the emptiest, when they do not choose) and issues their token. */
  async join(body: unknown): Promise<JoinResponse> {
    const request = parseBody(joinRequest, body);
    const workshop = this.#byCode(request.code);
    return this.#joining.run(workshop.id, () => this.#admit(workshop, request));
  }

  async #admit(workshop: StoredWorkshop, request: z.output<typeof joinRequest>): Promise<JoinResponse> {
    let roomId = request.roomId;
    if (roomId !== undefined) {
      if (!workshop.rooms.some((room) => room.id === roomId)) {
        throw new AppError('not_found', 'That room is not part of this workshop.');
      }
    } else {
      roomId = await this.#emptiestRoom(workshop);
    }
    const participantId = newId(12);
    await this.#store.addParticipant(workshop.id, {
      id: participantId,
      name: request.name,
      roomId,
      joinedAt: Date.now(),
      ...(request.organisation !== undefined && { organisation: request.organisation }),
      ...(request.sector !== undefined && { sector: request.sector })
    });
    const token = this.#tokens.sign(
      { role: 'participant', workshopId: workshop.id, roomId, participantId, name: request.name },
      this.#options.participantTokenTtlSeconds
    );
    return { workshopId: workshop.id, roomId, participantId, token };
  }

  /** Exchanges the facilitator key for a facilitator session token. */
  facilitatorSession(workshopId: string, key: string | null): { token: string; workshop: FacilitatorWorkshopView } {
    const workshop = this.require(workshopId);
    if (!key) throw new AppError('unauthorized', 'The facilitator key is required.');
    if (!facilitatorKeyMatches(key, workshop.facilitatorKeyHash)) {
      throw new AppError('forbidden', 'That facilitator key does not open this workshop.');
    }
    const token = this.#tokens.sign({ role: 'facilitator', workshopId }, this.#options.facilitatorTokenTtlSeconds);
    return { token, workshop: facilitatorView(workshop) };
  }

  /** Records someone without a device, for whom the facilitator will enter cards and votes. */
  async addProxy(claims: TokenClaims, body: unknown): Promise<ProxyResponse> {
    requireFacilitator(claims);
    const request = parseBody(proxyRequest, body);
    const workshop = this.require(claims.workshopId);
    if (!workshop.rooms.some((room) => room.id === request.roomId)) throw new AppError('not_found', 'That room is not part of this workshop.');
    const participantId = newId(12);
    await this.#store.addParticipant(workshop.id, {
      id: participantId,
      name: request.name,
      roomId: request.roomId,
      joinedAt: Date.now(),
      proxy: true,
      ...(request.organisation !== undefined && { organisation: request.organisation }),
      ...(request.sector !== undefined && { sector: request.sector })
    });
    return { participantId, name: request.name, roomId: request.roomId };
  }

  /** A proxy participant of the workshop, or a not_found AppError. */
  async requireProxy(workshopId: string, participantId: string) {
    const proxy = (await this.#store.participants(workshopId)).find((p) => p.id === participantId && p.proxy === true);
    if (!proxy) throw new AppError('not_found', 'No one without a device has that id in this workshop.');
    return proxy;
  }

  /** Head-counts by room and by sector (no names), for the facilitator and the notes. */
  async attendance(claims: TokenClaims): Promise<AttendanceResponse> {
    requireFacilitator(claims);
    const workshop = this.require(claims.workshopId);
    const participants = await this.#store.participants(workshop.id);
    const bySector: Record<string, number> = {};
    const rooms = workshop.rooms.map((room) => ({ roomId: room.id, name: room.name, participants: 0, bySector: {} as Record<string, number> }));
    for (const participant of participants) {
      const sector = participant.sector ?? 'Not given';
      bySector[sector] = (bySector[sector] ?? 0) + 1;
      const room = rooms.find((r) => r.roomId === participant.roomId);
      if (!room) continue;
      room.participants += 1;
      room.bySector[sector] = (room.bySector[sector] ?? 0) + 1;
    }
    return { total: participants.length, bySector, rooms };
  }

  /** Issues a read-only projector token; only the facilitator may. */
  projectorToken(claims: TokenClaims): { token: string } {
    requireFacilitator(claims);
    const token = this.#tokens.sign({ role: 'projector', workshopId: claims.workshopId }, this.#options.facilitatorTokenTtlSeconds);
    return { token };
  }

  /** True when `key` is this workshop's facilitator key (as given at creation). */
  isFacilitatorKey(workshopId: string, key: string | null): boolean {
    return key !== null && facilitatorKeyMatches(key, this.require(workshopId).facilitatorKeyHash);
  }

  /** Checks a bearer token for a workshop; returns its claims. */
  authorise(workshopId: string, token: string | null): TokenClaims {
    this.require(workshopId);
    if (!token) throw new AppError('unauthorized', 'A token is required.');
    const claims = this.#tokens.verify(token);
    if (!claims) throw new AppError('unauthorized', 'That token is not valid or has expired.');
    if (claims.workshopId !== workshopId) throw new AppError('forbidden', 'That token is for another workshop.');
    return claims;
  }

  /** Verifies a token on its own (for sockets), returning null when it is not valid. */
  verifyToken(token: unknown): TokenClaims | null {
    const claims = this.#tokens.verify(token);
    if (!claims) return null;
    const workshop = this.#store.get(claims.workshopId);
    if (!workshop || this.#store.brokenReason(claims.workshopId)) return null;
    if (claims.roomId !== undefined && !workshop.rooms.some((room) => room.id === claims.roomId)) return null;
    return claims;
  }

  /** The workshop as the holder of these claims may see it. */
  viewFor(claims: Pick<TokenClaims, 'role' | 'workshopId'>): WorkshopView | FacilitatorWorkshopView {
    const workshop = this.require(claims.workshopId);
    // The big screen shows the join code, so the projector sees it too.
    return claims.role === 'participant' ? publicView(workshop) : facilitatorView(workshop);
  }

  /** The stored workshop, or a not_found / unavailable AppError. */
  require(workshopId: string): StoredWorkshop {
    const broken = this.#store.brokenReason(workshopId);
    if (broken) throw new AppError('unavailable', 'This workshop cannot be opened right now; the server log names the problem.');
    const workshop = this.#store.get(workshopId);
    if (!workshop) throw new AppError('not_found', 'No workshop has that id.');
    return workshop;
  }

  #byCode(code: string): StoredWorkshop {
    const workshop = this.#store.findByJoinCode(normaliseJoinCode(code));
    if (!workshop) throw new AppError('not_found', 'No workshop has that join code. Check it with your facilitator.');
    return workshop;
  }

  #uniqueJoinCode(): string {
    for (;;) {
      const code = newJoinCode();
      if (!this.#store.findByJoinCode(code)) return code;
    }
  }

  async #emptiestRoom(workshop: StoredWorkshop): Promise<string> {
    const counts = new Map(workshop.rooms.map((room) => [room.id, 0]));
    for (const p of await this.#store.participants(workshop.id)) {
      counts.set(p.roomId, (counts.get(p.roomId) ?? 0) + 1);
    }
    let best = workshop.rooms[0]!.id;
    for (const room of workshop.rooms) if (counts.get(room.id)! < counts.get(best)!) best = room.id;
    return best;
  }
}

/** Refuses anyone but the facilitator. */
export function requireFacilitator(claims: Pick<TokenClaims, 'role'>): void {
  if (claims.role !== 'facilitator') throw new AppError('forbidden', 'Only the facilitator can do that.');
}

function assertUnique(names: string[], what: string) {
  const seen = new Set<string>();
  for (const name of names) {
    const key = name.toLowerCase();
    if (seen.has(key)) throw new AppError('validation_failed', `${what} must be different from each other ("${name}" twice)`);
    seen.add(key);
  }
}

type DetailChanges = { [K in Exclude<keyof WorkshopDetails, 'date'>]?: WorkshopDetails[K] | null };

/** Details with the given changes applied: a value sets a field, null clears it, undefined leaves it. */
function withDetails(base: WorkshopDetails, changes: DetailChanges): WorkshopDetails {
  const next: Record<string, unknown> = { ...base };
  for (const key of ['startTime', 'endTime', 'venue', 'facilitators', 'purpose', 'partners', 'links'] as const) {
    const value = changes[key];
    if (value === undefined) continue;
    if (value === null || (Array.isArray(value) && value.length === 0)) delete next[key];
    else next[key] = value;
  }
  return next as unknown as WorkshopDetails;
}

/** A room with its own date, venue or host set (value), cleared (null) or left (undefined). */
function withRoomDetails(room: Room, changes: { [K in keyof RoomDetails]?: RoomDetails[K] | null }): Room {
  const details: Record<string, unknown> = { ...room.details };
  for (const key of ['date', 'venue', 'host'] as const) {
    const value = changes[key];
    if (value === undefined) continue;
    if (value === null) delete details[key];
    else details[key] = value;
  }
  const { details: _old, ...rest } = room;
  return Object.keys(details).length > 0 ? { ...rest, details: details as RoomDetails } : rest;
}

/** The workshop's levels over time; a file from before levels existed has had the default all along. */
export function attributionHistoryOf(workshop: StoredWorkshop): NonNullable<StoredWorkshop['attributionHistory']> {
  return workshop.attributionHistory ?? [{ level: workshop.attribution ?? DEFAULT_ATTRIBUTION, since: workshop.createdAt }];
}

function publicView(workshop: StoredWorkshop): WorkshopView {
  return {
    id: workshop.id,
    title: workshop.title,
    createdAt: workshop.createdAt,
    rooms: workshop.rooms,
    boards: workshop.boards,
    details: workshop.details ?? { date: londonIsoDate(workshop.createdAt) },
    attribution: workshop.attribution ?? DEFAULT_ATTRIBUTION
  };
}

function facilitatorView(workshop: StoredWorkshop): FacilitatorWorkshopView {
  return { ...publicView(workshop), joinCode: workshop.joinCode };
}
