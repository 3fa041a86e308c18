import type { IncomingMessage, Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import {
  LIMITS,
  SOCKET_PATH,
  commandSchemas,
  errorBody,
  type ClientToServerEvents,
  type ServerToClientEvents,
  type SessionIdentity
} from '@goldthread/shared';
import { channels, registerCommands } from './commands.js';
import type { ControlRegistry } from './control-registry.js';
import type { SnapshotService } from '../workshops/snapshot-service.js';
import type { PrivateCardCounter } from './board-content.js';
import type { WorkshopService } from '../workshops/workshop-service.js';
import type { RoomRegistry } from '../rooms/room-registry.js';
import type { Logger } from '../logger.js';
import { TokenBucket } from '../limits/rate-limiter.js';

interface SocketData {
  identity: SessionIdentity;
}

export type ControlServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type ControlSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

export interface ControlDeps {
  workshops: WorkshopService;
  rooms: RoomRegistry;
  controls: ControlRegistry;
  snapshots: SnapshotService;
  privateCards: PrivateCardCounter;
  logger: Logger;
  /** Commands one connection may send: a burst, then this many a second; the rest are refused. */
  commandRate: { burst: number; perSecond: number };
  /** Told of each handshake with a valid token (the limits learn which addresses use a workshop). */
  onIdentified?: (request: IncomingMessage, workshopId: string) => void;
}

/**
 * The Socket.IO control channel: the handshake token decides the identity, and every
 * command is acknowledged with `{ data }` or `{ error }`.
 */
export function createControlServer(httpServer: HttpServer, deps: ControlDeps): ControlServer {
  const io: ControlServer = new Server(httpServer, {
    path: SOCKET_PATH,
    serveClient: false,
    // The Yjs endpoint shares this HTTP server's upgrades.
    destroyUpgrade: false,
    maxHttpBufferSize: LIMITS.httpBodyBytes,
    cors: { origin: false }
  });

  io.use((socket, next) => {
    const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
    const claims = deps.workshops.verifyToken(token);
    if (!claims) {
      next(Object.assign(new Error('A valid token is required.'), { data: errorBody('unauthorized', 'A valid token is required.') }));
      return;
    }
    socket.data.identity = {
      role: claims.role,
      workshopId: claims.workshopId,
      ...(claims.roomId !== undefined && { roomId: claims.roomId }),
      ...(claims.participantId !== undefined && { participantId: claims.participantId }),
      ...(claims.name !== undefined && { name: claims.name })
    };
    deps.onIdentified?.(socket.request, claims.workshopId);
    next();
  });

  io.on('connection', (socket) => {
    const { identity } = socket.data;
    limitCommandRate(socket, deps.commandRate);
    void socket.join(channels.workshop(identity.workshopId));
    if (identity.role === 'facilitator') {
      void socket.join(channels.facilitators(identity.workshopId));
      void publishCounts(io, deps.rooms, identity.workshopId);
    }
    if (identity.participantId) void socket.join(channels.participant(identity.participantId));
    registerCommands(socket, { io, ...deps });
  });

  return io;
}

/**
 * Refuses a connection's commands beyond its rate with `rate_limited`, before any handler runs;
 * a command sent without an acknowledgement, and any other event, is dropped.
 */
function limitCommandRate(socket: ControlSocket, rate: { burst: number; perSecond: number }) {
  const commands = new TokenBucket(rate.burst, rate.perSecond);
  socket.use((packet, next) => {
    if (commands.take()) {
      next();
      return;
    }
    // Only a command is answered; an event nothing listens for gets no reply, limited or not.
    const ack: unknown = packet[packet.length - 1];
    if (typeof ack === 'function' && Object.hasOwn(commandSchemas, packet[0])) {
      const wait = commands.retryAfterSeconds();
      ack(errorBody('rate_limited', `Too many commands from this screen; wait ${wait} second${wait === 1 ? '' : 's'} and try again.`));
    }
  });
}

/** Sends the current head-count of each room to the workshop's facilitators. */
export async function publishCounts(io: ControlServer, rooms: RoomRegistry, workshopId: string): Promise<void> {
  const counts = await rooms.participantCounts(workshopId);
  io.to(channels.facilitators(workshopId)).emit('rooms:counts', { workshopId, counts });
}
