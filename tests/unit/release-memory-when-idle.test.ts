import { describe, expect, it } from 'vitest';
import type { Logger } from '../../server/src/logger.js';
import { releaseMemoryWhenIdle } from '../../server/src/memory/release-when-idle.js';

function recordingLogger() {
  const lines: string[] = [];
  const logger: Logger = { info: (m) => lines.push(m), warn: (m) => lines.push(m), error: (m) => lines.push(m) };
  return { logger, lines };
}

/** Grows the V8 heap by about `mib` MiB of objects that are garbage once this returns. */
function churn(mib: number): number {
  const kept: { id: number; text: string }[] = [];
  for (let i = 0; i < mib * 8000; i++) kept.push({ id: i, text: `card ${i} about shared referral routes` });
  return kept.length;
}

const heapMiB = () => process.memoryUsage().heapTotal / 1048576;

async function until(check: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!check() && Date.now() < end) await new Promise((resolve) => setTimeout(resolve, 25));
}

describe('releaseMemoryWhenIdle', () => {
  it('gives the heap back once no room is loaded, and says how much is left resident', async () => {
    const { logger, lines } = recordingLogger();
    const release = releaseMemoryWhenIdle({ delayMs: 10, roomsLoaded: () => 0, logger });
    churn(60);
    const grown = heapMiB();
    release.allRoomsUnloaded();
    await until(() => lines.length > 0, 15_000);
    release.close();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^no rooms loaded: \d+ → \d+ MiB resident, V8 heap \d+ MiB$/);
    expect(heapMiB()).toBeLessThan(grown - 30);
  });

  it('leaves the heap alone when a room has loaded again by then, or the server is closing', async () => {
    const busy = recordingLogger();
    const whileBusy = releaseMemoryWhenIdle({ delayMs: 10, roomsLoaded: () => 1, logger: busy.logger });
    whileBusy.allRoomsUnloaded();
    const closing = recordingLogger();
    const whileClosing = releaseMemoryWhenIdle({ delayMs: 10, roomsLoaded: () => 0, logger: closing.logger });
    whileClosing.allRoomsUnloaded();
    whileClosing.close();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    whileBusy.close();
    expect(busy.lines).toEqual([]);
    expect(closing.lines).toEqual([]);
  });
});
