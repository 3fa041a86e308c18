import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/**
 * CPU and memory of a process read from /proc (what pidusage does on Linux, without a
 * native dependency): utime + stime from /proc/<pid>/stat, VmRSS and VmHWM from /proc/<pid>/status.
 */

let clockTicks: number | null = null;
function ticksPerSecond(): number {
  if (clockTicks === null) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

/** CPU seconds (user + system) the process has used so far, or null when it is gone. */
export function cpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces; fields after it start past the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return (utime + stime) / ticksPerSecond();
  } catch {
    return null;
  }
}

/** Resident set size and its high-water mark, in MiB, or null when the process is gone. */
export function memoryMiB(pid: number): { rss: number; hwm: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
    return { rss: kib('VmRSS') / 1024, hwm: kib('VmHWM') / 1024 };
  } catch {
    return null;
  }
}

/** What a window of sampling found: CPU as a percentage of one core, RSS in MiB. */
export interface UsageWindow {
  /** Average over the window; 100 = one core fully busy. */
  cpuPercent: number;
  /** Highest one-second average seen inside the window. */
  cpuPeakPercent: number;
  rssStartMiB: number;
  rssEndMiB: number;
  rssPeakMiB: number;
  seconds: number;
}

/**
 * Samples the CPU and RSS of a set of processes (summed) every `intervalMs` until stopped.
 * Used for the server under test and for the load generator's own processes.
 */
export class UsageSampler {
  readonly #pids: () => number[];
  readonly #intervalMs: number;
  #timer: NodeJS.Timeout | null = null;
  #startWall = 0;
  #startCpu = 0;
  #lastWall = 0;
  #lastCpu = 0;
  #peakCpu = 0;
  #rssStart = 0;
  #rssPeak = 0;
  #rssLast = 0;

  constructor(pids: () => number[], intervalMs = 1000) {
    this.#pids = pids;
    this.#intervalMs = intervalMs;
  }

  start(): void {
    this.#startWall = this.#lastWall = performance.now();
    this.#startCpu = this.#lastCpu = this.#cpu();
    this.#rssStart = this.#rssPeak = this.#rssLast = this.#rss();
    this.#peakCpu = 0;
    this.#timer = setInterval(() => this.#sample(), this.#intervalMs);
  }

  stop(): UsageWindow {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    this.#sample();
    const seconds = (performance.now() - this.#startWall) / 1000;
    return {
      cpuPercent: seconds > 0 ? ((this.#lastCpu - this.#startCpu) / seconds) * 100 : 0,
      cpuPeakPercent: this.#peakCpu,
      rssStartMiB: this.#rssStart,
      rssEndMiB: this.#rssLast,
      rssPeakMiB: this.#rssPeak,
      seconds
    };
  }

  #sample(): void {
    const now = performance.now();
    const cpu = this.#cpu();
    const wall = (now - this.#lastWall) / 1000;
    if (wall >= 0.5) this.#peakCpu = Math.max(this.#peakCpu, ((cpu - this.#lastCpu) / wall) * 100);
    this.#lastWall = now;
    this.#lastCpu = cpu;
    this.#rssLast = this.#rss();
    this.#rssPeak = Math.max(this.#rssPeak, this.#rssLast);
  }

  #cpu(): number {
    return this.#pids().reduce((sum, pid) => sum + (cpuSeconds(pid) ?? 0), 0);
  }

  #rss(): number {
    return this.#pids().reduce((sum, pid) => sum + (memoryMiB(pid)?.rss ?? 0), 0);
  }
}
