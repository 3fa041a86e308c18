/** Messages between the load generator's controller and its worker processes (over IPC). */

/** One simulated participant: a real Y.Doc with a y-websocket WebsocketProvider. */
export interface ClientSpec {
  /** Index of the client in its scenario; used as its id in every answer. */
  key: number;
  /** e.g. ws://127.0.0.1:3000/yjs (Goldthread) or ws://127.0.0.1:1234 (reference). */
  serverUrl: string;
  /** e.g. <workshopId>/<roomId> (Goldthread) or bench-<n> (reference). */
  room: string;
  /** Query parameters, e.g. { token }. */
  params?: Record<string, string>;
  participantId: string;
  name: string;
  /** Start connecting this long after the command arrives (join storms spread their clients). */
  delayMs: number;
  /** 'none' publishes no presence (local awareness state null); 'user' publishes { user } like the web app. */
  presence: 'none' | 'user';
  /** Writers get a process of their own, so a busy receiving process never delays a send. */
  writer?: boolean;
  /**
   * 'provider' (default): a Y.Doc and the stock WebsocketProvider. 'protocol': the same opening
   * messages on a bare `ws` socket (sync step 1 with an empty state vector, an empty step 2 in
   * answer to the server's), synced when the server's step 2 arrives, without applying it: the
   * server does identical work, but the generator is spared decoding the whole room per client.
   */
  client?: 'provider' | 'protocol';
}

export interface WriterSpec {
  key: number;
  boardId: string;
  /**
   * When in each period this writer sends (ms after the start, below 1000 / perSecond). Two writers
   * sending at nearly the same moment make the second card wait behind the first everywhere, so
   * runs that are compared get the same phases; without one the phase is random.
   */
  phaseMs?: number;
}

export type ControllerMessage =
  | { type: 'connect'; id: number; clients: ClientSpec[]; timeoutMs: number }
  /** A measured window starts: the event-loop delay and stall records start again. */
  | { type: 'measure'; id: number }
  | { type: 'write'; id: number; writers: WriterSpec[]; perSecond: number; durationMs: number; tag: string }
  | { type: 'presence'; id: number; hz: number; durationMs: number }
  | { type: 'collect'; id: number; tag: string }
  | { type: 'close'; id: number };

export interface ConnectResult {
  key: number;
  /** ms from the start of connecting to the provider's first `sync` event; null when it never synced. */
  syncedMs: number | null;
  /** Cards in the document once synced (providers), or -1 (protocol clients). */
  cards: number;
  /** Bytes of the server's sync step 2 (protocol clients), or -1. */
  bytes: number;
  client: 'provider' | 'protocol';
}

export interface CollectResult {
  /** key -> bench cards of this tag received from others. */
  received: Record<number, number>;
  /** Send-to-receive latency of every received bench card, in ms (every client). */
  latencies: Float64Array;
  /** The same, for the stock WebsocketProvider clients only (includes applying the update to a Y.Doc). */
  providerLatencies: Float64Array;
  /** Each card's send time (writer's clock, ms) and the latency of its last arrival at this worker's clients. */
  lastArrivals: Array<[sentAt: number, ms: number]>;
  /** Connection closes and errors seen by this worker's clients since they connected. */
  disconnects: number;
  errors: number;
  /** Event-loop delay of this worker while it ran (ms): a busy generator inflates latencies. */
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
  /** This worker's event-loop stalls since the measured window began (see GeneratorStall). */
  stalls: GeneratorStall[];
}

/**
 * A moment the worker's event loop was held up (a 10 ms timer fired at least 40 ms late): cards
 * arriving then are recorded late, so a stall here shows up as slow cards the server did not cause.
 */
export interface GeneratorStall {
  /** When it began, on the writers' clock (wall-clock ms, as in card texts). */
  at: number;
  ms: number;
  /** Garbage-collection pause time inside it. */
  gcMs: number;
}

export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'connected'; id: number; results: ConnectResult[] }
  | { type: 'measuring'; id: number }
  | { type: 'written'; id: number; sent: Record<number, number> }
  | { type: 'presenced'; id: number; updates: number }
  | { type: 'collected'; id: number; result: CollectResult }
  | { type: 'closed'; id: number }
  | { type: 'failed'; id: number; message: string };

/** Prefix of the text of every card the generator writes: `bench|<tag>|<sentAtMs>|<writer>|<n>`. */
export const CARD_PREFIX = 'bench|';

/** Wall-clock time in ms with sub-millisecond precision, comparable across processes. */
export const wallClockMs = () => performance.timeOrigin + performance.now();
