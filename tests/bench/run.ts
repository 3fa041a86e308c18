import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { killAllWorkers } from './load/generator.js';
import { buildIsStale, buildProduction, killAllServers, REPO_ROOT } from './support/servers.js';
import type { BenchContext } from './support/context.js';
import { describeMachine } from './support/machine.js';
import { fanoutScenario } from './scenarios/fanout.js';
import { joinStormScenario } from './scenarios/join-storm.js';
import { presenceScenario } from './scenarios/presence.js';
import { durabilityScenario } from './scenarios/durability.js';
import { memoryScenario } from './scenarios/memory.js';
import { webScenario } from './scenarios/web.js';
import { notesScenario } from './scenarios/notes.js';
import { isolationScenario } from './scenarios/isolation.js';
import { judgeTargets, printReport, type BenchResults } from './report.js';

/**
 * `pnpm bench` — Goldthread against the reference y-websocket server, scenario by scenario.
 *   --quick            a tenth of the clients, cards and workshops (also BENCH_SCALE=0.1)
 *   --only=a,b         run some scenarios: fanout, join, presence, durability, memory, web, notes, isolation
 *   --repeat=N         run the 1,000-client fan-out and the join storm N times, alternating
 *                      which server goes first, and the journal on/off A-B-B-A block N times;
 *                      the targets are judged on the medians
 *   --real-clients     every client a stock WebsocketProvider with a Y.Doc (default: one in ten,
 *                      the rest speak the protocol without a Y.Doc; see docs/performance.md)
 *   --no-build         use server/dist and web/build as they are
 *   --out=<file>       where to write the JSON (default bench-results/latest.json)
 *   --report=<file>    print the tables and targets of an earlier run's JSON (path from the repo root), running nothing
 */

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const option = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);

// --report=<file>: judge and print a results file again, without running anything.
const reportOnly = option('report');
if (reportOnly) {
  const saved = JSON.parse(readFileSync(path.resolve(REPO_ROOT, reportOnly), 'utf8')) as BenchResults;
  saved.targets = judgeTargets(saved);
  printReport(saved);
  process.exit(0);
}

const scale = flag('quick') ? 0.1 : Number(process.env.BENCH_SCALE ?? '1');
if (!Number.isFinite(scale) || scale <= 0 || scale > 1) throw new Error('BENCH_SCALE must be in (0, 1]');
const ALL = ['fanout', 'join', 'presence', 'durability', 'memory', 'web', 'notes', 'isolation'] as const;
type Name = (typeof ALL)[number];
const only = (option('only')?.split(',').map((s) => s.trim()) ?? [...ALL]) as Name[];
for (const name of only) if (!ALL.includes(name)) throw new Error(`unknown scenario "${name}"; choose from ${ALL.join(', ')}`);
const out = path.resolve(REPO_ROOT, option('out') ?? 'bench-results/latest.json');

// Child processes never outlive the bench, however it ends.
const cleanUp = () => {
  killAllWorkers();
  killAllServers();
};
process.on('exit', cleanUp);
// Every y-websocket provider adds a process 'exit' listener; the memory scenario opens hundreds here.
process.setMaxListeners(0);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    cleanUp();
    process.exit(130);
  });
}

const repeat = Number(option('repeat') ?? process.env.BENCH_REPEAT ?? '1');
if (!Number.isInteger(repeat) || repeat < 1 || repeat > 9) throw new Error('--repeat must be a whole number from 1 to 9');
const providerEvery = flag('real-clients') ? 1 : 10;
const ctx: BenchContext = { scale, repeat, providerEvery, log: (line) => console.log(line) };

if (!flag('no-build') && buildIsStale()) {
  console.log('Sources are newer than the build: running "pnpm -w run build" first.');
  buildProduction();
}

const results: BenchResults = {
  startedAt: new Date().toISOString(),
  scale,
  repeat,
  providerEvery,
  machine: describeMachine(),
  scenarios: {},
  targets: [],
  errors: {},
  loadAverageAtStart: {}
};
console.log(`Goldthread bench — scale ${scale}${scale < 1 ? ' (scaled down: numbers are not comparable to the targets)' : ''}`);
console.log(`${results.machine.cpuModel} · ${results.machine.cores} cores · ${results.machine.memoryGiB} GiB · node ${results.machine.node} · load ${results.machine.loadAverage.join(' ')}`);

const scenarios: Record<Name, (ctx: BenchContext) => Promise<unknown>> = {
  fanout: fanoutScenario,
  join: joinStormScenario,
  presence: presenceScenario,
  durability: durabilityScenario,
  memory: memoryScenario,
  web: webScenario,
  notes: notesScenario,
  isolation: isolationScenario
};

const write = () => {
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify(results, null, 2) + '\n');
};

for (const name of only) {
  const started = performance.now();
  results.loadAverageAtStart[name] = os.loadavg().map((l) => Number(l.toFixed(2)));
  console.log(`\n▶ ${name} (load average ${results.loadAverageAtStart[name]!.join(' ')})`);
  try {
    (results.scenarios as Record<string, unknown>)[name] = await scenarios[name](ctx);
  } catch (error) {
    console.error(`  ${name} failed: ${(error as Error).stack ?? error}`);
    results.errors[name] = String((error as Error).message ?? error);
  }
  console.log(`  (${((performance.now() - started) / 1000).toFixed(0)} s)`);
  write();
}

results.finishedAt = new Date().toISOString();
results.targets = judgeTargets(results);
write();
printReport(results);
console.log(`\nResults written to ${path.relative(process.cwd(), out) || out}`);
cleanUp();
process.exit(Object.keys(results.errors).length > 0 ? 1 : 0);
