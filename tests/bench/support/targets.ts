import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { cardsMap, putCard } from '@goldthread/shared';
import type { ClientSpec } from '../load/protocol.js';
import { createWorkshop, facilitatorToken, joinMany, type CreatedWorkshop } from './goldthread-api.js';
import type { BenchServer } from './servers.js';
import { percentiles, waitFor, type Percentiles } from './stats.js';

/** One room on a server under test, with what it takes to put clients in it. */
export interface BenchRoom {
  /** The board the fan-out writers add to. */
  boardId: string;
  /** Boards that seeded cards go to (each holds at most 500 on Goldthread). */
  seedBoards: string[];
  /** Client specs for `count` participants with keys from `firstKey`; Goldthread joins each one over HTTP first. */
  clients(count: number, firstKey: number, presence: ClientSpec['presence']): Promise<ClientSpec[]>;
  /** Latency of the HTTP joins done so far (Goldthread only). */
  joinStats(): (Percentiles & { perSecond: number }) | null;
  /** A Yjs provider with write access to every board (facilitator on Goldthread), for seeding. */
  seeder(): Promise<{ doc: Y.Doc; provider: WebsocketProvider }>;
  workshop: CreatedWorkshop | null;
}

const ws = WebSocket as unknown as typeof globalThis.WebSocket;

/** Opens a provider in this process and waits for it to sync. */
export async function openProvider(serverUrl: string, room: string, params: Record<string, string>, timeoutMs = 30_000) {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(serverUrl, room, doc, { WebSocketPolyfill: ws, params, disableBc: true });
  provider.awareness.setLocalState(null);
  await waitFor(() => provider.synced, timeoutMs, `a provider of ${room} to sync`, 20);
  return { doc, provider };
}

/** Sets up a room on a Goldthread server: a workshop with `boards` boards, the first room. */
export async function goldthreadRoom(server: BenchServer, boards = 3): Promise<BenchRoom> {
  const workshop = await createWorkshop(server.url, `Bench ${randomUUID().slice(0, 8)}`, { boards });
  const room = workshop.rooms[0]!;
  const serverUrl = `ws://127.0.0.1:${server.port}/yjs`;
  const joinLatencies: number[] = [];
  let joinSeconds = 0;
  return {
    workshop,
    boardId: workshop.boards[0]!.id,
    seedBoards: workshop.boards.slice(1).map((b) => b.id),
    async clients(count, firstKey, presence) {
      // Each joins under the name its cards and presence carry (the server holds them to it).
      const joined = await joinMany(server.url, workshop.joinCode, room.id, count, 8, (i) => `Bench ${firstKey + i}`);
      joinLatencies.push(...joined.latenciesMs);
      joinSeconds += joined.seconds;
      return joined.participants.map((p, i) => ({
        key: firstKey + i,
        serverUrl,
        room: `${workshop.id}/${room.id}`,
        params: { token: p.token },
        participantId: p.participantId,
        name: `Bench ${firstKey + i}`,
        delayMs: 0,
        presence
      }));
    },
    joinStats() {
      if (joinLatencies.length === 0) return null;
      return { ...percentiles(joinLatencies), perSecond: joinLatencies.length / joinSeconds };
    },
    async seeder() {
      const token = await facilitatorToken(server.url, workshop.id, workshop.facilitatorKey);
      return openProvider(serverUrl, `${workshop.id}/${room.id}`, { token });
    }
  };
}

/** A room on the reference server: any name is a room; anyone may write. */
export function referenceRoom(server: BenchServer, boards = 3): BenchRoom {
  const name = `bench-${randomUUID().slice(0, 8)}`;
  const serverUrl = `ws://127.0.0.1:${server.port}`;
  const boardIds = Array.from({ length: boards }, (_, i) => `board-${i}`);
  return {
    workshop: null,
    boardId: boardIds[0]!,
    seedBoards: boardIds.slice(1),
    async clients(count, firstKey, presence) {
      return Array.from({ length: count }, (_, i) => ({
        key: firstKey + i,
        serverUrl,
        room: name,
        participantId: `p${firstKey + i}`,
        name: `Bench ${firstKey + i}`,
        delayMs: 0,
        presence
      }));
    },
    joinStats: () => null,
    seeder: () => openProvider(serverUrl, name, {})
  };
}

/**
 * Adds `count` cards (like participants' cards, ~60 characters each) spread over the room's
 * seed boards, in batches, and waits until a fresh client syncs all of them from the server.
 */
export async function seedCards(room: BenchRoom, count: number): Promise<void> {
  const { doc, provider } = await room.seeder();
  const boards = room.seedBoards.length > 0 ? room.seedBoards : [room.boardId];
  const batch = 100;
  const before = cardsMap(doc).size;
  for (let start = 0; start < count; start += batch) {
    doc.transact(() => {
      for (let i = start; i < Math.min(count, start + batch); i++) {
        putCard(doc, {
          id: `seed-${i}-${randomUUID().slice(0, 6)}`,
          boardId: boards[i % boards.length]!,
          text: `Seed card ${i}: more joined-up support for families across services`,
          authorId: `seed-author-${i % 40}`,
          authorName: `Seed author ${i % 40}`,
          color: 'yellow',
          createdAt: Date.now()
        });
      }
    });
    // Let the message go out before the next batch (the server limits messages per connection).
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const check = await room.seeder();
  try {
    await waitFor(() => cardsMap(check.doc).size >= before + count, 60_000, `${count} seeded cards to reach the server`);
  } finally {
    check.provider.destroy();
    provider.destroy();
  }
}
