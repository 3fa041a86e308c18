import { scaled, type BenchContext } from '../support/context.js';
import { runFanout, type FanoutResult } from './fanout.js';

export interface DurabilityResult {
  clients: number;
  /** Runs in A-B-B-A order (journal on, off, off, on) so drift in the machine's load hits both alike. */
  runs: FanoutResult[];
  journalOn: { p50: number; p99: number; cpuPercent: number };
  journalOff: { p50: number; p99: number; cpuPercent: number };
  /** (on - off) / off of the mean p99 over the runs. */
  p99CostPercent: number;
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

/** Scenario 4: Goldthread's fan-out with the write-ahead journal on and off. */
export async function durabilityScenario(ctx: BenchContext): Promise<DurabilityResult> {
  const clients = scaled(ctx, 1000, 10);
  const seconds = Math.max(5, Math.round(20 * Math.min(1, ctx.scale * 2)));
  const runs: FanoutResult[] = [];
  for (const journal of [true, false, false, true]) runs.push(await runFanout(ctx, 'goldthread', clients, seconds, { journal }));
  const side = (journal: boolean) => {
    const picked = runs.filter((r) => r.journal === journal);
    return {
      p50: Number(mean(picked.map((r) => r.latencyMs.p50)).toFixed(1)),
      p99: Number(mean(picked.map((r) => r.latencyMs.p99)).toFixed(1)),
      cpuPercent: Number(mean(picked.map((r) => r.serverUsage.cpuPercent)).toFixed(1))
    };
  };
  const on = side(true);
  const off = side(false);
  const result = { clients, runs, journalOn: on, journalOff: off, p99CostPercent: Number((((on.p99 - off.p99) / off.p99) * 100).toFixed(1)) };
  ctx.log(`  journal on p99 ${on.p99} ms vs off ${off.p99} ms: ${result.p99CostPercent > 0 ? '+' : ''}${result.p99CostPercent}%`);
  return result;
}
