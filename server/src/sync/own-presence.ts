import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

/**
 * Keeps only the entries of an awareness update that `isOwn` accepts, without decoding any
 * state. The stock y-websocket client sends back every presence change it receives (everyone's
 * cursors), so most of what a browser sends is other people's presence echoed: it must neither
 * count against its own limits nor overwrite anyone else's. Returns null when nothing is left.
 * Throws on an update that is cut short.
 */
export function ownPresence(update: Uint8Array, isOwn: (clientId: number) => boolean): Uint8Array | null {
  const decoder = decoding.createDecoder(update);
  const count = decoding.readVarUint(decoder);
  const kept: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const start = decoder.pos;
    const clientId = decoding.readVarUint(decoder);
    decoding.readVarUint(decoder); // clock
    const length = decoding.readVarUint(decoder);
    if (decoder.pos + length > update.length) throw new RangeError('The presence update is cut short.');
    decoder.pos += length;
    if (isOwn(clientId)) kept.push(update.subarray(start, decoder.pos));
  }
  if (kept.length === 0) return null;
  if (kept.length === count) return update;
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, kept.length);
  for (const entry of kept) encoding.writeUint8Array(encoder, entry);
  return encoding.toUint8Array(encoder);
}
