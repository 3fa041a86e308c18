import v8 from 'node:v8';
import vm from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  CLIENT_OWNERS_KEY,
  CLOSE_CODES,
  RATES,
  SERVER_CLIENT_OWNER,
  addCard,
  cardsMap,
  commandSchemas,
  deleteCard,
  readCards,
  roomDocName,
  setCardText,
  type CommandName,
  type ErrorCode
} from '@goldthread/shared';
import { loadConfig } from '@goldthread/server';
import { createWorkshop, facilitatorToken, joinRoom, newServer, type TestServer } from './support/server.js';
import { connectProvider, waitForDoc, within, type ProviderClient } from './support/yjs-clients.js';
import { connected, controlClient, type ControlClient } from './support/control-client.js';
import {
  ackProblem,
  addCardOverHttp,
  command,
  commandWithin,
  controlView,
  dataOf,
  expectHealthy,
  projectorToken,
  record,
  WHO_MAY
} from './support/control-commands.js';
import { Random } from './support/fuzz-random.js';
import { UNKNOWN_EVENTS, randomArguments, type FuzzTargets } from './support/fuzz-socket-payloads.js';
import { FATAL_KINDS, FRAME_KINDS, STEP1_KINDS, TERMINATOR_TYPE, randomFrame, type FrameKind } from './support/fuzz-yjs-frames.js';
import { decodedAtLeast, inPool, openRaw, runSession, syncFrame, type SessionPlan } from './support/fuzz-yjs-sessions.js';

/** mulberry32: a tiny seeded PRNG, so a failing run can be replayed from the seed it printed. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEED = process.env.GOLDTHREAD_FUZZ_SEED ? Number(process.env.GOLDTHREAD_FUZZ_SEED) >>> 0 : (Date.now() ^ (process.pid << 12)) >>> 0;
console.log(`fuzz seed ${SEED} (replay with GOLDTHREAD_FUZZ_SEED=${SEED})`);

/**
 * A full garbage collection, so heap figures compare what is retained rather than what is
 * merely not yet collected: `global.gc` under --expose-gc, otherwise V8's gc exposed at run time.
 * Null when neither is possible; the bound on heap growth is then far more generous.
 */
const collectGarbage: (() => void) | null = (() => {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (typeof exposed === 'function') return exposed;
  try {
    v8.setFlagsFromString('--expose-gc');
    return vm.runInNewContext('gc') as () => void;
  } catch {
    return null;
  }
})();

function heapUsedMb(): number {
  collectGarbage?.();
  collectGarbage?.();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

/** Heap growth allowed across a storm: with a real gc, retained memory only; without, uncollected garbage too. */
const HEAP_GROWTH_LIMIT_MB = collectGarbage ? 64 : 200;

const COMMANDS = Object.keys(commandSchemas) as CommandName[];

/**
 * What a role must get for a command whatever the payload: `forbidden`, some refusal (the
 * facilitator votes only for someone without a device, and this run records no one), or null.
 */
function refusalFor(role: string, name: CommandName): 'forbidden' | 'refused' | null {
  const mayUse = WHO_MAY[name];
  if (mayUse === 'anyone' || mayUse === role || (mayUse === 'voter' && role === 'participant')) return null;
  return mayUse === 'voter' && role === 'facilitator' ? 'refused' : 'forbidden';
}

const servers: TestServer[] = [];
const sockets: ControlClient[] = [];
const providers: ProviderClient[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.disconnect();
  for (const client of providers.splice(0)) destroyQuietly(client);
  for (const server of servers.splice(0)) await server.close({ removeData: true });
});

/**
 * Destroys a client whose Yjs client id may have been reused by forged updates: y-websocket then
 * throws while saying goodbye (its presence entry is gone), which is not what these tests judge.
 */
function destroyQuietly(client: ProviderClient) {
  try {
    client.destroy();
  } catch (error) {
    console.log(`destroying a y-websocket client failed: ${String(error)}`);
  }
}

function openSocket(server: TestServer, token: string): ControlClient {
  const socket = controlClient(server.url, { token }, ['websocket']);
  sockets.push(socket);
  return socket;
}

function openProvider(server: TestServer, workshopId: string, roomId: string, token: string): ProviderClient {
  const client = connectProvider(server.wsUrl, workshopId, roomId, token);
  providers.push(client);
  return client;
}

const texts = (doc: Y.Doc) => readCards(doc).map((card) => card.text);

/** A card added on one client arrives at the other. */
async function cardTravels(from: ProviderClient, to: ProviderClient, boardId: string, authorId: string, text: string) {
  addCard(from.doc, { boardId, text, authorId, authorName: 'Checker' });
  await waitForDoc(to.doc, (doc) => texts(doc).includes(text), 5000, `"${text}" to arrive`);
}

const count = (tally: Record<string, number>, key: string | number) => (tally[key] = (tally[key] ?? 0) + 1);

describe('fuzzing the control channel', () => {
  it('12,000 random and malformed Socket.IO emits: every ack is well-formed and timely, roles hold, other workshops are untouched, memory stays bounded', async () => {
    const random = new Random(mulberry32(SEED));
    // Every emit must reach validation and the role checks, so the per-connection command rate
    // (tested in limits.test.ts) is lifted here: 2,000 emits a screen would otherwise be refused.
    const server = await newServer({ config: { rates: { ...loadConfig({}).rates, commandsBurst: 1_000_000 } } });
    servers.push(server);
    const target = await createWorkshop(server.url, { title: 'Under attack' });
    const bystander = await createWorkshop(server.url, { title: 'Bystander' });
    const [ann, ben, cy] = [
      await joinRoom(server.url, target, 'North', 'Ann'),
      await joinRoom(server.url, target, 'North', 'Ben'),
      await joinRoom(server.url, target, 'Central', 'Cy')
    ];
    const bea = await joinRoom(server.url, bystander, 'North', 'Bea');
    const targetFacilitator = await facilitatorToken(server.url, target);
    const bystanderFacilitator = await facilitatorToken(server.url, bystander);

    const targets: FuzzTargets = { boardIds: target.boards.map((b) => b.id), roomIds: target.rooms.map((r) => r.id), cards: [] };
    for (const [person, boardIndex] of [[ann, 0], [ann, 1], [ben, 0], [cy, 0], [cy, 2]] as const) {
      const card = await addCardOverHttp(server.url, target.id, person.roomId, person.token, target.boards[boardIndex]!.id, `Card of ${person.participantId}`);
      targets.cards.push({ roomId: person.roomId, cardId: card.id, boardId: card.boardId });
    }

    const attackers = [
      { role: 'facilitator', socket: openSocket(server, targetFacilitator) },
      { role: 'facilitator', socket: openSocket(server, targetFacilitator) },
      { role: 'participant', socket: openSocket(server, ann.token) },
      { role: 'participant', socket: openSocket(server, ben.token) },
      { role: 'participant', socket: openSocket(server, cy.token) },
      { role: 'projector', socket: openSocket(server, await projectorToken(server.url, target.id, targetFacilitator)) }
    ] as const;
    const bystanderScreens = [openSocket(server, bystanderFacilitator), openSocket(server, bea.token)] as const;
    await Promise.all([...attackers.map((a) => a.socket), ...bystanderScreens].map((socket) => connected(socket)));
    const disconnects: string[] = [];
    for (const { role, socket } of attackers) socket.on('disconnect', (reason) => disconnects.push(`${role}: ${reason}`));

    const north = bystander.rooms[0]!.id;
    const beaClient = openProvider(server, bystander.id, north, bea.token);
    const bystanderWatcher = openProvider(server, bystander.id, north, bystanderFacilitator);
    await within(Promise.all([beaClient.synced, bystanderWatcher.synced]), 5000, 'the bystander room to sync');

    const bystanderBefore = [await controlView(bystanderScreens[0]), await controlView(bystanderScreens[1])];
    const heardByBystanders = ['control:state', 'votes:results', 'done:counts', 'votes:mine'].flatMap((event) =>
      bystanderScreens.map((socket) => record(socket, event))
    );
    const heapBefore = heapUsedMb();
    const started = Date.now();

    const TOTAL = 12_000;
    const WAVE = 400;
    const stats = {
      emits: 0,
      acked: 0,
      fireAndForget: 0,
      unknownEvents: 0,
      data: 0,
      errors: {} as Record<string, number>,
      malformedAcks: [] as string[],
      timedOut: [] as string[],
      roleLeaks: [] as string[],
      internal: [] as string[],
      unknownAnswered: [] as string[]
    };
    const unknownAcks: Promise<void>[] = [];
    const summarise = (name: string, args: unknown[]) => `${name} ${JSON.stringify(args)?.slice(0, 200)}`;

    while (stats.emits < TOTAL) {
      const wave: Promise<void>[] = [];
      for (let i = 0; i < WAVE && stats.emits < TOTAL; i++) {
        const { role, socket } = random.pick(attackers);
        const known = random.chance(0.88);
        const name: string = known ? random.pick(COMMANDS) : random.pick(UNKNOWN_EVENTS);
        const args = randomArguments(random, name, COMMANDS, targets);
        stats.emits++;
        if (!known) {
          stats.unknownEvents++;
          // Nothing listens, so nothing may answer; a short timeout keeps the client from holding the ack forever.
          unknownAcks.push(
            commandWithin(1500, socket, name, ...args).then(
              (reply) => void stats.unknownAnswered.push(`${summarise(name, args)} -> ${JSON.stringify(reply)?.slice(0, 100)}`),
              () => undefined
            )
          );
          continue;
        }
        if (random.chance(0.15)) {
          stats.fireAndForget++;
          (socket as unknown as { emit: (...a: unknown[]) => void }).emit(name, ...args);
          continue;
        }
        stats.acked++;
        const sent = random.chance(0.1) ? [] : args;
        wave.push(
          commandWithin(10_000, socket, name, ...sent).then(
            (reply) => {
              const problem = ackProblem(reply);
              if (problem) {
                stats.malformedAcks.push(`${summarise(name, sent)}: ${problem}`);
                return;
              }
              if ('data' in (reply as object)) {
                stats.data++;
              } else {
                const code = (reply as { error: { code: ErrorCode } }).error.code;
                count(stats.errors, code);
                if (code === 'internal') stats.internal.push(summarise(name, sent));
              }
              const expected = refusalFor(role, name as CommandName);
              const code = (reply as { error?: { code: string } }).error?.code;
              if ((expected === 'forbidden' && code !== 'forbidden') || (expected === 'refused' && code === undefined)) {
                stats.roleLeaks.push(`${role} ${summarise(name, sent)} -> ${JSON.stringify(reply).slice(0, 100)}`);
              }
            },
            () => void stats.timedOut.push(`${role} ${summarise(name, sent)}`)
          )
        );
      }
      await Promise.all(wave);
    }
    await Promise.all(unknownAcks);
    const stormMs = Date.now() - started;

    console.log(
      `socket.io fuzz: ${stats.emits} emits in ${stormMs} ms — ${stats.acked} awaited acks (${stats.data} data, errors ${JSON.stringify(stats.errors)}), ` +
        `${stats.fireAndForget} without ack, ${stats.unknownEvents} to unknown event names; ` +
        `${stats.timedOut.length} timed out, ${stats.malformedAcks.length} malformed, ${stats.internal.length} internal, ${disconnects.length} disconnects`
    );
    expect(stats.emits).toBeGreaterThanOrEqual(10_000);
    expect(stats.timedOut).toEqual([]);
    expect(stats.malformedAcks).toEqual([]);
    expect(stats.internal).toEqual([]);
    expect(stats.roleLeaks).toEqual([]);
    expect(stats.unknownAnswered).toEqual([]);
    expect(disconnects).toEqual([]);
    await expectHealthy(server.url);

    // The workshop under attack still answers each of its screens.
    for (const { socket } of attackers) dataOf(await command(socket, 'control:get', {}));

    // The bystander workshop: same state, no event from the storm, and its room still syncs both ways.
    await Promise.all(bystanderScreens.map((socket) => command(socket, 'session:get', {})));
    expect(heardByBystanders.flat()).toEqual([]);
    expect([await controlView(bystanderScreens[0]), await controlView(bystanderScreens[1])]).toEqual(bystanderBefore);
    const board = bystander.boards[0]!.id;
    await cardTravels(beaClient, bystanderWatcher, board, bea.participantId, 'Bea, after the storm');
    await cardTravels(bystanderWatcher, beaClient, board, 'facilitator', 'Facilitator, after the storm');

    const heapAfter = heapUsedMb();
    console.log(
      `socket.io fuzz heap: ${heapBefore.toFixed(1)} MB before, ${heapAfter.toFixed(1)} MB after (${collectGarbage ? 'after a full gc' : 'no gc available'}; limit +${HEAP_GROWTH_LIMIT_MB} MB)`
    );
    expect(heapAfter - heapBefore).toBeLessThan(HEAP_GROWTH_LIMIT_MB);
  }, 90_000);
});

describe('fuzzing the Yjs socket', () => {
  it('12,000 random and mutated frames on raw connections: the server closes them with named codes, stays up, other rooms and the attacked room still sync, memory stays bounded', async () => {
    const random = new Random(mulberry32(SEED ^ 0x9e3779b9));
    let server = await newServer();
    servers.push(server);
    const workshop = await createWorkshop(server.url, { title: 'Yjs under attack' });
    const [north, central] = [workshop.rooms[0]!.id, workshop.rooms[1]!.id];
    const [pia, fuzzer, cy] = [
      await joinRoom(server.url, workshop, 'North', 'Pia'),
      await joinRoom(server.url, workshop, 'North', 'Fuzzer'),
      await joinRoom(server.url, workshop, 'Central', 'Cy')
    ];
    const facilitator = await facilitatorToken(server.url, workshop);
    const projector = await projectorToken(server.url, workshop.id, facilitator);
    const boardIds = workshop.boards.map((b) => b.id);

    const piaClient = openProvider(server, workshop.id, north, pia.token);
    const northWatcher = openProvider(server, workshop.id, north, facilitator);
    const cyClient = openProvider(server, workshop.id, central, cy.token);
    const centralWatcher = openProvider(server, workshop.id, central, facilitator);
    await within(Promise.all([piaClient, northWatcher, cyClient, centralWatcher].map((c) => c.synced)), 5000, 'sync');

    // Real traffic of the attacked room, to mutate: Pia's own edits as they went out.
    const updates: Uint8Array[] = [];
    piaClient.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== piaClient.provider) updates.push(update);
    });
    const ids = ['Bus route', 'Youth club', 'Market day', 'Library hours', 'Bike lanes', 'Draft'].map((text, i) =>
      addCard(piaClient.doc, { boardId: boardIds[i % boardIds.length]!, text, authorId: pia.participantId, authorName: 'Pia' })
    );
    setCardText(piaClient.doc, ids[0]!, 'Bus route to the hospital');
    deleteCard(piaClient.doc, ids[5]!);
    const piaCards = ['Bus route to the hospital', 'Youth club', 'Market day', 'Library hours', 'Bike lanes'];
    await waitForDoc(northWatcher.doc, (doc) => [...texts(doc)].sort().join() === [...piaCards].sort().join(), 5000, "Pia's cards at the watcher");

    const heapBefore = heapUsedMb();
    const started = Date.now();
    const sources = { updates, boardIds, authorId: fuzzer.participantId };
    const url = (token: string) => `${server.wsUrl}/${roomDocName(workshop.id, north)}?token=${encodeURIComponent(token)}`;

    // Sessions of random frames, mostly as a participant of the room (the projector's writes are dropped anyway).
    // The facilitator may write anything by design, so its garbage is no attack and is left out.
    // Kinds that always end a connection mostly come last, so more of each session is decoded; a
    // step 1 just before the last frame shows (by its reply) that everything before it was handled.
    const TOTAL = 12_000;
    const weights = (fatal: number) =>
      Object.fromEntries(Object.entries(FRAME_KINDS).map(([kind, weight]) => [kind, FATAL_KINDS.has(kind as FrameKind) ? weight * fatal : weight])) as Record<FrameKind, number>;
    const [middle, last] = [weights(0.08), Object.fromEntries([...FATAL_KINDS].map((kind) => [kind, FRAME_KINDS[kind]])) as Record<FrameKind, number>];
    const framesByKind: Record<string, number> = {};
    const sessions: SessionPlan[] = [];
    let planned = 0;
    while (planned < TOTAL) {
      const kinds = Array.from({ length: random.between(1, 28) }, () => random.weighted(middle));
      kinds.push('validStep1');
      if (random.chance(0.85)) kinds.push(random.weighted(last));
      for (const kind of kinds) count(framesByKind, kind);
      planned += kinds.length;
      sessions.push({
        token: random.chance(0.9) ? fuzzer.token : projector,
        frames: kinds.map((kind) => randomFrame(random, kind, sources)),
        step1At: kinds.flatMap((kind, i) => (STEP1_KINDS.has(kind) ? [i] : [])),
        cut: random.chance(0.02),
        purpose: 'random'
      });
    }
    // A few floods past the message rate, and a few frames past the size limit.
    for (let i = 0; i < 4; i++) {
      const frames = Array.from({ length: RATES.yjsMessagesBurst * 2 }, () => Uint8Array.from([2]));
      sessions.push({ token: fuzzer.token, frames, step1At: [], cut: false, purpose: 'flood' });
    }
    for (let i = 0; i < 2; i++) {
      sessions.push({ token: fuzzer.token, frames: [random.bytes(1024 * 1024 + 10)], step1At: [], cut: false, purpose: 'oversized' });
    }
    const ends = await inPool(
      sessions.map((plan) => () => runSession(url(plan.token), plan)),
      16
    );

    const closes: Record<string, number> = {};
    let terminated = 0;
    let decoded = 0;
    let sent = 0;
    ends.forEach((end, i) => {
      const plan = sessions[i]!;
      sent += plan.frames.length;
      const byTerminator = end.code === CLOSE_CODES.badMessage && end.reason.includes(String(TERMINATOR_TYPE));
      if (byTerminator) terminated++;
      else count(closes, `${end.code}${plan.cut ? ' (cut by the client)' : ''}`);
      decoded += decodedAtLeast(plan, end, byTerminator);
    });
    const stormMs = Date.now() - started;
    console.log(
      `yjs fuzz: ${sent} frames in ${sessions.length} connections in ${stormMs} ms (at least ${decoded} decoded by the server); ` +
        `frames by kind ${JSON.stringify(framesByKind)}; ${terminated} connections lived to the terminator; other closes by code ${JSON.stringify(closes)}`
    );
    expect(sent).toBeGreaterThanOrEqual(10_000);
    // Every close is one of the named codes (or the websocket library's own 1009 for an oversized frame, or our own cut).
    const allowed = new Set<string>([
      String(CLOSE_CODES.badMessage),
      String(CLOSE_CODES.tooLarge),
      String(CLOSE_CODES.rateLimited),
      // A forged card written under another client's Yjs id is refused before it is applied.
      String(CLOSE_CODES.forbidden),
      '1009',
      '1006 (cut by the client)'
    ]);
    expect(Object.keys(closes).filter((code) => !allowed.has(code))).toEqual([]);
    expect(closes[String(CLOSE_CODES.rateLimited)]).toBeGreaterThanOrEqual(4);
    expect(closes['1009']).toBe(2);

    await expectHealthy(server.url);
    // Every attacking connection has left the room: only Pia and the watcher remain.
    const room = await server.server.rooms.loaded(workshop.id, north)!;
    const deadline = Date.now() + 5000;
    while (room.peers.size > 2 && Date.now() < deadline) await new Promise((resolve) => setImmediate(resolve));
    expect(room.peers.size).toBe(2);
    console.log(
      `yjs fuzz room: ${Y.encodeStateAsUpdate(room.doc).length} bytes of document, ${readCards(room.doc).length} cards, ` +
        `${room.awareness.getStates().size} presence states, pending structs: ${room.doc.store.pendingStructs ? 'yes' : 'no'}`
    );

    // The bystander room syncs both ways.
    await cardTravels(cyClient, centralWatcher, boardIds[0]!, cy.participantId, 'Cy, after the storm');
    await cardTravels(centralWatcher, cyClient, boardIds[0]!, 'facilitator', 'Facilitator in Central, after the storm');

    // The attacked room, on the server: its state still decodes, and Pia's cards are as she left them
    // (no participant may change another's cards, however the change is wrapped).
    const piasOn = (doc: Y.Doc) => readCards(doc).filter((card) => card.authorId === pia.participantId).map((card) => card.text).sort();
    expect(() => Y.applyUpdate(new Y.Doc(), Y.encodeStateAsUpdate(room.doc)), 'the attacked room’s state decodes').not.toThrow();
    expect.soft(piasOn(room.doc), "Pia's cards on the server").toEqual([...piaCards].sort());
    expect.soft(piasOn(piaClient.doc), "Pia's cards at Pia").toEqual([...piaCards].sort());

    // A newcomer loads the attacked room, and edits travel both ways.
    const quinn = await joinRoom(server.url, workshop, 'North', 'Quinn');
    const quinnClient = openProvider(server, workshop.id, north, quinn.token);
    await within(quinnClient.synced, 5000, 'a newcomer to sync the attacked room');
    expect.soft(piasOn(quinnClient.doc), "Pia's cards at a newcomer").toEqual(piasOn(room.doc));
    await cardTravels(quinnClient, piaClient, boardIds[1]!, quinn.participantId, 'Quinn, after the storm');
    await cardTravels(piaClient, quinnClient, boardIds[2]!, pia.participantId, 'Pia, after the storm');

    const heapAfter = heapUsedMb();
    console.log(
      `yjs fuzz heap: ${heapBefore.toFixed(1)} MB before, ${heapAfter.toFixed(1)} MB after (${collectGarbage ? 'after a full gc' : 'no gc available'}; limit +${HEAP_GROWTH_LIMIT_MB} MB)`
    );
    expect(heapAfter - heapBefore).toBeLessThan(HEAP_GROWTH_LIMIT_MB);

    // After a restart the attacked room still loads from disk, with every card it had.
    const kept = [...texts(room.doc)].sort();
    for (const client of providers.splice(0)) destroyQuietly(client);
    await server.close();
    server = await newServer({ dataDir: server.dataDir });
    servers.splice(0, servers.length, server);
    const reader = openProvider(server, workshop.id, north, facilitator);
    await waitForDoc(reader.doc, (doc) => [...texts(doc)].sort().join('\n') === kept.join('\n'), 5000, 'the attacked room after a restart');
  }, 90_000);
});

describe('what the fuzzer found, pinned as plain tests', () => {
  /** A room where Ada has a card, with Ada's client and a watching facilitator; Ben holds a raw connection's token. */
  async function roomWithAdasCard() {
    const server = await newServer();
    servers.push(server);
    const workshop = await createWorkshop(server.url);
    const [ada, ben] = [await joinRoom(server.url, workshop, 'North', 'Ada'), await joinRoom(server.url, workshop, 'North', 'Ben')];
    const north = workshop.rooms[0]!.id;
    const facilitator = await facilitatorToken(server.url, workshop);
    const adaClient = openProvider(server, workshop.id, north, ada.token);
    const watcher = openProvider(server, workshop.id, north, facilitator);
    await within(Promise.all([adaClient.synced, watcher.synced]), 5000, 'sync');
    const boardId = workshop.boards[0]!.id;
    const cardId = addCard(adaClient.doc, { boardId, text: 'Ada wrote this', authorId: ada.participantId, authorName: 'Ada' });
    await waitForDoc(watcher.doc, (doc) => texts(doc).includes('Ada wrote this'), 5000, "Ada's card at the watcher");
    const url = `${server.wsUrl}/${roomDocName(workshop.id, north)}?token=${encodeURIComponent(ben.token)}`;
    const newcomer = async () => {
      const client = openProvider(server, workshop.id, north, facilitator);
      await within(client.synced, 5000, 'a newcomer to sync');
      return client;
    };
    return { server, workshop, north, facilitator, ada, ben, adaClient, watcher, boardId, cardId, url, newcomer };
  }

  it.each([
    ['rewrites the text of', (doc: Y.Doc, id: string) => void setCardText(doc, id, 'Hijacked by Ben')],
    ['replaces', (doc: Y.Doc, id: string) => void cardsMap(doc).set(id, new Y.Map())]
  ])("a participant's change that %s someone else's card stays refused when its update is one byte short", async (_what, change) => {
    const { ada, adaClient, watcher, boardId, cardId, url, newcomer } = await roomWithAdasCard();
    const bens = new Y.Doc();
    Y.applyUpdate(bens, Y.encodeStateAsUpdate(watcher.doc));
    const updates: Uint8Array[] = [];
    bens.on('update', (update: Uint8Array) => updates.push(update));
    change(bens, cardId);
    // Without its last byte the update's structs decode, and then its delete set does not.
    const cut = Y.mergeUpdates(updates).slice(0, -1);

    const raw = await openRaw(url);
    raw.send(syncFrame(2, cut));
    expect((await within(raw.closed, 5000, 'the server to close the connection')).code).toBe(CLOSE_CODES.badMessage);
    // A later card of Ada's reaches the watcher, so whatever the server sent before has arrived too.
    await cardTravels(adaClient, watcher, boardId, ada.participantId, 'After the attempt');
    const late = await newcomer();
    for (const [who, doc] of [['the watcher', watcher.doc], ['Ada', adaClient.doc], ['a newcomer', late.doc]] as const) {
      expect.soft(readCards(doc).find((card) => card.id === cardId)?.text, `Ada's card at ${who}`).toBe('Ada wrote this');
    }
  });

  it("an update parked for a missing dependency cannot sink another participant's next change", async () => {
    const { ada, adaClient, watcher, boardId, url, newcomer } = await roomWithAdasCard();
    // Ada's next struct id is public (her client id and clock are in every state vector). Ben writes
    // an entry whose left origin is that future struct, and sends only his own part.
    const future = new Y.Doc();
    Y.applyUpdate(future, Y.encodeStateAsUpdate(watcher.doc));
    future.clientID = adaClient.doc.clientID;
    cardsMap(future).set('next', new Y.Map());
    const bens = new Y.Doc();
    Y.applyUpdate(bens, Y.encodeStateAsUpdate(future));
    const before = Y.encodeStateVector(bens);
    (bens.getMap('cards') as Y.Map<unknown>).set('next', 'Ben was here');
    const raw = await openRaw(url);
    raw.send(syncFrame(2, Y.encodeStateAsUpdate(bens, before)));
    // The server may keep the connection (and must then not let the parked part judge Ada), or close it.
    await within(Promise.race([raw.handled(), raw.closed]), 5000, 'the server to handle the parked update');

    addCard(adaClient.doc, { boardId, text: 'Ada’s next card', authorId: ada.participantId, authorName: 'Ada' });
    await waitForDoc(watcher.doc, (doc) => texts(doc).includes('Ada’s next card'), 5000, "Ada's next card at the watcher");
    expect(texts((await newcomer()).doc).sort()).toEqual(['Ada wrote this', 'Ada’s next card']);
    raw.close();
  });

  it("a participant cannot write under the server's own Yjs client id (its claims and reverts are written under it)", async () => {
    const { ben, adaClient, watcher, boardId, url, newcomer } = await roomWithAdasCard();
    // The server's id is in every state vector once its claim for Ada's client id has gone out.
    const serverIds = () =>
      [...Y.decodeStateVector(Y.encodeStateVector(watcher.doc)).keys()].filter((id) => id !== adaClient.doc.clientID && id !== watcher.doc.clientID);
    await waitForDoc(watcher.doc, () => serverIds().length > 0, 5000, "the server's claim at the watcher");
    const forged = new Y.Doc();
    Y.applyUpdate(forged, Y.encodeStateAsUpdate(watcher.doc));
    const before = Y.encodeStateVector(forged);
    forged.clientID = serverIds()[0]!;
    addCard(forged, { boardId, text: 'Ben, as the server', authorId: ben.participantId, authorName: 'Ben' });
    const raw = await openRaw(url);
    raw.send(syncFrame(2, Y.encodeStateAsUpdate(forged, before)));
    const { code } = await within(raw.closed, 5000, 'the server to close the connection');
    expect(code).toBeGreaterThanOrEqual(4000);
    const late = await newcomer();
    expect(texts(late.doc)).not.toContain('Ben, as the server');
    expect(texts(late.doc)).toContain('Ada wrote this');
  });

  it('nor under a client id the server wrote under before it restarted (each start writes under a new one)', async () => {
    const { server, workshop, north, facilitator, ben, adaClient, watcher, boardId } = await roomWithAdasCard();
    const serverOwned = (doc: Y.Doc) =>
      [...doc.getMap<string>(CLIENT_OWNERS_KEY).entries()].filter(([, owner]) => owner === SERVER_CLIENT_OWNER).map(([id]) => Number(id));
    // The server's claim for Ada's client id also records its own id as the server's.
    await waitForDoc(watcher.doc, (doc) => serverOwned(doc).length === 1, 5000, "the server's id recorded at the watcher");
    const [earlier] = serverOwned(watcher.doc);
    expect(Y.decodeStateVector(Y.encodeStateVector(watcher.doc)).get(earlier!)).toBeGreaterThan(0);

    destroyQuietly(adaClient);
    destroyQuietly(watcher);
    await server.close();
    servers.splice(servers.indexOf(server), 1);
    const restarted = await newServer({ dataDir: server.dataDir });
    servers.push(restarted);
    const reader = openProvider(restarted, workshop.id, north, facilitator);
    await within(reader.synced, 5000, 'a reader to sync after the restart');
    expect(serverOwned(reader.doc)).toContain(earlier);

    // Ben continues the earlier server id's clock: his struct would look like the server's next.
    const forged = new Y.Doc();
    Y.applyUpdate(forged, Y.encodeStateAsUpdate(reader.doc));
    const before = Y.encodeStateVector(forged);
    forged.clientID = earlier!;
    addCard(forged, { boardId, text: 'Ben, as the server was', authorId: ben.participantId, authorName: 'Ben' });
    const raw = await openRaw(`${restarted.wsUrl}/${roomDocName(workshop.id, north)}?token=${encodeURIComponent(ben.token)}`);
    raw.send(syncFrame(2, Y.encodeStateAsUpdate(forged, before)));
    const { code } = await within(raw.closed, 5000, 'the server to close the connection');
    expect(code).toBeGreaterThanOrEqual(4000);
    const late = openProvider(restarted, workshop.id, north, facilitator);
    await within(late.synced, 5000, 'a newcomer to sync');
    expect(texts(late.doc)).toEqual(['Ada wrote this']);
  });

  it("a participant cannot write under another participant's Yjs client id, so edits made offline still arrive", async () => {
    const { ada, adaClient, watcher, boardId, url } = await roomWithAdasCard();
    const offline = new Promise<void>((resolve) =>
      adaClient.provider.on('status', ({ status }: { status: string }) => status === 'disconnected' && resolve())
    );
    adaClient.provider.disconnect();
    await within(offline, 5000, 'Ada to go offline');
    addCard(adaClient.doc, { boardId, text: 'Written offline', authorId: ada.participantId, authorName: 'Ada' });

    // Ben writes a card under Ada's client id (public in every state vector) at her next clock. The
    // rules refuse it (it is in nobody's name), but its ids are Ada's own next ids all the same.
    const forged = new Y.Doc();
    Y.applyUpdate(forged, Y.encodeStateAsUpdate(watcher.doc));
    const before = Y.encodeStateVector(forged);
    forged.clientID = adaClient.doc.clientID;
    addCard(forged, { boardId, text: 'Ben, under Ada’s id', authorId: 'nobody', authorName: 'Ben' });
    const raw = await openRaw(url);
    raw.send(syncFrame(2, Y.encodeStateAsUpdate(forged, before)));
    await within(Promise.race([raw.handled(), raw.closed]), 5000, 'the server to handle the forged update');

    adaClient.provider.connect();
    await waitForDoc(watcher.doc, (doc) => texts(doc).includes('Written offline'), 5000, "Ada's offline card at the watcher");
    expect(texts(adaClient.doc)).toContain('Written offline');
    raw.close();
  });
});
