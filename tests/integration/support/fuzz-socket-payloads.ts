import { LIMITS, PHASES, type CommandName } from '@goldthread/shared';
import type { Random } from './fuzz-random.js';

/** Real ids of the workshop under attack, so some random payloads hit real boards, rooms and cards. */
export interface FuzzTargets {
  boardIds: string[];
  roomIds: string[];
  /** `${roomId}/${cardId}` of existing cards. */
  cards: { roomId: string; cardId: string; boardId: string }[];
}

/** Event names a client might send that no handler listens for. */
export const UNKNOWN_EVENTS = [
  'nope',
  'card:add',
  'VOTE:CAST',
  'vote:cast ',
  'control:state',
  'votes:results',
  'server:restarting',
  'error',
  'constructor',
  '__proto__',
  'toString',
  'hasOwnProperty',
  'then',
  ':',
  'é',
  'x'.repeat(300)
] as const;

const NASTY_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', '', ' ', 'boardId', 'roomId', 'cardId', 'phase', 'ms', 'budget', 'kind', 'spotlight', 'data', 'error'];
const NASTY_NUMBERS = [0, -0, 1, -1, 0.5, 999, 1000, 1001, 20, 21, 3600_000, 3600_001, 4 * 3600_000, 2 ** 31, 2 ** 53, 2 ** 53 + 2, -(2 ** 53), 1e308, -1e308, Number.MAX_VALUE, Number.MIN_VALUE, Number.EPSILON];

/** A random JSON-ish value: primitives, strings of many kinds, arrays and objects with nasty keys. */
export function randomTree(random: Random, depth = 0): unknown {
  const kind = random.weighted({ primitive: 4, string: 3, array: depth < 4 ? 2 : 0, object: depth < 4 ? 3 : 0, id: 2 });
  switch (kind) {
    case 'primitive':
      return random.pick<unknown>([null, true, false, random.pick(NASTY_NUMBERS), random.float() * 1e6 - 5e5, random.int(100), NaN, Infinity]);
    case 'string':
      return randomString(random);
    case 'id':
      return random.pick(['a', 'x'.repeat(64), 'x'.repeat(65), '../etc/passwd', 'id:with:colons', '', ' ', 'null', '0']);
    case 'array':
      return Array.from({ length: random.int(6) }, () => randomTree(random, depth + 1));
    case 'object': {
      const object: Record<string, unknown> = {};
      for (let i = random.int(6); i > 0; i--) {
        object[random.chance(0.5) ? random.pick(NASTY_KEYS) : random.text(random.between(1, 12))] = randomTree(random, depth + 1);
      }
      // JSON.parse makes `__proto__` an own key, as the server's parser would.
      return random.chance(0.1) ? JSON.parse(`{"__proto__":${JSON.stringify({ polluted: true })},"boardId":"x"}`) : object;
    }
  }
}

/** Text from empty to large (well within the 256 KiB Socket.IO message limit). */
export function randomString(random: Random): string {
  const size = random.weighted({ empty: 1, short: 8, medium: 2, large: 0.3 });
  if (size === 'empty') return '';
  if (size === 'short') return random.text(random.between(1, 70));
  if (size === 'medium') return random.text(random.between(70, 2000));
  return 'y'.repeat(random.between(LIMITS.cardText, 100_000));
}

/** A well-formed payload for a command, naming real or unknown ids. */
export function validishPayload(random: Random, name: CommandName, targets: FuzzTargets): Record<string, unknown> {
  const boardId = random.chance(0.85) ? random.pick(targets.boardIds) : random.pick(['no-such-board', 'b'.repeat(64)]);
  const card = random.chance(0.8) && targets.cards.length > 0 ? random.pick(targets.cards) : { roomId: random.pick(targets.roomIds), cardId: 'no-such-card', boardId };
  const flag = random.chance(0.5);
  switch (name) {
    case 'session:get':
    case 'control:get':
    case 'timer:start':
    case 'timer:pause':
      return {};
    case 'phase:set':
      return { boardId, phase: random.pick(PHASES) };
    case 'board:private':
      return { boardId, private: flag };
    case 'board:reveal':
    case 'plenary:combine':
    case 'themes:compare':
      return { boardId };
    case 'board:lock':
      return { boardId, locked: flag };
    case 'board:focus':
      return { boardId: random.chance(0.3) ? null : boardId };
    case 'spotlight:set':
      return {
        spotlight: random.chance(0.3)
          ? null
          : random.chance(0.8)
            ? { kind: 'card', roomId: card.roomId, cardId: card.cardId }
            : { kind: 'theme', roomId: card.roomId, themeId: 'theme-1' }
      };
    case 'timer:set':
      return { durationMs: random.pick([1000, 60_000, 300_000, 4 * 3600_000]) };
    case 'timer:add':
      return { ms: random.pick([60_000, -60_000, 1000, -3600_000, 3600_000]) };
    case 'vote:configure': {
      const budget = random.between(1, 20);
      return { budget, perCardCap: random.chance(0.5) ? null : random.between(1, budget), hideUntilShown: flag };
    }
    case 'vote:cast':
    case 'vote:retract':
      return {
        boardId: random.chance(0.8) ? card.boardId : boardId,
        roomId: card.roomId,
        cardId: card.cardId,
        ...(random.chance(0.2) && { onBehalfOf: random.pick(['no-such-person', 'p'.repeat(12)]) })
      };
    case 'vote:results':
      return { boardId, shown: flag };
    case 'joining:set':
      return { open: flag };
    case 'participant:done':
      return { boardId, done: flag };
    default:
      // A command added after this generator: its payload is fuzzed as a random object.
      return { [random.pick(NASTY_KEYS)]: randomTree(random, 2) };
  }
}

/** A well-formed payload with one to three things wrong with it. */
export function mutatedPayload(random: Random, name: CommandName, targets: FuzzTargets): unknown {
  const payload: Record<string, unknown> = { ...validishPayload(random, name, targets) };
  for (let i = random.between(1, 3); i > 0; i--) {
    const keys = Object.keys(payload);
    const key = keys.length > 0 ? random.pick(keys) : random.pick(NASTY_KEYS);
    switch (random.weighted({ drop: 2, add: 2, retype: 4, number: 2, string: 1 })) {
      case 'drop':
        delete payload[key];
        break;
      case 'add':
        payload[random.pick(NASTY_KEYS)] = randomTree(random, 2);
        break;
      case 'retype':
        payload[key] = randomTree(random, 2);
        break;
      case 'number':
        payload[key] = random.pick(NASTY_NUMBERS);
        break;
      case 'string':
        payload[key] = randomString(random);
        break;
    }
  }
  return payload;
}

/** The largest emit generated: the server drops a connection whose message passes 256 KiB, which is not what is under test here. */
const MAX_EMIT_CHARS = 200_000;

/** The arguments of one emit (before any ack callback): from nothing to several odd values, within the message limit. */
export function randomArguments(random: Random, name: string, commands: readonly CommandName[], targets: FuzzTargets): unknown[] {
  const args = unboundedArguments(random, name, commands, targets);
  // Buffers travel as binary attachments; their JSON form overstates them, which only errs on the safe side.
  return (JSON.stringify(args)?.length ?? 0) <= MAX_EMIT_CHARS ? args : [random.pick(NASTY_NUMBERS)];
}

function unboundedArguments(random: Random, name: string, commands: readonly CommandName[], targets: FuzzTargets): unknown[] {
  const command = (commands as readonly string[]).includes(name) ? (name as CommandName) : random.pick(commands);
  switch (random.weighted({ valid: 2, mutated: 4, tree: 3, binary: 1, nested: 0.5, none: 0.5, several: 1 })) {
    case 'valid':
      return [validishPayload(random, command, targets)];
    case 'mutated':
      return [mutatedPayload(random, command, targets)];
    case 'tree':
      return [randomTree(random)];
    case 'binary': {
      const buffer = Buffer.from(random.bytes(random.int(8192)));
      return [random.chance(0.5) ? buffer : { boardId: buffer, data: [buffer, { deep: buffer }] }];
    }
    case 'nested': {
      let value: unknown = random.chance(0.5) ? [] : {};
      for (let i = random.between(20, 150); i > 0; i--) value = random.chance(0.5) ? [value] : { a: value };
      return [value];
    }
    case 'none':
      return [];
    case 'several':
      return Array.from({ length: random.between(2, 4) }, () => randomTree(random, 2));
  }
}
