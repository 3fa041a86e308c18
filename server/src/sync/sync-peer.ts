import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import * as awarenessProtocol from 'y-protocols/awareness';
import type { WebSocket } from 'ws';
import { CLOSE_CODES, RATES, errorBody, isOwnPresence, type ErrorCode, type Role } from '@goldthread/shared';
import { TokenBucket } from '../limits/rate-limiter.js';
import { MESSAGE, encodeAwarenessMessage, encodeRefusalMessage, encodeSyncStep1 } from './messages.js';
import { ownPresence } from './own-presence.js';
import { frameOf, frameWriter } from './frames.js';
import { ForeignClientError, MissingDependencyError, RoomFullError, type Room, type RoomPeer } from '../rooms/room.js';
import type { Refusal } from '../rooms/write-rules.js';

/** Thrown for a message that breaks the protocol; the connection is closed, nothing applied. */
class ProtocolViolation extends Error {}

/** Thrown for a message over a size limit. */
class TooLarge extends Error {}

/**
 * One y-websocket connection. Messages that arrive before the room has loaded are queued
 * and handled, in order, once it has. Read-only peers may sync down but their writes are dropped.
 */
export class SyncPeer implements RoomPeer {
  readonly role: Role;
  readonly participantId: string | null;
  readonly name: string | null;
  readonly readOnly: boolean;
  readonly #socket: WebSocket;
  /** Writes prebuilt frames (see frames.ts); null falls back to `ws.send`. */
  readonly #frames: ReturnType<typeof frameWriter>;
  #room: Room | null = null;
  #queue: Uint8Array[] | null = [];
  #closed = false;
  readonly #messages = new TokenBucket(RATES.yjsMessagesBurst, RATES.yjsMessagesPerSecond);
  readonly #awareness = new TokenBucket(RATES.awarenessBurst, RATES.awarenessPerSecond);

  constructor(
    socket: WebSocket,
    options: { role: Role; participantId: string | null; name?: string | null; readOnly: boolean }
  ) {
    this.#socket = socket;
    this.#frames = frameWriter(socket);
    this.role = options.role;
    this.participantId = options.participantId;
    this.name = options.name ?? null;
    this.readOnly = options.readOnly;
  }

  /** Receives a raw websocket message. */
  receive(data: Uint8Array): void {
    if (this.#closed) return;
    if (!this.#messages.take()) {
      this.close(CLOSE_CODES.rateLimited, 'rate_limited', 'Too many messages; reconnecting shortly.');
      return;
    }
    if (this.#queue) {
      this.#queue.push(data);
      return;
    }
    this.#handle(data);
  }

  /** The room has loaded: greet the client, then replay what it sent meanwhile. */
  attach(room: Room): void {
    this.#room = room;
    this.send(encodeSyncStep1(room.doc));
    const present = [...room.awareness.getStates().keys()];
    if (present.length > 0) this.send(encodeAwarenessMessage(room.awareness, present));
    const queued = this.#queue ?? [];
    this.#queue = null;
    for (const data of queued) {
      if (this.#closed) break;
      this.#handle(data);
    }
  }

  /** Sends a message; one sent to many connections is framed once for all of them. */
  send(message: Uint8Array): void {
    if (this.#closed || this.#socket.readyState !== this.#socket.OPEN) return;
    if (this.#frames) this.#frames.sendFrame(frameOf(message), this.#afterSend);
    else this.#socket.send(message, this.#afterSend);
  }

  /** Tells this connection that its change was refused; the withdrawal has already been sent to it. */
  refused(refusal: Refusal): void {
    this.send(encodeRefusalMessage(refusal.code, refusal.message));
  }

  /** One callback for every send (a room's edit goes to every connection: no closure per message). */
  readonly #afterSend = (error?: Error) => {
    if (error) this.close(CLOSE_CODES.serverRestarting, 'unavailable', 'The connection failed; reconnecting.');
  };

  /** Closes with a named code and a short JSON error as the reason. */
  close(code: number, errorCode: ErrorCode, message: string): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#queue = null;
    // A close reason is limited to 123 bytes.
    let reason = JSON.stringify(errorBody(errorCode, message));
    if (Buffer.byteLength(reason) > 123) reason = JSON.stringify(errorBody(errorCode, message.slice(0, 60)));
    this.#socket.close(code, reason);
  }

  get closed(): boolean {
    return this.#closed;
  }

  #handle(data: Uint8Array): void {
    const room = this.#room;
    if (!room) return;
    try {
      const reply = this.#dispatch(room, data);
      if (reply) this.send(reply);
    } catch (error) {
      if (error instanceof TooLarge || error instanceof RoomFullError) {
        this.close(CLOSE_CODES.tooLarge, 'payload_too_large', error.message);
        return;
      }
      if (error instanceof ForeignClientError) {
        this.close(CLOSE_CODES.forbidden, 'forbidden', error.message);
        return;
      }
      const detail = error instanceof ProtocolViolation || error instanceof MissingDependencyError ? error.message : 'The message could not be decoded.';
      this.close(CLOSE_CODES.badMessage, 'bad_request', detail);
    }
  }

  #dispatch(room: Room, data: Uint8Array): Uint8Array | null {
    const decoder = decoding.createDecoder(data);
    const type = decoding.readVarUint(decoder);
    switch (type) {
      case MESSAGE.sync: {
        const encoder = encoding.createEncoder();
        encoding.writeVarUint(encoder, MESSAGE.sync);
        const subType = decoding.readVarUint(decoder);
        if (subType === syncProtocol.messageYjsSyncStep1) {
          // Answer with step 2: what the client lacks (shared by every client that arrives empty).
          const stateVector = decoding.readVarUint8Array(decoder);
          encoding.writeVarUint(encoder, syncProtocol.messageYjsSyncStep2);
          encoding.writeVarUint8Array(encoder, room.missingFor(stateVector));
        } else if (subType === syncProtocol.messageYjsSyncStep2 || subType === syncProtocol.messageYjsUpdate) {
          // Read-only connections may only read: their writes are dropped, unseen by anyone.
          const update = decoding.readVarUint8Array(decoder);
          if (!this.readOnly) room.applyFromPeer(update, this);
        } else {
          throw new ProtocolViolation(`Unknown sync message type ${subType}.`);
        }
        return encoding.length(encoder) > 1 ? encoding.toUint8Array(encoder) : null;
      }
      case MESSAGE.awareness: {
        // Only this connection's own presence counts; other people's, echoed back, is dropped, and
        // so is a state that is not exactly who this connection is (its name and role, a palette colour).
        const update = ownPresence(
          decoding.readVarUint8Array(decoder),
          (clientId) => room.mayPublishPresence(this, clientId),
          (state) => isOwnPresence(state, this)
        );
        if (!update) return null;
        if (update.length > RATES.awarenessBytes) throw new TooLarge('Presence updates are limited to 8 KiB.');
        // Presence is lossy by nature (the latest state wins, and clients re-send it): excess is dropped.
        if (this.#awareness.take()) awarenessProtocol.applyAwarenessUpdate(room.awareness, update, this);
        return null;
      }
      case MESSAGE.queryAwareness: {
        // Answered from the room's presence budget: a flood of queries is presence traffic too.
        const reply = encodeAwarenessMessage(room.awareness, [...room.awareness.getStates().keys()]);
        return room.spendPresenceBytes(reply.length) ? reply : null;
      }
      case MESSAGE.auth:
        // Authentication happens at the upgrade; the stock client never sends this.
        return null;
      default:
        throw new ProtocolViolation(`Unknown message type ${type}.`);
    }
  }
}
