import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  CLOSE_CODES,
  CONNECTION_LIMITS,
  LIMITS,
  PLENARY_ROOM_ID,
  YJS_PATH,
  errorBody,
  parseRoomDocName,
  type ErrorCode
} from '@goldthread/shared';
import { SyncPeer } from './sync-peer.js';
import { privateRoomKey } from '../rooms/room-registry.js';
import type { RoomRegistry } from '../rooms/room-registry.js';
import type { WorkshopService } from '../workshops/workshop-service.js';
import type { TokenClaims } from '../auth/tokens.js';
import type { Logger } from '../logger.js';

export interface YjsEndpointOptions {
  rooms: RoomRegistry;
  workshops: WorkshopService;
  logger: Logger;
  /** How often dead connections (a laptop that lost Wi-Fi) are detected and dropped. */
  heartbeatMs?: number;
}

interface Admission {
  workshopId: string;
  roomId: string;
  claims: TokenClaims;
  /** The token as presented, and the address it came from: what the connection caps count by. */
  token: string;
  address: string;
}

interface Refusal {
  status: number;
  error: ErrorCode;
  message: string;
}

/**
 * Connections are pinged a thirtieth at a time, each still once per heartbeat: pinging a
 * thousand sockets in one go holds every edit in flight up behind a thousand writes.
 */
const HEARTBEAT_GROUPS = 30;

/**
 * Upgrades are admitted this many per turn of the event loop: a thousand arriving together would
 * otherwise be checked and answered back to back while everyone's edits wait behind them.
 */
const ADMISSIONS_PER_TURN = 20;
/** Upgrades waiting to be admitted beyond this many are dropped at once. */
const ADMISSIONS_WAITING_MAX = 5000;

/**
 * The y-websocket endpoint at `/yjs/<workshopId>/<roomId>?token=...`. The token is checked
 * before the upgrade completes; refused upgrades get an HTTP error with a JSON body.
 */
export class YjsEndpoint {
  readonly #wss = new WebSocketServer({ noServer: true, maxPayload: LIMITS.yjsMessageBytes });
  readonly #options: YjsEndpointOptions;
  readonly #peers = new Map<WebSocket, SyncPeer>();
  /** What each connection was admitted to, to close those of a deleted workshop or an erased person. */
  readonly #admissions = new WeakMap<SyncPeer, Admission>();
  readonly #alive = new WeakSet<WebSocket>();
  /** Connections in heartbeat groups, checked one group at a time (see HEARTBEAT_GROUPS). */
  readonly #heartbeatGroups: Set<WebSocket>[] = Array.from({ length: HEARTBEAT_GROUPS }, () => new Set());
  #nextGroup = 0;
  #checkedGroup = 0;
  readonly #heartbeat: NodeJS.Timeout;
  /** Open connections per token and per address (see CONNECTION_LIMITS). */
  readonly #perToken = new ConnectionCounts();
  readonly #perAddress = new ConnectionCounts();
  /** Upgrades waiting for their turn (see ADMISSIONS_PER_TURN). */
  #waiting: { req: IncomingMessage; socket: Duplex; head: Buffer }[] = [];
  #admitting = false;

  constructor(options: YjsEndpointOptions) {
    this.#options = options;
    this.#heartbeat = setInterval(() => this.#checkAlive(), (options.heartbeatMs ?? 30_000) / HEARTBEAT_GROUPS);
    this.#heartbeat.unref();
  }

  /** True when an upgrade request is for this endpoint. */
  handles(req: IncomingMessage): boolean {
    const url = req.url ?? '';
    return url === YJS_PATH || url.startsWith(`${YJS_PATH}/`) || url.startsWith(`${YJS_PATH}?`);
  }

  /** Authenticates and completes (or refuses) an upgrade, in its turn (see ADMISSIONS_PER_TURN). */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    if (this.#waiting.length >= ADMISSIONS_WAITING_MAX) {
      socket.destroy();
      return;
    }
    this.#waiting.push({ req, socket, head });
    if (!this.#admitting) {
      this.#admitting = true;
      setImmediate(this.#admitSome);
    }
  }

  /** Admits the next few waiting upgrades, then lets other work run before the next few. */
  readonly #admitSome = () => {
    const turn = this.#waiting.splice(0, ADMISSIONS_PER_TURN);
    for (const { req, socket, head } of turn) if (!socket.destroyed) this.#upgradeNow(req, socket, head);
    if (this.#waiting.length > 0) setImmediate(this.#admitSome);
    else this.#admitting = false;
  };

  #upgradeNow(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    let admission: Admission | Refusal;
    try {
      admission = this.#admit(req);
    } catch (error) {
      this.#options.logger.error('checking a yjs upgrade failed', error);
      refuseUpgrade(socket, 503, 'unavailable', 'The server could not check this connection.');
      return;
    }
    if ('error' in admission) {
      refuseUpgrade(socket, admission.status, admission.error, admission.message);
      return;
    }
    if (this.#perAddress.get(admission.address) >= CONNECTION_LIMITS.perAddress) {
      // Past the address's cap even counting the refusals still waiting: dropped at once, at no cost.
      socket.destroy();
      return;
    }
    this.#perAddress.add(admission.address);
    const overCap = this.#overCap(admission);
    if (overCap) {
      // Held a moment, then upgraded only to be closed with a named code, so the client can say
      // why (a refused upgrade reads as a network error) and a retry loop runs slowly. The wait
      // varies, so a burst of refusals is not answered in one burst that holds up everyone's edits.
      const wait = CONNECTION_LIMITS.refusalDelayMs * (0.5 + Math.random());
      const timer = setTimeout(() => {
        if (socket.destroyed) return;
        this.#wss.handleUpgrade(req, socket, head, (ws) => ws.close(CLOSE_CODES.tooManyConnections, closeReason('rate_limited', overCap)));
      }, wait);
      timer.unref();
      socket.once('close', () => {
        clearTimeout(timer);
        this.#perAddress.remove(admission.address);
      });
      return;
    }
    this.#perToken.add(admission.token);
    this.#wss.handleUpgrade(req, socket, head, (ws) => this.#connect(ws, admission));
    // Counted from now until the socket is gone, upgraded or not.
    socket.once('close', () => {
      this.#perToken.remove(admission.token);
      this.#perAddress.remove(admission.address);
    });
  }

  /** Number of open connections. */
  get connectionCount(): number {
    return this.#peers.size;
  }

  /** Closes every connection telling clients the server is restarting (they reconnect by themselves). */
  closeAll(): void {
    clearInterval(this.#heartbeat);
    for (const peer of this.#peers.values()) {
      peer.close(CLOSE_CODES.serverRestarting, 'unavailable', 'The server is restarting; reconnecting shortly.');
    }
    this.#wss.close();
  }

  /** Closes every connection whose admission matches (e.g. all of a deleted workshop), with a named close code and reason. */
  closeWhere(matches: (admission: { workshopId: string; claims: TokenClaims }) => boolean, code: number, error: ErrorCode, message: string): void {
    for (const peer of this.#peers.values()) {
      const admission = this.#admissions.get(peer);
      if (admission && matches(admission)) peer.close(code, error, message);
    }
  }

  /** Decides whether an upgrade may proceed, from its path and token. */
  #admit(req: IncomingMessage): Admission | Refusal {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const docName = decodeURIComponent(url.pathname.slice(YJS_PATH.length + 1));
    const target = parseRoomDocName(docName);
    if (!target) return { status: 404, error: 'not_found', message: 'Documents are named <workshopId>/<roomId>.' };
    const token = url.searchParams.get('token');
    const claims = this.#options.workshops.verifyToken(token);
    if (!claims) return { status: 401, error: 'unauthorized', message: 'A valid token is required.' };
    if (claims.workshopId !== target.workshopId) {
      return { status: 403, error: 'forbidden', message: 'That token is for another workshop.' };
    }
    const workshop = this.#options.workshops.require(target.workshopId);
    const plenary = target.roomId === PLENARY_ROOM_ID;
    if (!plenary && !workshop.rooms.some((room) => room.id === target.roomId)) {
      return { status: 404, error: 'not_found', message: 'That room is not part of this workshop.' };
    }
    if (target.privateOf !== undefined) {
      // A private brainstorm space: its owner (in their own room) and the facilitator only.
      if (plenary) return { status: 404, error: 'not_found', message: 'The plenary has no private spaces.' };
      const owner = claims.role === 'participant' && claims.participantId === target.privateOf && claims.roomId === target.roomId;
      if (!owner && claims.role !== 'facilitator') {
        return { status: 403, error: 'forbidden', message: 'Only its owner and the facilitator can open a private space.' };
      }
      return { workshopId: target.workshopId, roomId: privateRoomKey(target.roomId, target.privateOf), claims, token: token!, address: addressOf(req) };
    }
    if (claims.role === 'participant' && claims.roomId !== target.roomId && !plenary) {
      return { status: 403, error: 'forbidden', message: 'Participants may open only their own room and the plenary.' };
    }
    return { workshopId: target.workshopId, roomId: target.roomId, claims, token: token!, address: addressOf(req) };
  }

  /** Why this admission would pass its token's connection cap, or null. */
  #overCap(admission: Admission): string | null {
    const perToken = admission.claims.role === 'participant' ? CONNECTION_LIMITS.perParticipantToken : CONNECTION_LIMITS.perStaffToken;
    return this.#perToken.get(admission.token) >= perToken ? `This link already has ${perToken} connections open; close a tab.` : null;
  }

  #connect(ws: WebSocket, admission: Admission): void {
    const { rooms, logger } = this.#options;
    const peer = new SyncPeer(ws, {
      role: admission.claims.role,
      participantId: admission.claims.participantId ?? null,
      name: admission.claims.name ?? null,
      // The projector only watches: whatever it sends is dropped, unseen by anyone.
      readOnly: admission.claims.role === 'projector'
    });
    this.#peers.set(ws, peer);
    this.#admissions.set(peer, admission);
    this.#alive.add(ws);
    const heartbeatGroup = this.#heartbeatGroups[this.#nextGroup++ % HEARTBEAT_GROUPS]!;
    heartbeatGroup.add(ws);
    ws.binaryType = 'nodebuffer';
    ws.on('pong', () => this.#alive.add(ws));
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (!isBinary) {
        peer.close(CLOSE_CODES.badMessage, 'bad_request', 'Only binary Yjs messages are accepted.');
        return;
      }
      peer.receive(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    });
    ws.on('error', (error) => logger.warn('yjs connection error', error.message));

    const joined = rooms.join(admission.workshopId, admission.roomId, peer);
    ws.on('close', () => {
      this.#peers.delete(ws);
      heartbeatGroup.delete(ws);
      joined.then((room) => rooms.leave(room, peer)).catch(() => undefined);
    });
    joined.then(
      (room) => peer.attach(room),
      () => peer.close(CLOSE_CODES.unavailable, 'unavailable', 'This room cannot be opened right now.')
    );
  }

  /** Pings one group; a connection that did not answer the last ping (heartbeatMs ago) is dropped. */
  #checkAlive(): void {
    const group = this.#heartbeatGroups[this.#checkedGroup++ % HEARTBEAT_GROUPS]!;
    for (const ws of group) {
      if (!this.#alive.has(ws)) {
        ws.terminate();
        continue;
      }
      this.#alive.delete(ws);
      ws.ping();
    }
  }
}

/** Open connections per key, forgetting a key when its last connection closes. */
class ConnectionCounts {
  readonly #counts = new Map<string, number>();

  get(key: string): number {
    return this.#counts.get(key) ?? 0;
  }

  add(key: string): void {
    this.#counts.set(key, this.get(key) + 1);
  }

  remove(key: string): void {
    const left = this.get(key) - 1;
    if (left > 0) this.#counts.set(key, left);
    else this.#counts.delete(key);
  }
}

/** The peer address of an upgrade (behind a reverse proxy, the proxy's). */
const addressOf = (req: IncomingMessage) => req.socket.remoteAddress ?? 'unknown';

/** A close reason: the JSON error body, within the 123 bytes a close frame allows. */
function closeReason(code: ErrorCode, message: string): string {
  const reason = JSON.stringify(errorBody(code, message));
  return Buffer.byteLength(reason) <= 123 ? reason : JSON.stringify(errorBody(code, message.slice(0, 60)));
}

function refuseUpgrade(socket: Duplex, status: number, code: ErrorCode, message: string): void {
  const body = JSON.stringify(errorBody(code, message));
  const statusText: Record<number, string> = { 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 503: 'Service Unavailable' };
  socket.end(
    `HTTP/1.1 ${status} ${statusText[status] ?? 'Error'}\r\n` +
      'Content-Type: application/json\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'Connection: close\r\n\r\n' +
      body
  );
}
