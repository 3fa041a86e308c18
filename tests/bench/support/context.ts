import { LoadGenerator } from '../load/generator.js';
import type { ClientSpec, ConnectResult } from '../load/protocol.js';
import { startGoldthread, startReference, type BenchServer, type GoldthreadOptions } from './servers.js';
import { freePort } from './goldthread-api.js';
import { UsageSampler, type UsageWindow } from './proc-stats.js';
import { goldthreadRoom, referenceRoom, type BenchRoom } from './targets.js';
import { percentiles, round, type Percentiles } from './stats.js';

/** What every scenario is given: the scale, and a log line printer. */
export interface BenchContext {
  /** 1 for the full suite; 0.1 with --quick. Scales clients, cards, workshops and durations. */
  scale: number;
  /**
   * One receiving client in this many is a stock WebsocketProvider with a Y.Doc; the rest speak
   * the same protocol without one (--real-clients makes every client a provider).
   */
  providerEvery: number;
  /** How many times the 1,000-client fan-out, the join storm and the journal on/off block run (alternating the order); medians are judged. */
  repeat: number;
  log(line: string): void;
}

export type ServerKind = 'goldthread' | 'reference';

/** Scales a count, keeping at least `min`. */
export const scaled = (ctx: BenchContext, full: number, min = 1) => Math.max(min, Math.round(full * ctx.scale));

/** Starts a fresh server of either kind. */
export async function startServer(kind: ServerKind, options: GoldthreadOptions = {}): Promise<BenchServer> {
  return kind === 'goldthread' ? startGoldthread(options) : startReference(await freePort());
}

export async function newRoom(kind: ServerKind, server: BenchServer, boards = 3): Promise<BenchRoom> {
  return kind === 'goldthread' ? goldthreadRoom(server, boards) : referenceRoom(server, boards);
}

/** Samples the server and, separately, the load generator (its workers plus this controller process). */
export function samplers(server: BenchServer, generator: LoadGenerator) {
  return {
    server: new UsageSampler(() => [server.pid], 500),
    generator: new UsageSampler(() => [...generator.pids(), process.pid], 500)
  };
}

/** A room full of connected clients, and how long getting there took. */
export interface ConnectedRoom {
  room: BenchRoom;
  generator: LoadGenerator;
  specs: ClientSpec[];
  synced: Percentiles;
  /** Each client's own answer (time to synced, which kind of client). */
  results: ConnectResult[];
  failures: number;
  connectSeconds: number;
  /** Server and generator usage while the clients connected. */
  serverWindow: UsageWindow;
  generatorWindow: UsageWindow;
}

/** Joins (Goldthread: over HTTP) and connects `count` clients, `spreadMs` apart at most. */
export async function fillRoom(
  kind: ServerKind,
  server: BenchServer,
  count: number,
  options: {
    presence: ClientSpec['presence'];
    spreadMs: number;
    boards?: number;
    room?: BenchRoom;
    specs?: ClientSpec[];
    writers?: number;
    /** Make one receiving client in this many a stock provider, the others protocol-level. */
    providerEvery?: number;
  }
): Promise<ConnectedRoom> {
  const room = options.room ?? (await newRoom(kind, server, options.boards));
  const specs = (options.specs ?? (await room.clients(count, 0, options.presence))).map((spec, i) => ({
    ...spec,
    delayMs: (i * options.spreadMs) / count,
    writer: i < (options.writers ?? 0),
    ...(options.providerEvery !== undefined && {
      client: i < (options.writers ?? 0) || i % options.providerEvery === 0 ? ('provider' as const) : ('protocol' as const)
    })
  }));
  const generator = await LoadGenerator.start(count);
  const sampling = samplers(server, generator);
  sampling.server.start();
  sampling.generator.start();
  const started = performance.now();
  const results = await generator.connect(specs, 60_000);
  const serverWindow = sampling.server.stop();
  const generatorWindow = sampling.generator.stop();
  const times = results.flatMap((r) => (r.syncedMs === null ? [] : [r.syncedMs]));
  return {
    room,
    generator,
    specs,
    synced: percentiles(times),
    results,
    failures: results.length - times.length,
    connectSeconds: (performance.now() - started) / 1000,
    serverWindow,
    generatorWindow
  };
}

/** CPU and RSS of one window, rounded for the tables and JSON. */
export function usageSummary(window: UsageWindow) {
  return {
    cpuPercent: round(window.cpuPercent),
    cpuPeakPercent: round(window.cpuPeakPercent),
    rssStartMiB: round(window.rssStartMiB),
    rssEndMiB: round(window.rssEndMiB),
    rssPeakMiB: round(window.rssPeakMiB),
    seconds: round(window.seconds)
  };
}

/** The order of the two servers in round `round`: alternating, so drift in the machine's load hits both alike. */
export const pairOrder = (round: number): ServerKind[] => (round % 2 === 0 ? ['goldthread', 'reference'] : ['reference', 'goldthread']);

export const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

export const summarise = (p: Percentiles) => ({
  count: p.count,
  p50: round(p.p50, 1),
  p95: round(p.p95, 1),
  p99: round(p.p99, 1),
  max: round(p.max, 1),
  mean: round(p.mean, 1)
});
