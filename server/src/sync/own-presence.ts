import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Reads one entry's JSON state; anything that does not decode is `undefined` (never allowed). */
function readState(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(utf8.decode(bytes));
  } catch {
    return undefined;
  }
}

/**
 * Keeps only the entries of an awareness update that `isOwn` accepts (by client id) and whose
 * state `allowed` accepts (a removal, state `null`, always is); states are decoded only for
 * entries `isOwn` kept. The stock y-websocket client sends back every presence change it receives (everyone's
 * cursors), so most of what a browser sends is other people's presence echoed: it must neither
 * count against its own limits nor overwrite anyone else's. Returns null when nothing is left.
 * Throws on an update that is cut short.
 */
export function ownPresence(
  update: Uint8Array,
  isOwn: (clientId: number) => boolean,
  allowed: (state: unknown) => boolean = () => true
): Uint8Array | null {
  const decoder = decoding.createDecoder(update);
  const count = decoding.readVarUint(decoder);
  const kept: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const start = decoder.pos;
    const clientId = decoding.readVarUint(decoder);
    decoding.readVarUint(decoder); // clock
    const length = decoding.readVarUint(decoder);
    if (decoder.pos + length > update.length) throw new RangeError('The presence update is cut short.');
    const state = update.subarray(decoder.pos, decoder.pos + length);
    decoder.pos += length;
    if (!isOwn(clientId)) continue;
    const value = readState(state);
    if (value === null || allowed(value)) kept.push(update.subarray(start, decoder.pos));
  }
  if (kept.length === 0) return null;
  if (kept.length === count) return update;
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, kept.length);
  for (const entry of kept) encoding.writeUint8Array(encoder, entry);
  return encoding.toUint8Array(encoder);
}
