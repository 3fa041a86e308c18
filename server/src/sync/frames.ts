import * as wsExports from 'ws';
import type { WebSocket } from 'ws';

/**
 * A room's edit goes to every connection in the room. `ws.send` frames the message again for each
 * socket and writes header and payload as two corked writes; building the frame once and writing it
 * whole costs 0.70× the CPU per delivery (`tsx bench/diagnose-ws-send.ts`: 7.7 against 11.2 µs,
 * 1,000 sockets). Socket.IO's broadcasts do the same (engine.io's `wsPreEncodedFrame`) through ws's
 * sender, the route ws's author pointed to for it (websockets/ws#617).
 */

/** Frames at most this large are one Buffer (one write); larger ones keep their payload uncopied. */
const ONE_WRITE_MAX_BYTES = 64 * 1024;

interface FrameOptions {
  fin: boolean;
  rsv1: boolean;
  opcode: number;
  mask: boolean;
  readOnly: boolean;
}
/** ws's frame builder (exported by ws, absent from its type definitions). */
const { Sender } = wsExports as unknown as { Sender: { frame(data: Buffer, options: FrameOptions): Buffer[] } };

/** The frame of each message sent so far, built by its first send and shared by every later one. */
const frames = new WeakMap<Uint8Array, Buffer[]>();

/** The binary, final, unmasked WebSocket frame for `message`, built once per message. */
export function frameOf(message: Uint8Array): Buffer[] {
  let frame = frames.get(message);
  if (!frame) {
    const payload = Buffer.isBuffer(message) ? message : Buffer.from(message.buffer, message.byteOffset, message.byteLength);
    const parts = Sender.frame(payload, {
      fin: true,
      rsv1: false,
      opcode: 2,
      mask: false,
      readOnly: false
    });
    frame = payload.byteLength <= ONE_WRITE_MAX_BYTES && parts.length > 1 ? [Buffer.concat(parts)] : parts;
    frames.set(message, frame);
  }
  return frame;
}

type FrameSender = { sendFrame(frame: Buffer[], callback?: (error?: Error) => void): void };

/**
 * The socket's frame writer, or null where prebuilt frames cannot be written: a compression
 * extension was negotiated (ws then queues frames while it deflates), or ws no longer has the
 * writer (another major version), in which case every send goes through `ws.send` as before.
 */
export function frameWriter(socket: WebSocket): FrameSender | null {
  const sender = (socket as unknown as { _sender?: Partial<FrameSender> })._sender;
  if (socket.extensions !== '' || typeof sender?.sendFrame !== 'function') return null;
  return sender as FrameSender;
}
