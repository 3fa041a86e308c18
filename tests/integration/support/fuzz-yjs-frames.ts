import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import { LIMITS, RATES, addCard } from '@goldthread/shared';
import type { Random } from './fuzz-random.js';

/** What the frame generator draws on: real traffic of the room under attack, to mutate. */
export interface FrameSources {
  /** Real document updates captured from a legitimate client of the room. */
  updates: Uint8Array[];
  boardIds: string[];
  /** The participant whose token the attacker holds (so some of its cards are its own). */
  authorId: string;
}

export const FRAME_KINDS = {
  randomBytes: 14,
  truncatedVarint: 7,
  hugeLength: 6,
  garbageStateVector: 9,
  validStep1: 5,
  mutatedUpdate: 16,
  ownCard: 2,
  forgedCard: 3,
  junkRoot: 2,
  awarenessGarbage: 9,
  awarenessValid: 3,
  awarenessTooLarge: 1,
  auth: 4,
  queryAwareness: 4,
  unknownType: 4,
  textFrame: 2,
  empty: 2
} as const;

export type FrameKind = keyof typeof FRAME_KINDS;

/** Kinds that (almost) always make the server close the connection; the others are usually handled and the connection lives on. */
export const FATAL_KINDS: ReadonlySet<FrameKind> = new Set(['randomBytes', 'truncatedVarint', 'hugeLength', 'awarenessTooLarge', 'unknownType', 'textFrame', 'empty']);

/** Kinds that ask the server for a sync step 2, which is how a client can tell they were handled. */
export const STEP1_KINDS: ReadonlySet<FrameKind> = new Set(['validStep1', 'garbageStateVector']);

const SYNC = 0;
const AWARENESS = 1;
const AUTH = 2;
const QUERY_AWARENESS = 3;

function message(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  write(encoder);
  return encoding.toUint8Array(encoder);
}

const syncMessage = (subType: number, payload: Uint8Array) =>
  message((e) => {
    encoding.writeVarUint(e, SYNC);
    encoding.writeVarUint(e, subType);
    encoding.writeVarUint8Array(e, payload);
  });

const awarenessMessage = (update: Uint8Array) =>
  message((e) => {
    encoding.writeVarUint(e, AWARENESS);
    encoding.writeVarUint8Array(e, update);
  });

/** One document update made on a scratch document. */
function updateOf(change: (doc: Y.Doc) => void): Uint8Array {
  const doc = new Y.Doc();
  change(doc);
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return update;
}

/** Flips, inserts, deletes, truncates or splices bytes of a real message. */
export function mutate(random: Random, original: Uint8Array, others: Uint8Array[]): Uint8Array {
  let bytes = Array.from(original);
  for (let i = random.between(1, 4); i > 0; i--) {
    const at = random.int(bytes.length + 1);
    switch (random.weighted({ flip: 5, set: 3, insert: 2, remove: 2, truncate: 1, splice: 1 })) {
      case 'flip':
        if (bytes.length > 0) bytes[at % bytes.length]! ^= 1 << random.int(8);
        break;
      case 'set':
        if (bytes.length > 0) bytes[at % bytes.length] = random.pick([0, 0x7f, 0x80, 0xff, random.int(256)]);
        break;
      case 'insert':
        bytes.splice(at, 0, ...random.bytes(random.between(1, 8)));
        break;
      case 'remove':
        bytes.splice(at, random.between(1, 8));
        break;
      case 'truncate':
        bytes = bytes.slice(0, at);
        break;
      case 'splice': {
        const other = others.length > 0 ? random.pick(others) : original;
        bytes = [...bytes.slice(0, at), ...Array.from(other.slice(random.int(other.length + 1)))];
        break;
      }
    }
  }
  return Uint8Array.from(bytes);
}

/** A state vector that decodes: client ids and clocks from zero to absurd. */
function oddStateVector(random: Random): Uint8Array {
  return message((e) => {
    const entries = random.int(6);
    encoding.writeVarUint(e, entries);
    for (let i = 0; i < entries; i++) {
      encoding.writeVarUint(e, random.pick([0, 1, random.int(2 ** 32), 2 ** 53 - 1]));
      encoding.writeVarUint(e, random.pick([0, 1, random.int(1000), 2 ** 31, 2 ** 53 - 1]));
    }
  });
}

/** An awareness update from a scratch client with a random id and state. */
function awarenessUpdate(random: Random, state: unknown): Uint8Array {
  const doc = new Y.Doc();
  doc.clientID = random.pick([random.int(2 ** 32), 0, 1, 2 ** 32 - 1]);
  const awareness = new awarenessProtocol.Awareness(doc);
  awareness.setLocalState(state as Record<string, unknown> | null);
  const update = awarenessProtocol.encodeAwarenessUpdate(awareness, [doc.clientID]);
  awareness.destroy();
  doc.destroy();
  return update;
}

/** A random frame of the given kind; strings go out as text frames. */
export function randomFrame(random: Random, kind: FrameKind, sources: FrameSources): Uint8Array | string {
  const board = () => random.pick(sources.boardIds);
  switch (kind) {
    case 'randomBytes':
      return random.bytes(random.chance(0.03) ? random.between(1000, 64 * 1024) : random.int(64));
    case 'truncatedVarint':
      return Uint8Array.from(
        random.pick([
          [0x80],
          [0xff, 0xff],
          [SYNC, 0x80],
          [SYNC, 2, 0xff, 0xff, 0xff],
          [AWARENESS, 0x81],
          [SYNC, 0, 0x80, 0x80],
          [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]
        ])
      );
    case 'hugeLength': {
      const length = random.pick([2 ** 31, 2 ** 32 - 1, 2 ** 40, 2 ** 53 - 1, LIMITS.yjsMessageBytes + 1, 65_536]);
      return message((e) => {
        const type = random.pick([SYNC, AWARENESS]);
        encoding.writeVarUint(e, type);
        if (type === SYNC) encoding.writeVarUint(e, random.pick([0, 1, 2]));
        encoding.writeVarUint(e, length);
        encoding.writeUint8Array(e, random.bytes(random.int(16)));
      });
    }
    case 'garbageStateVector':
      return syncMessage(0, random.chance(0.5) ? random.bytes(random.int(40)) : oddStateVector(random));
    case 'validStep1':
      return syncMessage(0, random.chance(0.5) ? Y.encodeStateVector(new Y.Doc()) : oddStateVector(random));
    case 'mutatedUpdate': {
      const real = random.pick(sources.updates);
      const mutated = mutate(random, random.chance(0.5) ? real : syncMessage(2, real), sources.updates);
      // Half are mutated inside a well-formed envelope, half mutate the envelope too.
      return random.chance(0.5) ? mutated : syncMessage(random.pick([1, 2]), mutate(random, real, sources.updates));
    }
    case 'ownCard':
      return syncMessage(2, updateOf((doc) => addCard(doc, { boardId: board(), text: random.text(random.int(80)), authorId: sources.authorId, authorName: 'Fuzz' })));
    case 'forgedCard':
      return syncMessage(
        random.pick([1, 2]),
        updateOf((doc) =>
          addCard(doc, { boardId: random.chance(0.5) ? board() : 'no-such-board', text: 'Forged', authorId: 'someone-else', authorName: 'Forger' })
        )
      );
    case 'junkRoot':
      return syncMessage(2, updateOf((doc) => doc.getMap(random.pick(['junk', 'cards-', 'control', ''])).set('x', random.text(random.int(200)))));
    case 'awarenessGarbage': {
      if (random.chance(0.4)) return awarenessMessage(random.bytes(random.int(64)));
      // Structurally an awareness update, with states that are not JSON, odd JSON or absurd numbers.
      return awarenessMessage(
        message((e) => {
          const count = random.pick([1, 2, 3, 2 ** 20]);
          encoding.writeVarUint(e, count);
          for (let i = 0; i < Math.min(count, 3); i++) {
            encoding.writeVarUint(e, random.int(2 ** 32));
            encoding.writeVarUint(e, random.pick([0, 1, 2 ** 53 - 1]));
            encoding.writeVarString(e, random.pick(['{', 'undefined', '{"user":', random.text(random.int(30)), '[[[[[[[[]]]]]]]]', '1e999', '"x"', 'null', '{"user":{"name":1}}']));
          }
        })
      );
    }
    case 'awarenessValid':
      return awarenessMessage(
        awarenessUpdate(
          random,
          random.pick<unknown>([
            { user: { id: sources.authorId, name: random.text(random.int(100)), role: 'participant', color: '#abc' } },
            { user: { id: 'x', name: 'Someone else', role: 'facilitator', color: 'red' } },
            { cursor: { x: random.float(), y: random.float() } },
            null
          ])
        )
      );
    case 'awarenessTooLarge':
      return awarenessMessage(awarenessUpdate(random, { user: { name: 'z'.repeat(RATES.awarenessBytes + 100) } }));
    case 'auth':
      return Uint8Array.from([AUTH, ...random.bytes(random.int(32))]);
    case 'queryAwareness':
      return Uint8Array.from([QUERY_AWARENESS, ...(random.chance(0.3) ? random.bytes(random.int(8)) : [])]);
    case 'unknownType':
      return random.chance(0.5)
        ? message((e) => {
            encoding.writeVarUint(e, random.between(4, 2 ** 20));
            encoding.writeUint8Array(e, random.bytes(random.int(16)));
          })
        : message((e) => {
            encoding.writeVarUint(e, SYNC);
            encoding.writeVarUint(e, random.between(3, 1000));
            encoding.writeUint8Array(e, random.bytes(random.int(16)));
          });
    case 'textFrame':
      return random.pick(['hello', '{"type":"sync"}', random.text(random.int(100))]);
    case 'empty':
      return new Uint8Array(0);
  }
}

/** A message type no protocol uses; the close it causes names it, which tells it from other closes. */
export const TERMINATOR_TYPE = 999_999_937;

/** A frame that always ends a connection (its message type is unknown): everything sent before it has been handled once the close arrives. */
export const TERMINATOR = message((e) => encoding.writeVarUint(e, TERMINATOR_TYPE));
