import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { createWorkshop, type CreatedWorkshop } from './support/goldthread-api.js';
import { memoryMiB } from './support/proc-stats.js';
import { killAllServers, startGoldthread } from './support/servers.js';
import { pause, waitFor } from './support/stats.js';
import { inBatches, useWorkshop } from './scenarios/memory.js';

/**
 * Why does RSS stay up after rooms unload? Runs the memory scenario's workload against a
 * server started with --inspect (loopback, random port) and, through the DevTools protocol,
 * reads process.memoryUsage() before and after a forced full GC, and counts heap objects by
 * constructor (heap snapshot) fresh vs after unload.
 * With --trim it then asks glibc to return freed memory (malloc_trim(0), through gdb) and reads RSS again.
 * Usage: tsx bench/diagnose-memory.ts [workshops] [--journal=off] [--trim]
 */

const count = Number(process.argv[2] ?? 200);
process.on('exit', killAllServers);

class Inspector {
  readonly #ws: WebSocket;
  #next = 1;
  readonly #waiting = new Map<number, (result: unknown) => void>();
  #chunks: string[] = [];
  private constructor(ws: WebSocket) {
    this.#ws = ws;
    ws.on('message', (raw) => {
      const message = JSON.parse(String(raw)) as { id?: number; result?: unknown; method?: string; params?: { chunk: string } };
      if (message.method === 'HeapProfiler.addHeapSnapshotChunk') this.#chunks.push(message.params!.chunk);
      if (message.id !== undefined) this.#waiting.get(message.id)?.(message.result);
    });
  }
  static async connect(url: string) {
    const ws = new WebSocket(url);
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    return new Inspector(ws);
  }
  call(method: string, params: object = {}): Promise<unknown> {
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${method} timed out`)), 120_000);
      this.#waiting.set(id, (result) => {
        clearTimeout(timer);
        resolve(result);
      });
      this.#ws.send(JSON.stringify({ id, method, params }));
    });
  }
  async memoryUsage(): Promise<Record<string, number>> {
    const result = (await this.call('Runtime.evaluate', { expression: 'JSON.stringify(process.memoryUsage())', returnByValue: true })) as { result: { value: string } };
    const usage = JSON.parse(result.result.value) as Record<string, number>;
    return Object.fromEntries(Object.entries(usage).map(([k, v]) => [k, Number((v / 1024 / 1024).toFixed(1))]));
  }
  /** Live objects by constructor name: count and self size (MiB). */
  async heapCensus(): Promise<Map<string, { count: number; mib: number }>> {
    this.#chunks = [];
    await this.call('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
    const snapshot = JSON.parse(this.#chunks.join('')) as {
      snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
      nodes: number[];
      strings: string[];
    };
    const fields = snapshot.snapshot.meta.node_fields;
    const width = fields.length;
    const typeAt = fields.indexOf('type');
    const nameAt = fields.indexOf('name');
    const sizeAt = fields.indexOf('self_size');
    const types = snapshot.snapshot.meta.node_types[0];
    const census = new Map<string, { count: number; mib: number }>();
    for (let i = 0; i < snapshot.nodes.length; i += width) {
      const type = types[snapshot.nodes[i + typeAt]!]!;
      const name = type === 'object' || type === 'closure' ? snapshot.strings[snapshot.nodes[i + nameAt]!]! : `(${type})`;
      const entry = census.get(name) ?? { count: 0, mib: 0 };
      entry.count++;
      entry.mib += snapshot.nodes[i + sizeAt]! / 1024 / 1024;
      census.set(name, entry);
    }
    return census;
  }
}

/** Resident memory by mapping kind (/proc/<pid>/smaps): the brk heap, anonymous mappings, files. */
function residentByMapping(pid: number): string {
  const smaps = readFileSync(`/proc/${pid}/smaps`, 'utf8');
  const groups = new Map<string, { kib: number; count: number }>();
  let current = '';
  for (const line of smaps.split('\n')) {
    const header = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \d+\s*(.*)$/.exec(line);
    if (header) {
      const name = header[1]!.trim();
      current = name === '' ? '(anonymous)' : name.startsWith('/') ? (name.includes('node') ? 'node binary' : '(files)') : name;
      continue;
    }
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (rss) {
      const group = groups.get(current) ?? { kib: 0, count: 0 };
      group.kib += Number(rss[1]);
      group.count++;
      groups.set(current, group);
    }
  }
  return [...groups]
    .sort((a, b) => b[1].kib - a[1].kib)
    .slice(0, 5)
    .map(([name, g]) => `${name} ${(g.kib / 1024).toFixed(1)} MiB in ${g.count} mappings`)
    .join('; ');
}

const dataDir = mkdtempSync(path.join(tmpdir(), 'goldthread-diagnose-'));
const server = await startGoldthread({ roomIdleMs: 2000, dataDir, journal: !process.argv.includes('--journal=off'), nodeFlags: ['--inspect=127.0.0.1:0'] });
try {
  await waitFor(() => /ws:\/\/127\.0\.0\.1:\d+\/[\w-]+/.test(server.output()), 10_000, 'the inspector address');
  const inspector = await Inspector.connect(/ws:\/\/127\.0\.0\.1:\d+\/[\w-]+/.exec(server.output())![0]);
  await inspector.call('HeapProfiler.enable');
  const rss = () => Number(memoryMiB(server.pid)!.rss.toFixed(1));

  await pause(5000);
  console.log(`fresh:                   RSS ${rss()} MiB`, await inspector.memoryUsage());
  await inspector.call('HeapProfiler.collectGarbage');
  console.log(`fresh, after full GC:    RSS ${rss()} MiB`, await inspector.memoryUsage());
  console.log(`  resident by mapping: ${residentByMapping(server.pid)}`);
  const before = await inspector.heapCensus();

  const workshops: CreatedWorkshop[] = [];
  for (let i = 0; i < count; i++) workshops.push(await createWorkshop(server.url, `Diagnose ${i}`));
  await inBatches(workshops, 10, (w) => useWorkshop(server, w, 1));
  console.log(`in use (just left):      RSS ${rss()} MiB`, await inspector.memoryUsage());
  await pause(17_000);
  console.log(`after unload:            RSS ${rss()} MiB`, await inspector.memoryUsage());
  await inspector.call('HeapProfiler.collectGarbage');
  await pause(2000);
  console.log(`after unload + full GC:  RSS ${rss()} MiB`, await inspector.memoryUsage());
  console.log(`  resident by mapping: ${residentByMapping(server.pid)}`);
  if (process.argv.includes('--trim')) {
    // Would glibc give the freed memory back if asked? malloc_trim(0) through gdb (Debian's gdb).
    execFileSync('gdb', ['-p', String(server.pid), '-batch', '-ex', 'call (int) malloc_trim(0)'], { stdio: 'ignore' });
    await pause(1000);
    console.log(`after malloc_trim(0):    RSS ${rss()} MiB; resident by mapping: ${residentByMapping(server.pid)}`);
  }
  const after = await inspector.heapCensus();

  const growth = [...after]
    .map(([name, a]) => ({ name, count: a.count - (before.get(name)?.count ?? 0), mib: a.mib - (before.get(name)?.mib ?? 0) }))
    .sort((x, y) => y.mib - x.mib)
    .slice(0, 25);
  console.log('\nLive heap objects after unload + GC minus fresh + GC (by constructor, largest growth first):');
  for (const g of growth) console.log(`${g.mib.toFixed(2).padStart(8)} MiB  ${String(g.count).padStart(8)} objects  ${g.name}`);
} finally {
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
  process.exit(0);
}
