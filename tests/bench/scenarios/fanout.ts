import { randomUUID } from 'node:crypto';
import {
  fillRoom,
  pairOrder,
  samplers,
  scaled,
  startServer,
  summarise,
  usageSummary,
  type BenchContext,
  type ServerKind
} from '../support/context.js';
import type { Collected, LoadGenerator } from '../load/generator.js';
import type { ClientSpec, WriterSpec } from '../load/protocol.js';
import { pause, percentiles } from '../support/stats.js';
import { stolenMs } from '../support/machine.js';

export const WRITERS = 5;
export const CARDS_PER_SECOND = 2;

/**
 * The writers' phases (ms into each 1000 / CARDS_PER_SECOND period) for a seed: random, but the
 * same for every run given the same seed. Cards from two writers whose phases are a few ms apart
 * arrive together, and the second waits behind the first in the server and in every receiver (a
 * run's slowest cards often recurred every 500 ms, at one writer's phase). With a random phase per
 * run, the two servers compared were given different loads; now the two servers of a round (and
 * the journal on and off of a block) write on the same timetable.
 */
export function writerPhases(seed: number, writers = WRITERS): number[] {
  // mulberry32: small, seedable, good enough to spread five phases.
  let state = (seed * 0x9e3779b9 + 0x6d2b79f5) >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const periodMs = 1000 / CARDS_PER_SECOND;
  return Array.from({ length: writers }, () => Number((next() * periodMs).toFixed(1)));
}

/** The smallest distance between two writers' phases, around the period. */
export function closestPhasesMs(phases: number[]): number {
  const periodMs = 1000 / CARDS_PER_SECOND;
  const sorted = [...phases].sort((a, b) => a - b);
  if (sorted.length < 2) return periodMs;
  const gaps = sorted.map((phase, i) => (i === 0 ? sorted[0]! + periodMs - sorted.at(-1)! : phase - sorted[i - 1]!));
  return Number(Math.min(...gaps).toFixed(1));
}

/** One fan-out run: N clients in a room, 5 of them adding 2 cards a second each. */
export interface FanoutResult {
  server: ServerKind;
  /** Which repetition of this size (0 unless --repeat). */
  round: number;
  /** The writers' timetable (see `writerPhases`): their phases, and how close the closest two were. */
  writerPhasesMs: number[];
  closestWritersMs: number;
  journal: boolean | null;
  clients: number;
  workers: number;
  sent: number;
  expected: number;
  delivered: number;
  deliveryPercent: number;
  /** Every client: writer's clock to the card's arrival on the socket (stock providers: applied to their Y.Doc). */
  latencyMs: ReturnType<typeof summarise>;
  /** The same during the warm-up, which is not counted anywhere else, and how much of it arrived. */
  warmUpLatencyMs: ReturnType<typeof summarise>;
  warmUpDeliveryPercent: number;
  /** The stock WebsocketProvider clients alone (one in `providerEvery`, and the writers). */
  providerLatencyMs: ReturnType<typeof summarise>;
  providers: number;
  syncedMs: ReturnType<typeof summarise>;
  connectFailures: number;
  disconnects: number;
  serverUsage: ReturnType<typeof usageSummary>;
  /** Server CPU time per delivered copy of a card: unlike latency, barely moved by other load on the machine. */
  serverCpuUsPerDelivery: number;
  generatorUsage: ReturnType<typeof usageSummary>;
  generatorLoopDelayP99Ms: number;
  generatorLoopDelayMaxMs: number;
  /**
   * The load generator's own event loop lagged (p99 > 100 ms) while measuring: its processes were
   * short of CPU (the machine is shared), so latencies include the generator's queueing, not just the server's.
   */
  generatorBound: boolean;
  /**
   * The five cards whose last copy arrived latest: when each was sent (seconds into the writing)
   * and how long its last copy took. A stall in the server delays every copy of the cards sent
   * during it, so the slowest cards cluster at one moment; a busy generator spreads them out.
   */
  slowestCards: Array<{ atS: number; ms: number }>;
  /**
   * The load generator's five longest event-loop stalls in the measured window, on the same clock
   * as `slowestCards`: a slow card sent during one was (at least partly) the generator's delay.
   */
  generatorStalls: Array<{ atS: number; ms: number; gcMs: number; worker: string }>;
  /** CPU time the hypervisor took for other guests during the measured window (all cores, ms; see `stolenMs`). */
  stolenMs: number;
  joinMs: ReturnType<typeof summarise> | null;
}

/**
 * Every run's slowest cards were in its first second of writing, for both servers alike: the p99
 * measured that start (a cold load generator and server after the room filled) more than the
 * fan-out, and swung with it by ±50% between rounds. So the writers write for this long first;
 * the warm-up's own latencies are reported beside the measured ones.
 */
const WARM_UP_SECONDS = 3;

/** Writers write for `seconds`; waits (bounded) until every other client has every card. */
async function writeAndDrain(generator: LoadGenerator, specs: ClientSpec[], writers: WriterSpec[], seconds: number) {
  const tag = randomUUID().slice(0, 8);
  const sentBy = await generator.write(writers, CARDS_PER_SECOND, seconds * 1000, tag);
  return drain(generator, specs, sentBy, tag);
}

/**
 * Waits (at most 15 s) until every client has every card of `tag` written by others: cards still
 * queued count as delivered late, not lost. `sentBy`: writer key -> cards it sent.
 */
export async function drain(generator: LoadGenerator, specs: ClientSpec[], sentBy: Map<number, number>, tag: string) {
  const sent = [...sentBy.values()].reduce((a, b) => a + b, 0);
  const expected = specs.reduce((sum, spec) => sum + sent - (sentBy.get(spec.key) ?? 0), 0);
  const deliveredIn = (c: Collected) => [...c.received.values()].reduce((a, b) => a + b, 0);
  let collected = await generator.collect(tag);
  const drainUntil = performance.now() + 15_000;
  while (deliveredIn(collected) < expected && performance.now() < drainUntil) {
    await pause(500);
    collected = await generator.collect(tag);
  }
  return { sent, expected, collected, delivered: deliveredIn(collected) };
}

/** Seconds from the first card sent, for reading slow cards and stalls side by side. */
const secondsAfter = (first: number, at: number) => Number(((at - first) / 1000).toFixed(2));

function slowestCards(lastArrivals: Map<number, number>): FanoutResult['slowestCards'] {
  const first = Math.min(...lastArrivals.keys());
  return [...lastArrivals]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 5)
    .map(([sentAt, ms]) => ({ atS: secondsAfter(first, sentAt), ms: Number(ms.toFixed(1)) }));
}

function longestStalls(collected: Collected): FanoutResult['generatorStalls'] {
  const first = Math.min(...collected.lastArrivals.keys());
  return [...collected.stalls]
    .sort((a, b) => b.ms - a.ms)
    .slice(0, 5)
    .map((stall) => ({ atS: secondsAfter(first, stall.at), ms: Number(stall.ms.toFixed(1)), gcMs: Number(stall.gcMs.toFixed(1)), worker: stall.worker }));
}

/**
 * Runs one fan-out on a fresh server: join and connect `clients`, wait a moment, warm up (the same
 * writing for WARM_UP_SECONDS, not measured), then 5 writers add 2 cards/s each for `seconds`; every other client records the delay from the writer's
 * clock reading (embedded in the card text) to the card's arrival. CPU and RSS cover the
 * writing window plus the drain.
 */
export async function runFanout(
  ctx: BenchContext,
  kind: ServerKind,
  clients: number,
  seconds: number,
  options: { journal?: boolean; round?: number; phasesSeed?: number } = {}
): Promise<FanoutResult> {
  const phases = writerPhases(options.phasesSeed ?? options.round ?? 0);
  const server = await startServer(kind, { journal: options.journal ?? true });
  try {
    const filled = await fillRoom(kind, server, clients, { presence: 'none', spreadMs: clients * 4, writers: WRITERS, providerEvery: ctx.providerEvery });
    const { generator, room } = filled;
    try {
      await pause(2000);
      const writers = filled.specs
        .slice(0, Math.min(WRITERS, clients))
        .map((spec, i) => ({ key: spec.key, boardId: room.boardId, phaseMs: phases[i] }));
      // Warm-up: the same writing for a few seconds, drained, before anything is measured (see WARM_UP_SECONDS).
      const warmUp = await writeAndDrain(generator, filled.specs, writers, Math.min(WARM_UP_SECONDS, seconds));
      const sampling = samplers(server, generator);
      sampling.server.start();
      sampling.generator.start();
      const stolenBefore = stolenMs();
      const { expected, collected, delivered: got, sent: totalSent } = await writeAndDrain(generator, filled.specs, writers, seconds);
      const serverWindow = sampling.server.stop();
      const generatorWindow = sampling.generator.stop();
      const stolen = stolenMs() - stolenBefore;
      const result: FanoutResult = {
        server: kind,
        round: options.round ?? 0,
        writerPhasesMs: phases.slice(0, writers.length),
        closestWritersMs: closestPhasesMs(phases.slice(0, writers.length)),
        journal: kind === 'goldthread' ? options.journal ?? true : null,
        clients,
        workers: generator.workerCount,
        sent: totalSent,
        expected,
        delivered: got,
        deliveryPercent: expected > 0 ? Number(((got / expected) * 100).toFixed(3)) : 0,
        latencyMs: summarise(percentiles(collected.latencies)),
        warmUpLatencyMs: summarise(percentiles(warmUp.collected.latencies)),
        warmUpDeliveryPercent: warmUp.expected > 0 ? Number(((warmUp.delivered / warmUp.expected) * 100).toFixed(3)) : 0,
        providerLatencyMs: summarise(percentiles(collected.providerLatencies)),
        providers: filled.specs.filter((spec) => spec.client !== 'protocol').length,
        syncedMs: summarise(filled.synced),
        connectFailures: filled.failures,
        disconnects: collected.disconnects,
        serverUsage: usageSummary(serverWindow),
        serverCpuUsPerDelivery: got > 0 ? Number((((serverWindow.cpuPercent / 100) * serverWindow.seconds * 1e6) / got).toFixed(2)) : 0,
        generatorUsage: usageSummary(generatorWindow),
        generatorLoopDelayP99Ms: Number(collected.loopDelayP99Ms.toFixed(1)),
        generatorLoopDelayMaxMs: Number(collected.loopDelayMaxMs.toFixed(1)),
        generatorBound: collected.loopDelayP99Ms > 100,
        slowestCards: slowestCards(collected.lastArrivals),
        generatorStalls: longestStalls(collected),
        stolenMs: stolen,
        joinMs: room.joinStats() ? summarise(room.joinStats()!) : null
      };
      ctx.log(
        `  fan-out ${kind}${result.journal === false ? ' (journal off)' : ''} ${clients} clients: ` +
          `delivered ${result.deliveryPercent}% · p50 ${result.latencyMs.p50} p95 ${result.latencyMs.p95} p99 ${result.latencyMs.p99} ms ` +
          `(warm-up: p99 ${result.warmUpLatencyMs.p99} ms, delivered ${result.warmUpDeliveryPercent}%) ` +
          `(${result.providers} stock providers: p99 ${result.providerLatencyMs.p99} ms) · ` +
          `server ${result.serverUsage.cpuPercent}% CPU (${result.serverCpuUsPerDelivery} µs/delivery) ${result.serverUsage.rssPeakMiB} MiB · ` +
          `generator ${result.generatorUsage.cpuPercent}% CPU, loop p99 ${result.generatorLoopDelayP99Ms} ms${result.generatorBound ? ' (generator short of CPU)' : ''} · ` +
          `slowest cards: ${result.slowestCards.map((card) => `${card.ms} ms at ${card.atS} s`).join(', ')} · ` +
          `generator stalls: ${
            result.generatorStalls.map((stall) => `${stall.ms} ms at ${stall.atS} s (${stall.worker}, GC ${stall.gcMs} ms)`).join(', ') || 'none'
          } · ` +
          `CPU stolen by the hypervisor ${result.stolenMs} ms · ` +
          `closest writers ${result.closestWritersMs} ms apart`
      );
      return result;
    } finally {
      await generator.close();
    }
  } finally {
    await server.stop();
  }
}

/** Scenario 1: 200, 500 and 1,000 clients on Goldthread and on the reference server. */
export async function fanoutScenario(ctx: BenchContext): Promise<FanoutResult[]> {
  const seconds = Math.max(5, Math.round(20 * Math.min(1, ctx.scale * 2)));
  const results: FanoutResult[] = [];
  // BENCH_FANOUT_SIZES=1000 runs one size only (e.g. while profiling).
  const sizes = process.env.BENCH_FANOUT_SIZES?.split(',').map(Number) ?? [200, 500, 1000];
  for (const full of sizes) {
    const clients = scaled(ctx, full, 10);
    const rounds = full === 1000 ? ctx.repeat : 1;
    for (let round = 0; round < rounds; round++) {
      // Both servers of a round write on the same timetable (see writerPhases).
      for (const kind of pairOrder(round)) results.push(await runFanout(ctx, kind, clients, seconds, { round }));
    }
  }
  return results;
}
