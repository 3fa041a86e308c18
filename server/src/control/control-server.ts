import type { Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import {
  LIMITS,
  PROTOCOL_VERSION,
  SOCKET_PATH,
  errorBody,
  type Ack,
  type ClientToServerEvents,
  type ServerToClientEvents,
  type SessionIdentity
} from '@goldthread/shared';
import { AppError } from '../errors.js';
import type { WorkshopService } from '../workshops/workshop-service.js';
import type { RoomRegistry } from '../rooms/room-registry.js';
import type { Logger } from '../logger.js';

interface SocketData {
  identity: SessionIdentity;
}

export type ControlServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type ControlSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

export interface ControlDeps {
  workshops: WorkshopService;
  rooms: RoomRegistry;
  logger: Logger;
}

/** Socket.IO room of a workshop's facilitators, who receive head-counts and control state. */
export const facilitatorsOf = (workshopId: string) => `facilitators:${workshopId}`;

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
    next();
  });

  io.on('connection', (socket) => {
    const { identity } = socket.data;
    if (identity.role === 'facilitator') {
      void socket.join(facilitatorsOf(identity.workshopId));
      void publishCounts(io, deps.rooms, identity.workshopId);
    }

    socket.on('session:get', (_payload, ack) => {
      respond(ack, deps.logger, () => ({
        identity,
        workshop: deps.workshops.viewFor(identity),
        protocol: PROTOCOL_VERSION
      }));
    });
  });

  return io;
}

/** Sends the current head-count of each room to the workshop's facilitators. */
export async function publishCounts(io: ControlServer, rooms: RoomRegistry, workshopId: string): Promise<void> {
  const counts = await rooms.participantCounts(workshopId);
  io.to(facilitatorsOf(workshopId)).emit('rooms:counts', { workshopId, counts });
}

/**
 * Runs a command and acknowledges it: `{ data }` on success, the AppError's code otherwise,
 * and a generic `internal` error (details only in the log) for anything unexpected.
 */
export function respond<T>(ack: unknown, logger: Logger, run: () => T): void {
  if (typeof ack !== 'function') return;
  const reply = ack as (reply: Ack<T>) => void;
  try {
    reply({ data: run() });
  } catch (error) {
    if (error instanceof AppError) {
      reply(errorBody(error.code, error.message));
      return;
    }
    logger.error('a control command failed', error);
    reply(errorBody('internal', 'Something went wrong on the server. Please try again.'));
  }
}
