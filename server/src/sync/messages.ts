import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import * as awarenessProtocol from 'y-protocols/awareness';
import type * as Y from 'yjs';
import { YJS_REFUSAL_MESSAGE, errorBody, type ErrorCode } from '@goldthread/shared';

/** Top-level message types of the y-websocket protocol. */
export const MESSAGE = {
  sync: 0,
  awareness: 1,
  auth: 2,
  queryAwareness: 3
} as const;

/**
 * The bytes as a Buffer over the same memory (no copy). Messages sent to many sockets are made
 * Buffers once: ws would otherwise wrap a Uint8Array in a new Buffer for every recipient.
 */
const asBuffer = (bytes: Uint8Array): Buffer => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/** A sync "update" message carrying one document update. */
export function encodeUpdateMessage(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE.sync);
  syncProtocol.writeUpdate(encoder, update);
  return asBuffer(encoding.toUint8Array(encoder));
}

/** The server's opening "sync step 1": its state vector, so the client sends what it has that we lack. */
export function encodeSyncStep1(doc: Y.Doc): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE.sync);
  syncProtocol.writeSyncStep1(encoder, doc);
  return encoding.toUint8Array(encoder);
}

/** An awareness message for the given clients. */
export function encodeAwarenessMessage(awareness: awarenessProtocol.Awareness, clients: number[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE.awareness);
  encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(awareness, clients));
  return asBuffer(encoding.toUint8Array(encoder));
}

/** Goldthread's refusal message (YJS_REFUSAL_MESSAGE): the sender's change was refused, and why. */
export function encodeRefusalMessage(code: ErrorCode, message: string): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, YJS_REFUSAL_MESSAGE);
  encoding.writeVarString(encoder, JSON.stringify(errorBody(code, message)));
  return encoding.toUint8Array(encoder);
}
