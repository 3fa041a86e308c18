import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { addCard } from '@goldthread/shared';
import { scaled, type BenchContext } from '../support/context.js';
import { createWorkshop, join, type CreatedWorkshop } from '../support/goldthread-api.js';
import { memoryMiB } from '../support/proc-stats.js';
import { startGoldthread, type BenchServer } from '../support/servers.js';
import { pause, waitFor } from '../support/stats.js';
import { openProvider } from '../support/targets.js';

export interface MemoryResult {
  workshops: number;
  roomIdleMs: number;
  cardsPerRoom: number;
  /** RSS (MiB) of the server just started, with no workshops. */
  freshEmptyMiB: number;
  /** Peak RSS while the workshops were in use. */
  peakInUseMiB: number;
  /** RSS once every room had been idle and unloaded (lowest of the last readings). */
  afterUnloadMiB: number;
  /** The same, after a second round of use of the same workshops. */
  afterSecondRoundMiB: number;
  /** A server started afresh on the same data folder (the workshops known, no room loaded). */
  freshSameDataMiB: number;
  /** afterUnload relative to the fresh server on the same data, in percent. */
  overFreshPercent: number;
  overFreshEmptyPercent: number;
}

const CARDS_PER_ROOM = 10;
const CONCURRENCY = 10;

/** Settles for `ms` while reading RSS every second; the lowest of the last readings. */
async function settledRss(server: BenchServer, ms: number): Promise<number> {
  const readings: number[] = [];
  const end = performance.now() + ms;
  while (performance.now() < end) {
    await pause(1000);
    readings.push(memoryMiB(server.pid)?.rss ?? NaN);
  }
  return Math.min(...readings.slice(-5));
}

/** The server's own account of what it gave back each time it went idle. */
const releases = (server: BenchServer) => server.output().split('\n').filter((line) => line.includes('no rooms loaded'));

/** One participant per room connects, adds cards, checks they were kept, and leaves. */
export async function useWorkshop(server: BenchServer, workshop: CreatedWorkshop, round: number): Promise<void> {
  const serverUrl = `ws://127.0.0.1:${server.port}/yjs`;
  await Promise.all(
    workshop.rooms.map(async (room) => {
      const participant = await join(server.url, workshop.joinCode, `Memory ${round}`, room.id);
      const { doc, provider } = await openProvider(serverUrl, `${workshop.id}/${room.id}`, { token: participant.token });
      try {
        for (let i = 0; i < CARDS_PER_ROOM; i++) {
          addCard(doc, { boardId: workshop.boards[i % workshop.boards.length]!.id, text: `Round ${round} idea ${i}: a shared referral route`, authorId: participant.participantId, authorName: `Memory ${round}` });
        }
        // The cards are on the server once its HTTP view of the room lists them.
        await waitFor(
          async () => {
            const response = await fetch(`${server.url}/api/workshops/${workshop.id}/rooms/${room.id}/cards`, {
              headers: { authorization: `Bearer ${participant.token}` },
              signal: AbortSignal.timeout(10_000)
            });
            const cards = (await response.json()) as unknown[];
            return cards.length >= CARDS_PER_ROOM * round;
          },
          20_000,
          `room ${room.id} to keep its cards`,
          50
        );
      } finally {
        provider.destroy();
        doc.destroy();
      }
    })
  );
}

export async function inBatches<T>(items: T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: size }, async () => {
      while (next < items.length) await work(items[next++]!);
    })
  );
}

/**
 * Scenario 5: 200 workshops created and used (a participant in each of the 3 rooms adds cards),
 * then left idle with GOLDTHREAD_ROOM_IDLE_MS=2000 so every room unloads; the server's RSS then,
 * against a fresh server on the same data.
 */
export async function memoryScenario(ctx: BenchContext): Promise<MemoryResult> {
  const count = scaled(ctx, 200, 5);
  const roomIdleMs = 2000;
  // Made here, not by the server harness, so it outlives the first server for the second.
  const dataDir = mkdtempSync(path.join(tmpdir(), 'goldthread-bench-memory-'));
  const server = await startGoldthread({ roomIdleMs, dataDir, logLevel: 'info' });
  let freshSame: BenchServer | null = null;
  try {
    const freshEmptyMiB = await settledRss(server, 5000);
    let peakInUseMiB = 0;
    const peak = setInterval(() => (peakInUseMiB = Math.max(peakInUseMiB, memoryMiB(server.pid)?.rss ?? 0)), 250);
    const workshops: CreatedWorkshop[] = [];
    for (let i = 0; i < count; i++) workshops.push(await createWorkshop(server.url, `Memory ${i}`));
    await inBatches(workshops, CONCURRENCY, (w) => useWorkshop(server, w, 1));
    clearInterval(peak);
    // Idle unload after 2 s, then saving; give it ample time and read the settled RSS.
    const afterUnloadMiB = await settledRss(server, roomIdleMs + 15_000);
    ctx.log(`  memory: fresh ${freshEmptyMiB.toFixed(1)} MiB, peak in use ${peakInUseMiB.toFixed(1)} MiB, after unload ${afterUnloadMiB.toFixed(1)} MiB`);
    ctx.log(`  server: ${releases(server).at(-1) ?? 'no "no rooms loaded" line: it never found itself idle'}`);

    await inBatches(workshops, CONCURRENCY, (w) => useWorkshop(server, w, 2));
    const afterSecondRoundMiB = await settledRss(server, roomIdleMs + 15_000);
    await server.stop();

    // Same data, new process: what the server needs for these workshops with no room loaded.
    freshSame = await startGoldthread({ roomIdleMs, dataDir });
    const freshSameDataMiB = await settledRss(freshSame, 5000);
    const result: MemoryResult = {
      workshops: count,
      roomIdleMs,
      cardsPerRoom: CARDS_PER_ROOM * 2,
      freshEmptyMiB: Number(freshEmptyMiB.toFixed(1)),
      peakInUseMiB: Number(peakInUseMiB.toFixed(1)),
      afterUnloadMiB: Number(afterUnloadMiB.toFixed(1)),
      afterSecondRoundMiB: Number(afterSecondRoundMiB.toFixed(1)),
      freshSameDataMiB: Number(freshSameDataMiB.toFixed(1)),
      overFreshPercent: Number((((afterUnloadMiB - freshSameDataMiB) / freshSameDataMiB) * 100).toFixed(1)),
      overFreshEmptyPercent: Number((((afterUnloadMiB - freshEmptyMiB) / freshEmptyMiB) * 100).toFixed(1))
    };
    ctx.log(
      `  memory: after second round ${result.afterSecondRoundMiB} MiB; fresh server on the same data ${result.freshSameDataMiB} MiB → after unload is ${result.overFreshPercent}% over`
    );
    return result;
  } finally {
    await freshSame?.stop();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
