import { median, scaled, type BenchContext } from '../support/context.js';
import { runFanout, type FanoutResult } from './fanout.js';

export interface DurabilityResult {
  clients: number;
  /**
   * Runs in A-B-B-A order (journal on, off, off, on), so drift in the machine's load hits both
   * alike; with --repeat=N, N such blocks, every other one B-A-A-B.
   */
  runs: FanoutResult[];
  journalOn: DurabilitySide;
  journalOff: DurabilitySide;
  /** (on - off) / off of the median p99 over the runs. */
  p99CostPercent: number;
}

/** Medians over one side's runs (the mean of the middle two for an even count). */
interface DurabilitySide {
  p50: number;
  p99: number;
  cpuPercent: number;
  cpuMicrosPerDelivery: number;
}

/** Scenario 4: Goldthread's fan-out with the write-ahead journal on and off. */
export async function durabilityScenario(ctx: BenchContext): Promise<DurabilityResult> {
  const clients = scaled(ctx, 1000, 10);
  const seconds = Math.max(5, Math.round(20 * Math.min(1, ctx.scale * 2)));
  const runs: FanoutResult[] = [];
  for (let block = 0; block < ctx.repeat; block++) {
    const order = block % 2 === 0 ? [true, false, false, true] : [false, true, true, false];
    // The four runs of a block write on the same timetable (see writerPhases).
    for (const journal of order) runs.push(await runFanout(ctx, 'goldthread', clients, seconds, { journal, phasesSeed: 100 + block }));
  }
  const side = (journal: boolean): DurabilitySide => {
    const picked = runs.filter((r) => r.journal === journal);
    const of = (value: (run: FanoutResult) => number, digits: number) => Number(median(picked.map(value)).toFixed(digits));
    return {
      p50: of((r) => r.latencyMs.p50, 1),
      p99: of((r) => r.latencyMs.p99, 1),
      cpuPercent: of((r) => r.serverUsage.cpuPercent, 1),
      cpuMicrosPerDelivery: of((r) => r.serverCpuUsPerDelivery, 2)
    };
  };
  const on = side(true);
  const off = side(false);
  const result = { clients, runs, journalOn: on, journalOff: off, p99CostPercent: Number((((on.p99 - off.p99) / off.p99) * 100).toFixed(1)) };
  ctx.log(`  journal on p99 ${on.p99} ms vs off ${off.p99} ms: ${result.p99CostPercent > 0 ? '+' : ''}${result.p99CostPercent}%`);
  return result;
}
