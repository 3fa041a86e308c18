import WebSocket from 'ws';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import * as syncProtocol from 'y-protocols/sync';

/** A raw y-websocket connection that records every frame the server sends it, byte for byte. */
export interface FrameRecorder {
  socket: WebSocket;
  frames: Buffer[];
  /** Resolves once the socket is open and has asked for the whole document. */
  opened: Promise<void>;
  /** Whether any frame received so far contains `text` (as UTF-8). */
  saw(text: string): boolean;
  /** Resolves with the first frame `matches` accepts (frames already received included). */
  next(matches: (frame: Buffer) => boolean, timeoutMs?: number, what?: string): Promise<Buffer>;
  close(): void;
}

/** Opens `/yjs/<docName>?token=…` as a bare websocket that asks for everything and keeps what it gets. */
export function recordFrames(wsUrl: string, docName: string, token: string): FrameRecorder {
  const socket = new WebSocket(`${wsUrl}/${docName}?token=${encodeURIComponent(token)}`);
  const frames: Buffer[] = [];
  const waiters = new Set<(frame: Buffer) => void>();
  // A connection the server drops (or a server shutting down) is an outcome the test looks at, not a crash.
  socket.on('error', () => undefined);
  socket.on('message', (data: Buffer) => {
    frames.push(data);
    for (const waiter of [...waiters]) waiter(data);
  });
  const opened = new Promise<void>((resolve, reject) => {
    socket.once('open', () => {
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, 0);
      syncProtocol.writeSyncStep1(encoder, new Y.Doc());
      socket.send(encoding.toUint8Array(encoder));
      resolve();
    });
    socket.once('error', reject);
  });
  return {
    socket,
    frames,
    opened,
    saw: (text) => frames.some((frame) => frame.includes(Buffer.from(text, 'utf8'))),
    next(matches, timeoutMs = 5000, what = 'a frame') {
      const found = frames.find(matches);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
        }, timeoutMs);
        const waiter = (frame: Buffer) => {
          if (!matches(frame)) return;
          clearTimeout(timer);
          waiters.delete(waiter);
          resolve(frame);
        };
        waiters.add(waiter);
      });
    },
    close: () => socket.close()
  };
}

/** The message type of a y-websocket frame. */
export function messageType(frame: Buffer): number {
  return decoding.readVarUint(decoding.createDecoder(new Uint8Array(frame)));
}

/** The JSON payload of a Goldthread refusal frame. */
export function refusalOf(frame: Buffer): unknown {
  const decoder = decoding.createDecoder(new Uint8Array(frame));
  decoding.readVarUint(decoder);
  return JSON.parse(decoding.readVarString(decoder));
}
