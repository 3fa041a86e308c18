import type { Machine } from './support/machine.js';
import type { FanoutResult } from './scenarios/fanout.js';
import type { JoinStormResult } from './scenarios/join-storm.js';
import type { PresenceResult } from './scenarios/presence.js';
import type { DurabilityResult } from './scenarios/durability.js';
import type { MemoryResult } from './scenarios/memory.js';
import type { WebResult } from './scenarios/web.js';
import type { NotesResult } from './scenarios/notes.js';
import type { IsolationResult } from './scenarios/isolation.js';
import { formatTable } from './support/stats.js';
import { median } from './support/context.js';

export interface TargetVerdict {
  target: string;
  measured: string;
  /** null when the scenario did not run (or failed), or when its load generator could not offer the load (inconclusive). */
  met: boolean | null;
}

export interface BenchResults {
  startedAt: string;
  finishedAt?: string;
  scale: number;
  repeat: number;
  providerEvery: number;
  machine: Machine;
  scenarios: {
    fanout?: FanoutResult[];
    join?: JoinStormResult[];
    presence?: PresenceResult[];
    durability?: DurabilityResult;
    memory?: MemoryResult;
    web?: WebResult;
    notes?: NotesResult[];
    isolation?: IsolationResult;
  };
  targets: TargetVerdict[];
  errors: Record<string, string>;
  /** 1, 5, 15-minute load averages as each scenario started: other work on the machine skews it. */
  loadAverageAtStart: Record<string, number[]>;
}

const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(2)}×` : '–');

/** Every target of the "Performance" issue, judged from what ran (never a pass/fail of the run itself). */
export function judgeTargets(results: BenchResults): TargetVerdict[] {
  const { fanout, join, presence, durability, memory, web, notes } = results.scenarios;
  const verdicts: TargetVerdict[] = [];
  const missing = (target: string) => verdicts.push({ target, measured: 'not measured', met: null });

  const biggest = fanout ? Math.max(...fanout.map((r) => r.clients)) : 0;
  // Runs whose load generator kept up are the ones that measure the server; use them when both servers have one.
  const atBiggest = (server: string) => fanout?.filter((r) => r.server === server && r.clients === biggest) ?? [];
  const healthy = (runs: FanoutResult[]) => runs.filter((r) => !r.generatorBound);
  const useHealthy = healthy(atBiggest('goldthread')).length > 0 && healthy(atBiggest('reference')).length > 0;
  const gtFan = useHealthy ? healthy(atBiggest('goldthread')) : atBiggest('goldthread');
  const refFan = useHealthy ? healthy(atBiggest('reference')) : atBiggest('reference');
  const fanTarget = '1,000 clients: 100% delivered and p99 ≤ the reference p99 (auth + journal on)';
  if (gtFan.length > 0 && refFan.length > 0) {
    const gtP99 = median(gtFan.map((r) => r.latencyMs.p99));
    const refP99 = median(refFan.map((r) => r.latencyMs.p99));
    const delivered = Math.min(...atBiggest('goldthread').map((r) => r.deliveryPercent));
    const rounds = gtFan.length > 1 || refFan.length > 1 ? ` (median of ${gtFan.map((r) => r.latencyMs.p99).join(', ')} vs ${refFan.map((r) => r.latencyMs.p99).join(', ')})` : '';
    const starved = [...atBiggest('goldthread'), ...atBiggest('reference')].filter((r) => r.generatorBound).length;
    verdicts.push({
      target: fanTarget,
      measured:
        `${biggest} clients: ${delivered}% delivered; p99 ${gtP99} ms vs reference ${refP99} ms (${ratio(gtP99, refP99)})${rounds}; ` +
        `server CPU ${median(gtFan.map((r) => r.serverCpuUsPerDelivery))} vs ${median(refFan.map((r) => r.serverCpuUsPerDelivery))} µs per delivery` +
        (starved > 0 ? `; ${starved} run(s) generator-bound${useHealthy ? ', left out' : ''}` : ''),
      met: delivered >= 100 && gtP99 <= refP99
    });
  } else missing(fanTarget);

  const gtJoin = join?.filter((r) => r.server === 'goldthread') ?? [];
  const refJoin = join?.filter((r) => r.server === 'reference') ?? [];
  const joinTarget = 'join storm: p99 time to synced ≤ the reference, zero failures';
  if (gtJoin.length > 0 && refJoin.length > 0) {
    const gtP99 = median(gtJoin.map((r) => r.syncedMs.p99));
    const refP99 = median(refJoin.map((r) => r.syncedMs.p99));
    const failures = gtJoin.reduce((sum, r) => sum + r.failures, 0);
    verdicts.push({
      target: joinTarget,
      measured:
        `p99 ${gtP99} ms vs reference ${refP99} ms (${ratio(gtP99, refP99)})${gtJoin.length > 1 ? ` (median of ${gtJoin.length} rounds)` : ''}; ${failures} failures; ` +
        `server CPU ${median(gtJoin.map((r) => r.serverCpuMsPerClient))} vs ${median(refJoin.map((r) => r.serverCpuMsPerClient))} ms per client`,
      met: gtP99 <= refP99 && failures === 0
    });
  } else missing(joinTarget);

  const gtPresence = presence?.find((r) => r.server === 'goldthread');
  const presenceTarget = 'presence at 300 clients (2 Hz): server ≤ 50% of one core';
  if (gtPresence) {
    const offered = gtPresence.awarenessUpdatesSent / (gtPresence.awarenessUpdatesPlanned ?? gtPresence.awarenessUpdatesSent);
    const starved = offered < 0.95 || gtPresence.withPresence.generatorLoopDelayP99Ms > 100;
    verdicts.push({
      target: presenceTarget,
      measured:
        `${gtPresence.clients} clients: ${gtPresence.withPresence.serverUsage.cpuPercent}% of a core (edit p99 ${gtPresence.withPresence.latencyMs.p99} ms)` +
        (starved ? `; inconclusive: the generator sent ${(offered * 100).toFixed(0)}% of the planned updates, loop p99 ${gtPresence.withPresence.generatorLoopDelayP99Ms} ms` : ''),
      met: starved ? null : gtPresence.withPresence.serverUsage.cpuPercent <= 50
    });
  } else missing(presenceTarget);

  const durabilityTarget = 'journal on costs ≤ 10% p99 vs off';
  if (durability) {
    const allStarved = durability.runs.every((r) => r.generatorBound);
    verdicts.push({
      target: durabilityTarget,
      measured:
        `p99 ${durability.journalOn.p99} ms on vs ${durability.journalOff.p99} ms off (${durability.p99CostPercent > 0 ? '+' : ''}${durability.p99CostPercent}%); ` +
        `server CPU ${durability.journalOn.cpuMicrosPerDelivery} vs ${durability.journalOff.cpuMicrosPerDelivery} µs per delivery` +
        (durability.runs.length > 4 ? ` (medians of ${durability.runs.length / 2} runs each)` : '') +
        (allStarved ? '; inconclusive: every run was generator-bound' : ''),
      met: allStarved ? null : durability.p99CostPercent <= 10
    });
  } else missing(durabilityTarget);

  const memoryTarget = 'idle RSS within 20% of a fresh server';
  if (memory) {
    verdicts.push({
      target: memoryTarget,
      measured: `${memory.afterUnloadMiB} MiB after unload vs ${memory.freshSameDataMiB} MiB fresh on the same data (${memory.overFreshPercent > 0 ? '+' : ''}${memory.overFreshPercent}%; ${memory.overFreshEmptyPercent > 0 ? '+' : ''}${memory.overFreshEmptyPercent}% over a fresh empty server)`,
      met: memory.overFreshPercent <= 20
    });
  } else missing(memoryTarget);

  const sizeTarget = 'participant page ≤ 150 KB gzip of JS';
  const projectorTarget = 'new card on the projector ≤ 100 ms with 1,000 cards (p95, painted; projector and facilitator page)';
  if (web) {
    const bytes = web.participantPage.files.filter((f) => f.kind === 'js').reduce((sum, f) => sum + f.gzipBytes, 0);
    verdicts.push({
      target: sizeTarget,
      measured: `${(bytes / 1000).toFixed(1)} KB (${web.participantPage.jsGzipKiB} KiB) gzip of JS in ${web.participantPage.files.filter((f) => f.kind === 'js').length} files; CSS ${web.participantPage.cssGzipKiB} KiB`,
      met: bytes <= 150_000
    });
    const pages = [web.projectorNewCard, web.facilitatorNewCard];
    verdicts.push({
      target: projectorTarget,
      measured: pages
        .map((card) => `${card.page} (${card.cardsOnScreen} cards): painted p50 ${card.paintMs.p50} ms, p95 ${card.paintMs.p95} ms, max ${card.paintMs.max} ms`)
        .join('; '),
      met: pages.every((card) => card.paintMs.p95 <= 100)
    });
  } else {
    missing(sizeTarget);
    missing(projectorTarget);
  }

  const notesTarget = 'notes < 1 s per format (3 rooms, 300 cards)';
  const baseNotes = notes?.[0];
  if (baseNotes) {
    const worst = Math.max(...baseNotes.timings.map((t) => t.maxMs));
    verdicts.push({
      target: notesTarget,
      measured: baseNotes.timings.map((t) => `${t.format} ${t.medianMs} ms (max ${t.maxMs})`).join(', ') + `; worst ${worst} ms`,
      met: worst < 1000
    });
  } else missing(notesTarget);

  const isolation = results.scenarios.isolation;
  const isolationTarget = 'another workshop’s edit p99 ≤ 2× its quiet p99 while one token opens thousands of connections, or clients flood presence within their limits';
  if (isolation) {
    const quiet = isolation.quiet.latencyMs.p99;
    const worst = Math.max(isolation.connectionFlood.latencyMs.p99, isolation.presenceFlood.latencyMs.p99);
    verdicts.push({
      target: isolationTarget,
      measured:
        `quiet ${quiet} ms; ${isolation.connectionFlood.attempts} connections tried: ${isolation.connectionFlood.latencyMs.p99} ms (${ratio(isolation.connectionFlood.latencyMs.p99, quiet)}); ` +
        `presence flood: ${isolation.presenceFlood.latencyMs.p99} ms (${ratio(isolation.presenceFlood.latencyMs.p99, quiet)})`,
      met: worst <= 2 * quiet && isolation.connectionFlood.deliveryPercent === 100 && isolation.presenceFlood.deliveryPercent === 100
    });
  } else missing(isolationTarget);
  return verdicts;
}

/** Prints every scenario's table and the targets. */
export function printReport(results: BenchResults): void {
  const { fanout, join, presence, durability, memory, web, notes } = results.scenarios;
  const section = (title: string, table: string) => console.log(`\n${title}\n${table}`);

  if (fanout) {
    const ref = (r: FanoutResult) => fanout.find((x) => x.server === 'reference' && x.clients === r.clients && x.round === r.round);
    section(
      'Fan-out (5 writers × 2 cards/s; latency = writer → every other client)',
      formatTable(
        ['server', 'round', 'clients', 'closest writers ms', 'sent', 'delivered %', 'p50 ms', 'p95 ms', 'p99 ms', 'p99 vs ref', 'providers p99 ms', 'server CPU %', 'CPU µs/delivery', 'server RSS MiB', 'generator CPU %', 'gen loop p99 ms', 'longest gen stall ms', 'CPU stolen ms'],
        fanout.map((r) => [
          r.server,
          r.round + 1,
          r.clients,
          r.closestWritersMs,
          r.sent,
          r.deliveryPercent,
          r.latencyMs.p50,
          r.latencyMs.p95,
          r.latencyMs.p99,
          r.server === 'reference' ? '1.00×' : ratio(r.latencyMs.p99, ref(r)?.latencyMs.p99 ?? 0),
          `${r.providerLatencyMs.p99} (${r.providers})`,
          r.serverUsage.cpuPercent,
          r.serverCpuUsPerDelivery,
          r.serverUsage.rssPeakMiB,
          r.generatorUsage.cpuPercent,
          `${r.generatorLoopDelayP99Ms}${r.generatorBound ? ' (!)' : ''}`,
          r.generatorStalls[0] ? `${r.generatorStalls[0].ms} at ${r.generatorStalls[0].atS} s` : '–',
          r.stolenMs
        ])
      )
    );
    console.log('(!) the generator was short of CPU in that run: its latencies include the load generator queueing.');
  }
  if (join) {
    section(
      'Join storm (clients spread over 10 s into a room with the seeded cards)',
      formatTable(
        ['server', 'clients', 'cards', 'synced p50 ms', 'synced p99 ms', 'max ms', 'providers p50/p99 ms', 'failures', 'server CPU %', 'CPU ms/client', 'server RSS MiB', 'generator CPU %', 'HTTP join p50/p99 ms'],
        join.map((r) => [
          r.server,
          r.clients,
          r.cards,
          r.syncedMs.p50,
          r.syncedMs.p99,
          r.syncedMs.max,
          `${r.providerSyncedMs.p50}/${r.providerSyncedMs.p99}`,
          r.failures,
          r.serverUsage.cpuPercent,
          r.serverCpuMsPerClient,
          r.serverUsage.rssPeakMiB,
          r.generatorUsage.cpuPercent,
          r.httpJoin ? `${r.httpJoin.p50}/${r.httpJoin.p99} (${r.httpJoin.perSecond}/s)` : '–'
        ])
      )
    );
  }
  if (presence) {
    section(
      'Presence (every client: cursor + typing at 2 Hz; 5 writers × 2 cards/s throughout)',
      formatTable(
        ['server', 'clients', 'server CPU % quiet', 'server CPU % presence', 'edit p50 ms', 'edit p99 ms (quiet)', 'delivered %', 'generator CPU %', 'gen loop p99 ms'],
        presence.map((r) => [
          r.server,
          r.clients,
          r.quiet.serverUsage.cpuPercent,
          r.withPresence.serverUsage.cpuPercent,
          r.withPresence.latencyMs.p50,
          `${r.withPresence.latencyMs.p99} (${r.quiet.latencyMs.p99})`,
          r.withPresence.deliveryPercent,
          r.withPresence.generatorUsage.cpuPercent,
          r.withPresence.generatorLoopDelayP99Ms
        ])
      )
    );
  }
  const isolation = results.scenarios.isolation;
  if (isolation) {
    section(
      `Isolation (${isolation.clients} clients, ${isolation.writers} writers × 2 cards/s, ${isolation.seconds} s a phase; the noise comes from another workshop)`,
      formatTable(
        ['phase', 'edit p50 ms', 'edit p99 ms', 'p99 vs quiet', 'delivered %', 'noise'],
        [
          ['quiet', isolation.quiet.latencyMs.p50, isolation.quiet.latencyMs.p99, '1.00×', 100, '–'],
          [
            'one token, many connections',
            isolation.connectionFlood.latencyMs.p50,
            isolation.connectionFlood.latencyMs.p99,
            ratio(isolation.connectionFlood.latencyMs.p99, isolation.quiet.latencyMs.p99),
            isolation.connectionFlood.deliveryPercent,
            `${isolation.connectionFlood.attempts} tried, ${isolation.connectionFlood.capped} closed at the cap, ${isolation.connectionFlood.heldAtOnce} held`
          ],
          [
            'presence flood',
            isolation.presenceFlood.latencyMs.p50,
            isolation.presenceFlood.latencyMs.p99,
            ratio(isolation.presenceFlood.latencyMs.p99, isolation.quiet.latencyMs.p99),
            isolation.presenceFlood.deliveryPercent,
            `${isolation.presenceFlood.clients} clients, ${isolation.presenceFlood.updatesSent} updates, ${(isolation.presenceFlood.bytesPerSecondReceived / 1048576).toFixed(1)} MiB/s sent to them`
          ]
        ]
      )
    );
  }
  if (durability) {
    section(
      `Durability (Goldthread fan-out, ${durability.clients} clients, ${durability.runs.length > 4 ? 'A-B-B-A, B-A-A-B, …' : 'A-B-B-A'})`,
      formatTable(
        ['journal', 'p50 ms', 'p99 ms', 'delivered %', 'server CPU %', 'CPU µs/delivery'],
        durability.runs.map((r) => [r.journal ? 'on' : 'off', r.latencyMs.p50, r.latencyMs.p99, r.deliveryPercent, r.serverUsage.cpuPercent, r.serverCpuUsPerDelivery])
      )
    );
  }
  if (memory) {
    section(
      `Memory (${memory.workshops} workshops, GOLDTHREAD_ROOM_IDLE_MS=${memory.roomIdleMs})`,
      formatTable(
        ['fresh empty', 'peak in use', 'after unload', 'after 2nd round', 'fresh on same data', 'unload vs fresh'],
        [[memory.freshEmptyMiB, memory.peakInUseMiB, memory.afterUnloadMiB, memory.afterSecondRoundMiB, memory.freshSameDataMiB, `${memory.overFreshPercent}%`]]
      )
    );
  }
  if (web) {
    section(
      'Web',
      formatTable(
        ['participant JS gzip KiB', 'CSS gzip KiB', 'JS raw KiB', 'page', 'cards', 'first render ms', 'new card DOM p50/p95 ms', 'painted p50/p95/max ms'],
        [web.projectorNewCard, web.facilitatorNewCard].map((card) => [
          web.participantPage.jsGzipKiB,
          web.participantPage.cssGzipKiB,
          web.participantPage.jsRawKiB,
          card.page,
          card.cardsOnScreen,
          card.initialRenderMs,
          `${card.domMs.p50}/${card.domMs.p95}`,
          `${card.paintMs.p50}/${card.paintMs.p95}/${card.paintMs.max}`
        ])
      )
    );
  }
  if (notes) {
    section(
      'Notes (GET /api/workshops/:id/notes.<fmt>; median of 5 after the first)',
      formatTable(
        ['cards', 'format', 'first ms', 'median ms', 'max ms', 'bytes'],
        notes.flatMap((n) => n.timings.map((t) => [n.cards, t.format, t.firstMs, t.medianMs, t.maxMs, t.bytes]))
      )
    );
  }
  section(
    results.scale < 1 ? `Targets (scale ${results.scale}: indicative only)` : 'Targets',
    formatTable(
      ['target', 'measured', 'verdict'],
      results.targets.map((t) => [t.target, t.measured, t.met === null ? (t.measured === 'not measured' ? '–' : 'inconclusive') : t.met ? 'met' : 'NOT met'])
    )
  );
  for (const [name, message] of Object.entries(results.errors)) console.log(`\n${name} failed: ${message}`);
}
