import { io, type Socket } from 'socket.io-client';
import { SOCKET_PATH, type ClientToServerEvents, type ServerToClientEvents } from '@goldthread/shared';

export type ControlClient = Socket<ServerToClientEvents, ClientToServerEvents>;

/** The error a refused Socket.IO handshake reports, with the server's `data`. */
export type HandshakeRefusal = Error & { data?: unknown };

/**
 * A Socket.IO client as the web app opens it, without reconnection so a refusal is final.
 * `transports` pins a transport (the default starts on long-polling and upgrades to websocket).
 */
export function controlClient(url: string, auth?: Record<string, unknown>, transports?: ('polling' | 'websocket')[]): ControlClient {
  return io(url, {
    path: SOCKET_PATH,
    ...(auth !== undefined && { auth }),
    ...(transports !== undefined && { transports }),
    reconnection: false,
    forceNew: true,
    timeout: 5000
  });
}

/** Resolves once the client connected; rejects with the handshake refusal or after `timeoutMs`. */
export function connected(socket: ControlClient, timeoutMs = 5000): Promise<void> {
  return new Promise((resolve, reject) => {
    if (socket.connected) {
      resolve();
      return;
    }
    const timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting to connect`)), timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve();
    });
    socket.once('connect_error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

/** Resolves with the handshake refusal; rejects if the client connects instead, or after `timeoutMs`. */
export function refused(socket: ControlClient, timeoutMs = 5000): Promise<HandshakeRefusal> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for connect_error`)), timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      reject(new Error('the server accepted a connection it should have refused'));
    });
    socket.once('connect_error', (error) => {
      clearTimeout(timer);
      resolve(error as HandshakeRefusal);
    });
  });
}

/** Waits for a server event whose payload satisfies `matches`; fails after `timeoutMs` naming `what`. */
export function nextEvent<E extends keyof ServerToClientEvents>(
  socket: ControlClient,
  event: E,
  matches: (...args: Parameters<ServerToClientEvents[E]>) => boolean,
  timeoutMs = 5000,
  what: string = String(event)
): Promise<Parameters<ServerToClientEvents[E]>> {
  return new Promise((resolve, reject) => {
    const listener = (...args: Parameters<ServerToClientEvents[E]>) => {
      if (!matches(...args)) return;
      clearTimeout(timer);
      socket.off(event, listener as never);
      resolve(args);
    };
    const timer = setTimeout(() => {
      socket.off(event, listener as never);
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
    socket.on(event, listener as never);
  });
}
