import WebSocket from 'ws';
import * as encoding from 'lib0/encoding';
import { RATES } from '@goldthread/shared';
import { TERMINATOR } from './fuzz-yjs-frames.js';

/** One raw connection's frames, and where among them the frames that ask for a sync step 2 are. */
export interface SessionPlan {
  token: string;
  frames: (Uint8Array | string)[];
  step1At: number[];
  /** The client cuts the connection right after sending instead of sending the terminator. */
  cut: boolean;
  purpose: 'random' | 'flood' | 'oversized';
}

/** How one raw connection ended. */
export interface SessionEnd {
  code: number;
  reason: string;
  /** Sync step 2 replies received: each answers one step-1 frame, in order. */
  step2Replies: number;
}

/** Opens a raw websocket, sends the frames (then the terminator unless `cut`), and resolves with how it closed. */
export function runSession(url: string, plan: SessionPlan): Promise<SessionEnd> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    let step2Replies = 0;
    const timer = setTimeout(() => {
      socket.terminate();
      reject(new Error(`a session of ${plan.frames.length} frames got no close within 10 s`));
    }, 10_000);
    socket.on('unexpected-response', (_req, res) => {
      clearTimeout(timer);
      reject(new Error(`the upgrade was refused with ${res.statusCode}`));
    });
    socket.on('error', () => undefined); // the close that follows says what happened
    socket.on('message', (data: Buffer) => {
      if (data[0] === 0 && data[1] === 1) step2Replies++;
    });
    socket.on('open', () => {
      for (const frame of plan.frames) socket.send(frame);
      if (plan.cut) socket.terminate();
      else socket.send(TERMINATOR);
    });
    socket.on('close', (code, reason) => {
      clearTimeout(timer);
      resolve({ code, reason: reason.toString('utf8'), step2Replies });
    });
  });
}

/**
 * How many of a session's frames the server surely decoded: all of them when the terminator
 * closed it; otherwise those up to the last step-1 frame it answered, plus the one that closed it.
 */
export function decodedAtLeast(plan: SessionPlan, end: SessionEnd, byTerminator: boolean): number {
  if (plan.purpose === 'flood') return RATES.yjsMessagesBurst;
  if (byTerminator) return plan.frames.length;
  const lastAnswered = end.step2Replies > 0 ? plan.step1At[Math.min(end.step2Replies, plan.step1At.length) - 1]! : -1;
  return Math.min(plan.frames.length, lastAnswered + 1 + (plan.cut ? 0 : 1));
}

/** Runs tasks with at most `limit` at a time. */
export async function inPool<T>(tasks: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = [];
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const index = next++;
      results[index] = await tasks[index]!();
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
  return results;
}

/** A sync message (0 step 1, 1 step 2, 2 update) carrying `payload`. */
export function syncFrame(subType: number, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0);
  encoding.writeVarUint(encoder, subType);
  encoding.writeVarUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
}

/** A raw y-websocket connection for sending hand-made frames. */
export interface RawConnection {
  send(frame: Uint8Array): void;
  /** Resolves once the server has handled everything sent before: it answers a step 1 with a step 2, in order. */
  handled(): Promise<void>;
  /** Resolves with the close code and reason. */
  closed: Promise<{ code: number; reason: string }>;
  close(): void;
}

/** Opens a raw connection and resolves once it is open. */
export async function openRaw(url: string): Promise<RawConnection> {
  const socket = new WebSocket(url);
  const waiting: (() => void)[] = [];
  socket.on('message', (data: Buffer) => {
    if (data[0] === 0 && data[1] === 1) waiting.shift()?.();
  });
  socket.on('error', () => undefined);
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.on('close', (code, reason) => resolve({ code, reason: reason.toString('utf8') }))
  );
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('unexpected-response', (_req, res) => reject(new Error(`the upgrade was refused with ${res.statusCode}`)));
  });
  return {
    send: (frame) => socket.send(frame),
    handled: () =>
      new Promise<void>((resolve) => {
        waiting.push(resolve);
        socket.send(syncFrame(0, Uint8Array.of(0)));
      }),
    closed,
    close: () => socket.close()
  };
}
