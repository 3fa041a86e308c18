import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness';
import { PRESENCE_COLOURS, addCard, cardsMap } from '@goldthread/shared';
import {
  CARD_PREFIX,
  wallClockMs,
  type ClientSpec,
  type CollectResult,
  type ConnectResult,
  type ControllerMessage,
  type GeneratorStall,
  type WorkerMessage
} from './protocol.js';

/**
 * One load-generator process: a few hundred real Yjs clients (Y.Doc + the stock y-websocket
 * WebsocketProvider over `ws`), driven by the controller over IPC.
 */

interface Client {
  spec: ClientSpec;
  doc: Y.Doc;
  provider: WebsocketProvider;
  /** Bench cards received from others, per tag. */
  received: Map<string, number>;
}

const clients = new Map<number, Client>();
/** Protocol-level clients' sockets. */
const sockets = new Set<WebSocket>();
/** Protocol-level clients' received bench cards: key -> tag -> card ids ("writer|n"). */
const bareReceived = new Map<number, Map<string, Set<string>>>();
/** Protocol-level clients that publish presence: their awareness and socket. */
const bareAwareness = new Map<number, { awareness: Awareness; socket: WebSocket }>();
/** Latencies seen by stock providers only (the others' are in `latencies` too). */
const providerLatencies = new Map<string, number[]>();
const latencies = new Map<string, number[]>();
/** Per tag, each card's send time -> its latest arrival at any client of this worker. */
const lastArrivals = new Map<string, Map<number, number>>();
let disconnects = 0;
let errors = 0;
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();

/** A 10 ms timer firing this late is a stall (see GeneratorStall); stalls and GC pauses are kept per measured window. */
const STALL_TICK_MS = 10;
const STALL_MS = 40;
let stalls: Array<{ startMs: number; endMs: number }> = [];
let gcPauses: Array<{ startMs: number; ms: number }> = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) gcPauses.push({ startMs: entry.startTime, ms: entry.duration });
}).observe({ entryTypes: ['gc'] });
let lastTick = performance.now();
setInterval(() => {
  const now = performance.now();
  if (now - lastTick - STALL_TICK_MS >= STALL_MS) stalls.push({ startMs: lastTick, endMs: now });
  lastTick = now;
}, STALL_TICK_MS).unref();

function startMeasuring(): void {
  loopDelay.reset();
  stalls = [];
  gcPauses = [];
}

function stallsSoFar(): GeneratorStall[] {
  return stalls.map(({ startMs, endMs }) => ({
    at: performance.timeOrigin + startMs,
    ms: endMs - startMs - STALL_TICK_MS,
    gcMs: gcPauses.reduce((sum, gc) => sum + Math.max(0, Math.min(endMs, gc.startMs + gc.ms) - Math.max(startMs, gc.startMs)), 0)
  }));
}

const reply = (message: WorkerMessage) => process.send!(message);
// Each stock provider adds a process 'exit' listener; hundreds are expected here.
process.setMaxListeners(0);

/**
 * The stock client drops a connection on which nothing arrived for 30 s (it expects presence
 * renewals, which a benchmark client that publishes none never gets). Idle clients waiting for
 * a scenario to start would reconnect, so the watchdog is fed here; a dead socket still closes.
 */
const watchdog = setInterval(() => {
  const now = Date.now();
  for (const { provider } of clients.values()) if (provider.wsconnected) provider.wsLastMessageReceived = now;
}, 5000);

function observeCards(client: Client): void {
  cardsMap(client.doc).observe((event) => {
    if (event.transaction.local) return;
    const now = wallClockMs();
    for (const [id, change] of event.changes.keys) {
      if (change.action !== 'add') continue;
      const text = cardsMap(client.doc).get(id)?.get('text');
      const value = text instanceof Y.Text ? text.toString() : typeof text === 'string' ? text : '';
      if (!value.startsWith(CARD_PREFIX)) continue;
      const [, tag, sentAt] = value.split('|');
      if (!tag || !sentAt) continue;
      client.received.set(tag, (client.received.get(tag) ?? 0) + 1);
      record(latencies, tag, now - Number(sentAt));
      record(providerLatencies, tag, now - Number(sentAt));
      noteArrival(tag, Number(sentAt), now);
    }
  });
}

function record(into: Map<string, number[]>, tag: string, ms: number): void {
  let list = into.get(tag);
  if (!list) into.set(tag, (list = []));
  list.push(ms);
}

function noteArrival(tag: string, sentAt: number, now: number): void {
  let cards = lastArrivals.get(tag);
  if (!cards) lastArrivals.set(tag, (cards = new Map()));
  cards.set(sentAt, Math.max(cards.get(sentAt) ?? 0, now - sentAt));
}

const MARKER = Buffer.from(CARD_PREFIX);

/**
 * Finds the bench cards in a raw sync message without decoding it: Yjs writes a card's text as
 * a length-prefixed UTF-8 string, and bench texts are shorter than 128 bytes (one length byte).
 */
function scanForCards(key: number, data: Buffer): void {
  const now = wallClockMs();
  for (let at = data.indexOf(MARKER); at > 0; at = data.indexOf(MARKER, at + MARKER.length)) {
    const length = data[at - 1]!;
    if (length >= 128 || at + length > data.length) continue;
    const [, tag, sentAt, writer, n] = data.toString('utf8', at, at + length).split('|');
    if (!tag || !sentAt || writer === undefined || n === undefined) continue;
    let byTag = bareReceived.get(key);
    if (!byTag) bareReceived.set(key, (byTag = new Map()));
    let seen = byTag.get(tag);
    if (!seen) byTag.set(tag, (seen = new Set()));
    const id = `${writer}|${n}`;
    if (seen.has(id)) continue;
    seen.add(id);
    record(latencies, tag, now - Number(sentAt));
    noteArrival(tag, Number(sentAt), now);
  }
}

function connectOne(spec: ClientSpec, timeoutMs: number): Promise<ConnectResult> {
  return new Promise((resolve) => {
    setTimeout(() => {
      const doc = new Y.Doc();
      const provider = new WebsocketProvider(spec.serverUrl, spec.room, doc, {
        WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
        params: spec.params ?? {},
        connect: false,
        // Clients in one process must not sync through BroadcastChannel: every update goes through the server.
        disableBc: true,
        maxBackoffTime: 2500
      });
      if (spec.presence === 'none') provider.awareness.setLocalState(null);
      else provider.awareness.setLocalStateField('user', { id: spec.participantId, name: spec.name, role: 'participant', color: PRESENCE_COLOURS[0] });
      const client: Client = { spec, doc, provider, received: new Map() };
      clients.set(spec.key, client);
      observeCards(client);
      provider.on('connection-close', () => disconnects++);
      provider.on('connection-error', () => errors++);
      const started = performance.now();
      const timer = setTimeout(() => resolve({ key: spec.key, syncedMs: null, cards: cardsMap(doc).size, bytes: -1, client: 'provider' }), timeoutMs);
      const onSync = (synced: boolean) => {
        if (!synced) return;
        provider.off('sync', onSync);
        clearTimeout(timer);
        resolve({ key: spec.key, syncedMs: performance.now() - started, cards: cardsMap(doc).size, bytes: -1, client: 'provider' });
      };
      provider.on('sync', onSync);
      provider.connect();
    }, spec.delayMs);
  });
}

/** y-websocket message types (y-protocols sync sub-types: 0 step 1, 1 step 2, 2 update). */
const MESSAGE_SYNC = 0;
const MESSAGE_AWARENESS = 1;
const SYNC_STEP_1 = 0;
const SYNC_STEP_2 = 1;

function syncMessage(subType: number, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  encoding.writeVarUint(encoder, subType);
  encoding.writeVarUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
}

/** What an empty stock client sends: its (empty) state vector, and an empty update when asked. */
const EMPTY_DOC = new Y.Doc();
const OPENING_STEP_1 = syncMessage(SYNC_STEP_1, Y.encodeStateVector(EMPTY_DOC));
const EMPTY_STEP_2 = syncMessage(SYNC_STEP_2, Y.encodeStateAsUpdate(EMPTY_DOC));

/** The awareness message a stock client sends for its own state. */
function awarenessMessage(awareness: Awareness): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_AWARENESS);
  encoding.writeVarUint8Array(encoder, encodeAwarenessUpdate(awareness, [awareness.clientID]));
  return encoding.toUint8Array(encoder);
}

/** A protocol-level client (see ClientSpec.client): the stock client's opening, without a Y.Doc. */
function connectBare(spec: ClientSpec, timeoutMs: number): Promise<ConnectResult> {
  return new Promise((resolve) => {
    setTimeout(() => {
      const query = new URLSearchParams(spec.params ?? {}).toString();
      const url = `${spec.serverUrl}/${spec.room}${query ? `?${query}` : ''}`;
      const started = performance.now();
      const socket = new WebSocket(url);
      sockets.add(socket);
      let done = false;
      const finish = (syncedMs: number | null, bytes: number) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        resolve({ key: spec.key, syncedMs, cards: -1, bytes, client: 'protocol' });
      };
      const timer = setTimeout(() => finish(null, -1), timeoutMs);
      socket.binaryType = 'nodebuffer';
      let awareness: Awareness | null = null;
      if (spec.presence === 'user') {
        awareness = new Awareness(new Y.Doc());
        awareness.setLocalStateField('user', { id: spec.participantId, name: spec.name, role: 'participant', color: PRESENCE_COLOURS[0] });
        bareAwareness.set(spec.key, { awareness, socket });
      }
      socket.on('open', () => {
        socket.send(OPENING_STEP_1);
        if (awareness) socket.send(awarenessMessage(awareness));
      });
      socket.on('message', (data: Buffer) => {
        const decoder = decoding.createDecoder(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
        if (decoding.readVarUint(decoder) !== MESSAGE_SYNC) return;
        const subType = decoding.readVarUint(decoder);
        if (subType === SYNC_STEP_1) socket.send(EMPTY_STEP_2);
        else if (subType === SYNC_STEP_2) finish(performance.now() - started, data.byteLength);
        if (subType !== SYNC_STEP_1 && done) scanForCards(spec.key, data);
      });
      socket.on('error', () => errors++);
      socket.on('close', () => {
        if (sockets.delete(socket)) disconnects++;
        finish(null, -1);
      });
    }, spec.delayMs);
  });
}

/**
 * Each writer adds `perSecond` cards a second for `durationMs`, on a fixed timetable from its
 * phase (given, or random): the n-th card is due at phase + n / perSecond, and a late one goes at
 * once, so every writer sends exactly its share even when the process was briefly descheduled.
 */
async function write(message: Extract<ControllerMessage, { type: 'write' }>): Promise<Record<number, number>> {
  const sent: Record<number, number> = {};
  const periodMs = 1000 / message.perSecond;
  const total = Math.floor(message.durationMs / periodMs);
  const start = performance.now();
  await Promise.all(
    message.writers.map((writer) => {
      const client = clients.get(writer.key);
      if (!client) return Promise.reject(new Error(`no client ${writer.key} in this worker`));
      sent[writer.key] = 0;
      const phase = writer.phaseMs ?? Math.random() * periodMs;
      return new Promise<void>((resolve) => {
        const next = () => {
          const n = sent[writer.key]!;
          if (n >= total) {
            resolve();
            return;
          }
          const due = start + phase + n * periodMs;
          const wait = due - performance.now();
          if (wait > 0) {
            setTimeout(next, wait);
            return;
          }
          sent[writer.key] = n + 1;
          addCard(client.doc, {
            boardId: writer.boardId,
            text: `${CARD_PREFIX}${message.tag}|${wallClockMs().toFixed(3)}|${writer.key}|${n}`,
            authorId: client.spec.participantId,
            authorName: client.spec.name
          });
          setImmediate(next);
        };
        next();
      });
    })
  );
  return sent;
}

async function presence(hz: number, durationMs: number): Promise<number> {
  let updates = 0;
  const end = performance.now() + durationMs;
  const periodMs = 1000 / hz;
  // Stock providers send on every local change; protocol-level clients send the same message themselves.
  const publishers = [
    ...[...clients.values()].map((client) => ({ awareness: client.provider.awareness, send: null as null | ((a: Awareness) => void) })),
    ...[...bareAwareness.values()].map(({ awareness, socket }) => ({
      awareness,
      send: (a: Awareness) => {
        if (socket.readyState === WebSocket.OPEN) socket.send(awarenessMessage(a));
      }
    }))
  ];
  await Promise.all(
    publishers.map(
      (publisher) =>
        new Promise<void>((resolve) => {
          let typing = false;
          const tick = () => {
            if (performance.now() >= end) {
              clearInterval(timer);
              resolve();
              return;
            }
            typing = !typing;
            // One awareness update carrying both fields, as an editor moving its cursor while typing would send.
            const state = publisher.awareness.getLocalState() ?? {};
            publisher.awareness.setLocalState({
              ...state,
              cursor: { x: Math.round(Math.random() * 1600), y: Math.round(Math.random() * 900) },
              typing
            });
            publisher.send?.(publisher.awareness);
            updates++;
          };
          let timer: NodeJS.Timeout;
          setTimeout(() => {
            tick();
            timer = setInterval(tick, periodMs);
          }, Math.random() * periodMs);
        })
    )
  );
  return updates;
}

function collect(tag: string): CollectResult {
  const received: Record<number, number> = {};
  for (const [key, client] of clients) received[key] = client.received.get(tag) ?? 0;
  for (const [key, byTag] of bareReceived) received[key] = byTag.get(tag)?.size ?? 0;
  const list = latencies.get(tag) ?? [];
  const result: CollectResult = {
    received,
    latencies: Float64Array.from(list),
    providerLatencies: Float64Array.from(providerLatencies.get(tag) ?? []),
    lastArrivals: [...(lastArrivals.get(tag) ?? [])],
    disconnects,
    errors,
    loopDelayP99Ms: loopDelay.percentile(99) / 1e6,
    loopDelayMaxMs: loopDelay.max / 1e6,
    stalls: stallsSoFar()
  };
  return result;
}

function closeAll(): void {
  clearInterval(watchdog);
  for (const { provider, doc } of clients.values()) {
    provider.destroy();
    doc.destroy();
  }
  clients.clear();
  for (const { awareness } of bareAwareness.values()) awareness.destroy();
  bareAwareness.clear();
  for (const socket of [...sockets]) {
    sockets.delete(socket);
    socket.close();
  }
}

process.on('message', (raw) => {
  const message = raw as ControllerMessage;
  const run = async () => {
    switch (message.type) {
      case 'connect': {
        const results = await Promise.all(
          message.clients.map((spec) => (spec.client === 'protocol' ? connectBare(spec, message.timeoutMs) : connectOne(spec, message.timeoutMs)))
        );
        reply({ type: 'connected', id: message.id, results });
        return;
      }
      case 'measure':
        // The loop delay and stalls reported with the results cover the measured window, not the connecting.
        startMeasuring();
        reply({ type: 'measuring', id: message.id });
        return;
      case 'write':
        reply({ type: 'written', id: message.id, sent: await write(message) });
        return;
      case 'presence':
        reply({ type: 'presenced', id: message.id, updates: await presence(message.hz, message.durationMs) });
        return;
      case 'collect':
        reply({ type: 'collected', id: message.id, result: collect(message.tag) });
        return;
      case 'close':
        closeAll();
        reply({ type: 'closed', id: message.id });
        setTimeout(() => process.exit(0), 50);
        return;
    }
  };
  run().catch((error: unknown) => reply({ type: 'failed', id: message.id, message: String((error as Error)?.stack ?? error) }));
});

// Never outlive the controller.
process.on('disconnect', () => process.exit(0));
reply({ type: 'ready' });
