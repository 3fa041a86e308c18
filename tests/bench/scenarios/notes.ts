import { randomUUID } from 'node:crypto';
import { cardsMap, putCard } from '@goldthread/shared';
import type { BenchContext } from '../support/context.js';
import { createWorkshop, facilitatorToken, timedGet, type CreatedWorkshop } from '../support/goldthread-api.js';
import { startGoldthread, type BenchServer } from '../support/servers.js';
import { pause, percentiles, round, waitFor } from '../support/stats.js';
import { openProvider } from '../support/targets.js';

const FORMATS = ['md', 'docx', 'html', 'csv', 'json'] as const;
const REPEATS = 5;

export interface NotesTiming {
  format: (typeof FORMATS)[number];
  /** The first request (rooms loaded from disk, code paths cold). */
  firstMs: number;
  medianMs: number;
  maxMs: number;
  bytes: number;
}

export interface NotesResult {
  rooms: number;
  cards: number;
  timings: NotesTiming[];
}

/** Seeds `perRoom` cards into each room through a facilitator's Yjs connection, spread over its boards. */
async function seedWorkshop(server: BenchServer, workshop: CreatedWorkshop, perRoom: number): Promise<void> {
  const token = await facilitatorToken(server.url, workshop.id, workshop.facilitatorKey);
  const serverUrl = `ws://127.0.0.1:${server.port}/yjs`;
  for (const room of workshop.rooms) {
    const { doc, provider } = await openProvider(serverUrl, `${workshop.id}/${room.id}`, { token });
    doc.transact(() => {
      for (let i = 0; i < perRoom; i++) {
        putCard(doc, {
          id: `n${i}-${randomUUID().slice(0, 6)}`,
          boardId: workshop.boards[i % workshop.boards.length]!.id,
          text: `${room.name} idea ${i}: one front door for advice on housing, benefits and health — with a named contact`,
          authorId: `author-${i % 25}`,
          authorName: `Participant ${i % 25}`,
          color: 'yellow',
          createdAt: Date.now() + i
        });
      }
    });
    const check = await openProvider(serverUrl, `${workshop.id}/${room.id}`, { token });
    await waitFor(() => cardsMap(check.doc).size >= perRoom, 30_000, 'seeded cards to reach the server');
    check.provider.destroy();
    provider.destroy();
  }
}

async function timeFormats(server: BenchServer, workshop: CreatedWorkshop): Promise<NotesTiming[]> {
  const timings: NotesTiming[] = [];
  for (const format of FORMATS) {
    const route = `/api/workshops/${workshop.id}/notes.${format}`;
    const samples: number[] = [];
    let bytes = 0;
    for (let i = 0; i < REPEATS + 1; i++) {
      const got = await timedGet(server.url, route, workshop.facilitatorKey);
      if (got.status !== 200) throw new Error(`GET ${route} answered ${got.status}`);
      samples.push(got.ms);
      bytes = got.bytes;
    }
    const warm = percentiles(samples.slice(1));
    timings.push({ format, firstMs: round(samples[0]!), medianMs: round(warm.p50), maxMs: round(Math.max(...samples)), bytes });
  }
  return timings;
}

/**
 * Scenario 7: notes of a 3-room workshop with 300 cards (and, as a heavier case, 300 in every
 * room) in every format through GET /api/workshops/:id/notes.<fmt>, authorised with the facilitator key.
 * Rooms are left idle long enough to unload first, so the first request also loads them.
 */
export async function notesScenario(ctx: BenchContext): Promise<NotesResult[]> {
  const server = await startGoldthread({ roomIdleMs: 1000 });
  const results: NotesResult[] = [];
  try {
    for (const perRoom of [100, 300]) {
      const workshop = await createWorkshop(server.url, `Notes ${perRoom * 3}`);
      await seedWorkshop(server, workshop, perRoom);
      // Let the rooms save and unload, as they would be by the time a facilitator downloads notes.
      await pause(4000);
      const timings = await timeFormats(server, workshop);
      results.push({ rooms: workshop.rooms.length, cards: perRoom * workshop.rooms.length, timings });
      ctx.log(
        `  notes, ${perRoom * workshop.rooms.length} cards: ` + timings.map((t) => `${t.format} ${t.medianMs} ms (first ${t.firstMs}, max ${t.maxMs})`).join(' · ')
      );
    }
  } finally {
    await server.stop();
  }
  return results;
}
