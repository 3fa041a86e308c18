import { randomUUID } from 'node:crypto';
import { fillRoom, samplers, scaled, startServer, summarise, usageSummary, type BenchContext, type ServerKind } from '../support/context.js';
import { pause, percentiles } from '../support/stats.js';
import { CARDS_PER_SECOND, WRITERS, drain, writerPhases } from './fanout.js';

export interface PresenceResult {
  server: ServerKind;
  clients: number;
  hz: number;
  seconds: number;
  /** Presence updates the clients published (300 × 2 Hz × seconds when the generator keeps up). */
  awarenessUpdatesSent: number;
  awarenessUpdatesPlanned?: number;
  /** Edits alone first (the same writers), then edits while every client moves its cursor. */
  quiet: { latencyMs: ReturnType<typeof summarise>; serverUsage: ReturnType<typeof usageSummary> };
  withPresence: {
    latencyMs: ReturnType<typeof summarise>;
    deliveryPercent: number;
    serverUsage: ReturnType<typeof usageSummary>;
    generatorUsage: ReturnType<typeof usageSummary>;
    generatorLoopDelayP99Ms: number;
  };
  syncedMs: ReturnType<typeof summarise>;
  disconnects: number;
}

/**
 * Scenario 3: 300 clients, each publishing presence like the web app ({ user }), then every
 * one of them updating its awareness (cursor and typing) twice a second, while 5 writers add
 * 2 cards/s each. Measures the server's CPU and the edit latency, against a quiet phase with the same writers.
 */
export async function presenceScenario(ctx: BenchContext): Promise<PresenceResult[]> {
  const clients = scaled(ctx, 300, 10);
  const hz = 2;
  const seconds = Math.max(5, Math.round(20 * Math.min(1, ctx.scale * 2)));
  const results: PresenceResult[] = [];
  for (const kind of ['goldthread', 'reference'] as const) {
    const server = await startServer(kind);
    try {
      const filled = await fillRoom(kind, server, clients, { presence: 'user', spreadMs: clients * 10, writers: WRITERS, providerEvery: ctx.providerEvery });
      const { generator, room } = filled;
      try {
        await pause(2000);
        // Both servers' writers on the same timetable (see writerPhases).
        const phases = writerPhases(0);
        const writers = filled.specs.slice(0, WRITERS).map((spec, i) => ({ key: spec.key, boardId: room.boardId, phaseMs: phases[i] }));

        const quietTag = randomUUID().slice(0, 8);
        const quiet = samplers(server, generator);
        quiet.server.start();
        await generator.write(writers, CARDS_PER_SECOND, (seconds * 1000) / 2, quietTag);
        await pause(2000);
        const quietServer = quiet.server.stop();
        const quietCollected = await generator.collect(quietTag);

        const busyTag = randomUUID().slice(0, 8);
        const busy = samplers(server, generator);
        busy.server.start();
        busy.generator.start();
        const [updates, sent] = await Promise.all([
          generator.presence(hz, seconds * 1000),
          generator.write(writers, CARDS_PER_SECOND, seconds * 1000, busyTag)
        ]);
        const busyServer = busy.server.stop();
        const busyGenerator = busy.generator.stop();
        // Edits still queued behind presence traffic count as delivered late, not lost.
        const { expected, collected, delivered } = await drain(generator, filled.specs, sent, busyTag);

        const result: PresenceResult = {
          server: kind,
          clients,
          hz,
          seconds,
          awarenessUpdatesSent: updates,
          awarenessUpdatesPlanned: clients * hz * seconds,
          quiet: { latencyMs: summarise(percentiles(quietCollected.latencies)), serverUsage: usageSummary(quietServer) },
          withPresence: {
            latencyMs: summarise(percentiles(collected.latencies)),
            deliveryPercent: expected > 0 ? Number(((delivered / expected) * 100).toFixed(3)) : 0,
            serverUsage: usageSummary(busyServer),
            generatorUsage: usageSummary(busyGenerator),
            generatorLoopDelayP99Ms: Number(collected.loopDelayP99Ms.toFixed(1))
          },
          syncedMs: summarise(filled.synced),
          disconnects: collected.disconnects
        };
        ctx.log(
          `  presence ${kind}: ${clients} clients at ${hz} Hz: server ${result.withPresence.serverUsage.cpuPercent}% CPU ` +
            `(quiet ${result.quiet.serverUsage.cpuPercent}%) · edit p99 ${result.withPresence.latencyMs.p99} ms (quiet ${result.quiet.latencyMs.p99} ms) · ` +
            `delivered ${result.withPresence.deliveryPercent}% · generator ${result.withPresence.generatorUsage.cpuPercent}% CPU`
        );
        results.push(result);
      } finally {
        await generator.close();
      }
    } finally {
      await server.stop();
    }
  }
  return results;
}
