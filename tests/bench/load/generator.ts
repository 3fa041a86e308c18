import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ClientSpec, CollectResult, ConnectResult, ControllerMessage, GeneratorStall, WorkerMessage, WriterSpec } from './protocol.js';

const WORKER = fileURLToPath(new URL('./worker.ts', import.meta.url));
/** Clients per worker process: one Node event loop per ~250 clients keeps the generator from being the bottleneck. */
export const CLIENTS_PER_WORKER = 250;
const MAX_WORKERS = 4;
const COMMAND_TIMEOUT_MS = 180_000;

const everyWorker = new Set<ChildProcess>();

/** Kills every generator worker still running (on exit and on signals). */
export function killAllWorkers(): void {
  for (const child of everyWorker) if (child.exitCode === null) child.kill('SIGKILL');
  everyWorker.clear();
}

type Payload<T extends WorkerMessage['type']> = Extract<WorkerMessage, { type: T }>;
/** A controller message before the request id is added (Omit distributed over the union). */
type Command = ControllerMessage extends infer M ? (M extends ControllerMessage ? Omit<M, 'id'> : never) : never;

class Worker {
  readonly child: ChildProcess;
  readonly ready: Promise<void>;
  readonly #pending = new Map<number, { resolve: (m: WorkerMessage) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();
  #next = 1;

  constructor() {
    this.child = fork(WORKER, [], {
      execArgv: ['--import', 'tsx', '--max-old-space-size=4096'],
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc']
    });
    everyWorker.add(this.child);
    this.child.once('exit', () => {
      everyWorker.delete(this.child);
      for (const { reject, timer } of this.#pending.values()) {
        clearTimeout(timer);
        reject(new Error('a load-generator worker exited'));
      }
      this.#pending.clear();
    });
    this.ready = new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('a load-generator worker did not start within 30 s')), 30_000);
      this.child.once('message', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    this.child.on('message', (raw) => {
      const message = raw as WorkerMessage;
      if (!('id' in message)) return;
      const waiting = this.#pending.get(message.id);
      if (!waiting) return;
      this.#pending.delete(message.id);
      clearTimeout(waiting.timer);
      if (message.type === 'failed') waiting.reject(new Error(`load-generator worker: ${message.message}`));
      else waiting.resolve(message);
    });
  }

  send<T extends WorkerMessage['type']>(command: Command, timeoutMs = COMMAND_TIMEOUT_MS): Promise<Payload<T>> {
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new Error(`load-generator worker did not answer "${command.type}" within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#pending.set(id, { resolve: resolve as (m: WorkerMessage) => void, reject, timer });
      this.child.send({ ...command, id } as ControllerMessage);
    });
  }
}

/** Totals over every worker of one `collect`. */
export interface Collected {
  /** key -> bench cards received from others. */
  received: Map<number, number>;
  latencies: Float64Array;
  providerLatencies: Float64Array;
  /** Each card's send time (writer's clock, ms) -> the latency of its last arrival at any client. */
  lastArrivals: Map<number, number>;
  disconnects: number;
  errors: number;
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
  /** Every worker's event-loop stalls in the measured window, naming the worker ('writers' or 'receivers <n>'). */
  stalls: Array<GeneratorStall & { worker: string }>;
}

/**
 * The load generator: a pool of worker processes holding the simulated clients. Clients are
 * dealt out round-robin, so each worker has its share of writers, readers and a join storm's schedule.
 */
export class LoadGenerator {
  readonly #workers: Worker[];
  /** client key -> its worker */
  readonly #owner = new Map<number, Worker>();

  /** The process holding the writers (they receive like everyone else, but their sends are never queued behind 250 receivers). */
  readonly #writers: Worker;

  private constructor(workers: Worker[], writers: Worker) {
    this.#workers = [...workers, writers];
    this.#writers = writers;
  }

  /** Starts enough receiving workers for `clients` clients (at least one), plus one for the writers. */
  static async start(clients: number): Promise<LoadGenerator> {
    const count = Math.max(1, Math.min(MAX_WORKERS, Math.ceil(clients / CLIENTS_PER_WORKER)));
    const workers = Array.from({ length: count }, () => new Worker());
    const writers = new Worker();
    await Promise.all([...workers, writers].map((worker) => worker.ready));
    return new LoadGenerator(workers, writers);
  }

  /** Process ids of the workers, for measuring the generator's own CPU. */
  pids(): number[] {
    return this.#workers.map((worker) => worker.child.pid!).filter(Boolean);
  }

  /** Processes holding clients: the receiving workers plus the writers' one. */
  get workerCount(): number {
    return this.#workers.length;
  }

  /** Connects every client (each after its `delayMs`); resolves with each one's time to synced. */
  async connect(clients: ClientSpec[], timeoutMs: number): Promise<ConnectResult[]> {
    const shares = this.#workers.map(() => [] as ClientSpec[]);
    const readers = this.#workers.length - 1;
    let dealt = 0;
    for (const client of clients) {
      const index = client.writer ? readers : dealt++ % readers;
      shares[index]!.push(client);
      this.#owner.set(client.key, this.#workers[index]!);
    }
    const maxDelay = Math.max(0, ...clients.map((c) => c.delayMs));
    const answers = await Promise.all(
      this.#workers.map((worker, i) =>
        worker.send<'connected'>({ type: 'connect', clients: shares[i]!, timeoutMs }, maxDelay + timeoutMs + 30_000)
      )
    );
    return answers.flatMap((answer) => answer.results);
  }

  /** Writers add cards at `perSecond` each for `durationMs`; resolves with cards sent per writer key. */
  async write(writers: WriterSpec[], perSecond: number, durationMs: number, tag: string): Promise<Map<number, number>> {
    const byWorker = new Map<Worker, WriterSpec[]>();
    for (const writer of writers) {
      const worker = this.#owner.get(writer.key);
      if (!worker) throw new Error(`client ${writer.key} is not connected`);
      byWorker.set(worker, [...(byWorker.get(worker) ?? []), writer]);
    }
    await this.#measure();
    const answers = await Promise.all(
      [...byWorker].map(([worker, list]) =>
        worker.send<'written'>({ type: 'write', writers: list, perSecond, durationMs, tag }, durationMs + 60_000)
      )
    );
    const sent = new Map<number, number>();
    for (const answer of answers) for (const [key, n] of Object.entries(answer.sent)) sent.set(Number(key), n);
    return sent;
  }

  /** Every client updates its presence (cursor, typing) `hz` times a second for `durationMs`. */
  async presence(hz: number, durationMs: number): Promise<number> {
    await this.#measure();
    const answers = await Promise.all(
      this.#workers.map((worker) => worker.send<'presenced'>({ type: 'presence', hz, durationMs }, durationMs + 60_000))
    );
    return answers.reduce((sum, answer) => sum + answer.updates, 0);
  }

  /** Every worker starts its measured window (event-loop delay, stalls) now, not when it connected its clients. */
  async #measure(): Promise<void> {
    await Promise.all(this.#workers.map((worker) => worker.send<'measuring'>({ type: 'measure' })));
  }

  /** Gathers what every client received of cards tagged `tag`. */
  async collect(tag: string): Promise<Collected> {
    const answers = await Promise.all(this.#workers.map((worker) => worker.send<'collected'>({ type: 'collect', tag })));
    const results: CollectResult[] = answers.map((answer) => answer.result);
    const received = new Map<number, number>();
    for (const result of results) for (const [key, n] of Object.entries(result.received)) received.set(Number(key), n);
    const join = (arrays: Float64Array[]) => {
      const all = new Float64Array(arrays.reduce((sum, a) => sum + a.length, 0));
      let offset = 0;
      for (const a of arrays) {
        all.set(a, offset);
        offset += a.length;
      }
      return all;
    };
    const lastArrivals = new Map<number, number>();
    for (const result of results) {
      for (const [sentAt, ms] of result.lastArrivals) lastArrivals.set(sentAt, Math.max(lastArrivals.get(sentAt) ?? 0, ms));
    }
    return {
      received,
      lastArrivals,
      latencies: join(results.map((r) => r.latencies)),
      providerLatencies: join(results.map((r) => r.providerLatencies)),
      disconnects: results.reduce((sum, r) => sum + r.disconnects, 0),
      errors: results.reduce((sum, r) => sum + r.errors, 0),
      loopDelayP99Ms: Math.max(...results.map((r) => r.loopDelayP99Ms)),
      loopDelayMaxMs: Math.max(...results.map((r) => r.loopDelayMaxMs)),
      stalls: results.flatMap((r, i) =>
        r.stalls.map((stall) => ({ ...stall, worker: this.#workers[i] === this.#writers ? 'writers' : `receivers ${i + 1}` }))
      )
    };
  }

  /** Disconnects every client and ends the workers. */
  async close(): Promise<void> {
    await Promise.allSettled(this.#workers.map((worker) => worker.send<'closed'>({ type: 'close' }, 20_000)));
    for (const worker of this.#workers) {
      if (worker.child.exitCode === null) {
        const exited = new Promise((resolve) => worker.child.once('exit', resolve));
        const timer = setTimeout(() => worker.child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
    }
  }
}
