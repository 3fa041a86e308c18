import { readFileSync } from 'node:fs';
import os from 'node:os';

export interface Machine {
  cores: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  kernel: string;
  /** 1, 5 and 15-minute load averages when the bench started: other work on the machine skews every number. */
  loadAverage: number[];
}

/** The machine the numbers were measured on. */
export function describeMachine(): Machine {
  let cpuModel = os.cpus()[0]?.model ?? 'unknown';
  try {
    cpuModel = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? cpuModel;
  } catch {
    // Not Linux: os.cpus() is good enough.
  }
  return {
    cores: os.availableParallelism(),
    cpuModel,
    memoryGiB: Number((os.totalmem() / 1024 ** 3).toFixed(1)),
    node: process.version,
    kernel: `${os.type()} ${os.release()}`,
    loadAverage: os.loadavg().map((l) => Number(l.toFixed(2)))
  };
}

/**
 * CPU time the hypervisor gave to other guests, in ms, summed over every core since boot
 * (`steal` in /proc/stat; 0 where unknown). On a virtual machine it stalls every process at
 * once, the load generator's and the server's alike.
 */
export function stolenMs(): number {
  try {
    const fields = /^cpu\s+(.+)$/m.exec(readFileSync('/proc/stat', 'utf8'))?.[1]?.trim().split(/\s+/).map(Number) ?? [];
    // user nice system idle iowait irq softirq steal …, in USER_HZ (100 a second on Linux).
    return (fields[7] ?? 0) * 10;
  } catch {
    return 0;
  }
}
