import { fillRoom, newRoom, pairOrder, scaled, startServer, summarise, usageSummary, type BenchContext, type ServerKind } from '../support/context.js';
import { seedCards } from '../support/targets.js';
import { UsageSampler } from '../support/proc-stats.js';
import { percentiles } from '../support/stats.js';

/** Every this-many-th client of the storm is a stock WebsocketProvider with a Y.Doc. */
const PROVIDER_EVERY = 20;

export interface JoinStormResult {
  server: ServerKind;
  round: number;
  clients: number;
  cards: number;
  spreadSeconds: number;
  workers: number;
  /** Protocol-level clients (all but every 20th): from opening the socket to the server's sync step 2 (the whole room). */
  syncedMs: ReturnType<typeof summarise>;
  /** Every 20th client is a stock WebsocketProvider: to its first `sync`, the room applied to its Y.Doc. */
  providerSyncedMs: ReturnType<typeof summarise>;
  /** Bytes of the room as sent to one client. */
  roomBytes: number;
  failures: number;
  disconnects: number;
  /** Every client joined and synced after this long. */
  wallSeconds: number;
  serverUsage: ReturnType<typeof usageSummary>;
  /** Server CPU time per client synced (contention-proof, unlike the timings). */
  serverCpuMsPerClient: number;
  generatorUsage: ReturnType<typeof usageSummary>;
  /** Goldthread only: the POST /api/join requests made beforehand (8 at a time), not part of the storm's timings. */
  httpJoin: (ReturnType<typeof summarise> & { perSecond: number; serverCpuPercent: number }) | null;
}

/**
 * Scenario 2: a room holding 2,000 cards, then 1,000 clients connect spread evenly over 10 s;
 * each one's time from opening its websocket to its first `sync`. Goldthread's participants
 * get their tokens from POST /api/join first (timed separately), so both servers see the same storm.
 */
export async function joinStormScenario(ctx: BenchContext): Promise<JoinStormResult[]> {
  const clients = scaled(ctx, 1000, 10);
  const cards = scaled(ctx, 2000, 50);
  const spreadSeconds = 10;
  const results: JoinStormResult[] = [];
  const runs = Array.from({ length: ctx.repeat }, (_, round) => pairOrder(round).map((kind) => ({ kind, round }))).flat();
  for (const { kind, round } of runs) {
    const server = await startServer(kind);
    try {
      // Five boards: Goldthread holds at most 500 cards per board.
      const room = await newRoom(kind, server, 6);
      await seedCards(room, cards);
      // Tokens first (Goldthread): the join requests are measured, but apart from the storm.
      const joinSampler = new UsageSampler(() => [server.pid], 500);
      joinSampler.start();
      const specs = await room.clients(clients, 0, 'none');
      const joinWindow = joinSampler.stop();
      const joinStats = room.joinStats();
      // Applying a 2,000-card room takes a Y.Doc tens of ms of CPU: 1,000 of them would need far
      // more CPU than this machine has in 10 s, so most clients speak the protocol without a Y.Doc.
      const mixed = specs.map((spec, i) => ({ ...spec, client: i % PROVIDER_EVERY === 0 ? ('provider' as const) : ('protocol' as const) }));
      const filled = await fillRoom(kind, server, clients, { presence: 'none', spreadMs: spreadSeconds * 1000, room, specs: mixed });
      const timesOf = (client: 'provider' | 'protocol') =>
        filled.results.flatMap((r) => (r.client === client && r.syncedMs !== null ? [r.syncedMs] : []));
      const collected = await filled.generator.collect('none');
      const result: JoinStormResult = {
        server: kind,
        round,
        clients,
        cards,
        spreadSeconds,
        workers: filled.generator.workerCount,
        syncedMs: summarise(percentiles(timesOf('protocol'))),
        providerSyncedMs: summarise(percentiles(timesOf('provider'))),
        roomBytes: Math.max(...filled.results.map((r) => r.bytes)),
        failures: filled.failures,
        disconnects: collected.disconnects,
        wallSeconds: Number(filled.connectSeconds.toFixed(1)),
        serverUsage: usageSummary(filled.serverWindow),
        serverCpuMsPerClient: Number((((filled.serverWindow.cpuPercent / 100) * filled.serverWindow.seconds * 1000) / clients).toFixed(2)),
        generatorUsage: usageSummary(filled.generatorWindow),
        httpJoin: joinStats ? { ...summarise(joinStats), perSecond: Number(joinStats.perSecond.toFixed(1)), serverCpuPercent: Number(joinWindow.cpuPercent.toFixed(1)) } : null
      };
      ctx.log(
        `  join storm ${kind}: ${clients} clients into ${cards} cards over ${spreadSeconds} s: synced p50 ${result.syncedMs.p50} p99 ${result.syncedMs.p99} ms ` +
          `(stock providers p50 ${result.providerSyncedMs.p50} p99 ${result.providerSyncedMs.p99} ms), ` +
          `${result.failures} failures · server ${result.serverUsage.cpuPercent}% CPU (${result.serverCpuMsPerClient} ms/client), peak RSS ${result.serverUsage.rssPeakMiB} MiB` +
          (result.httpJoin ? ` · HTTP joins p50 ${result.httpJoin.p50} p99 ${result.httpJoin.p99} ms (${result.httpJoin.perSecond}/s)` : '')
      );
      results.push(result);
      await filled.generator.close();
    } finally {
      await server.stop();
    }
  }
  return results;
}
