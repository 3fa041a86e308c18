import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import * as encoding from 'lib0/encoding';
import { CLOSE_CODES, RATES } from '@goldthread/shared';
import { fillRoom, scaled, startServer, summarise, type BenchContext } from '../support/context.js';
import { createWorkshop, join, joinMany } from '../support/goldthread-api.js';
import { pause, percentiles } from '../support/stats.js';
import type { BenchServer } from '../support/servers.js';
import { CARDS_PER_SECOND, WRITERS, drain, writerPhases } from './fanout.js';

/** Edits in one workshop while another workshop's token misbehaves within the limits. */
export interface IsolationResult {
  /** Clients in the measured workshop's room, and the writers among them. */
  clients: number;
  writers: number;
  seconds: number;
  quiet: { latencyMs: ReturnType<typeof summarise> };
  /** One participant token of another workshop opening connection after connection. */
  connectionFlood: {
    latencyMs: ReturnType<typeof summarise>;
    deliveryPercent: number;
    attempts: number;
    /** Attempts the server closed with 4430 (the per-token cap). */
    capped: number;
    /** Most connections the token held open at once. */
    heldAtOnce: number;
  };
  /** Clients of another workshop each publishing presence at its own rate and size limits. */
  presenceFlood: {
    latencyMs: ReturnType<typeof summarise>;
    deliveryPercent: number;
    clients: number;
    updatesSent: number;
    /** Bytes the server sent those clients, per second. */
    bytesPerSecondReceived: number;
  };
}

/**
 * Scenario "isolation": a workshop's room (20 clients, 5 writers × 2 cards/s) is measured quiet,
 * then while one participant token of another workshop opens thousands of connections (as fast as
 * the server answers, 1,000 at a time), then while 40 clients of that other workshop publish
 * near-8 KiB presence at 10 Hz each — everything within the per-connection limits. The target:
 * the measured room's edit p99 stays within 2× its quiet figure in both. Loopback only, bounded
 * in count (the attempts) and time (each phase).
 */
export async function isolationScenario(ctx: BenchContext): Promise<IsolationResult> {
  const clients = scaled(ctx, 20, 6);
  const seconds = Math.max(4, Math.round(10 * Math.min(1, ctx.scale * 2)));
  const attemptsPlanned = scaled(ctx, 3000, 300);
  const presenceClients = scaled(ctx, 40, 10);
  const server = await startServer('goldthread');
  try {
    const filled = await fillRoom('goldthread', server, clients, { presence: 'user', spreadMs: clients * 10, writers: WRITERS, providerEvery: ctx.providerEvery });
    const { generator, room } = filled;
    try {
      const other = await createWorkshop(server.url, `Noisy ${randomUUID().slice(0, 8)}`);
      const noisyRoom = other.rooms[0]!;
      const docUrl = `ws://127.0.0.1:${server.port}/yjs/${other.id}/${noisyRoom.id}`;
      await pause(1000);
      const phases = writerPhases(0);
      const writers = filled.specs.slice(0, WRITERS).map((spec, i) => ({ key: spec.key, boardId: room.boardId, phaseMs: phases[i] }));
      const measure = async (during: (untilMs: number) => Promise<void>) => {
        const tag = randomUUID().slice(0, 8);
        const untilMs = performance.now() + seconds * 1000;
        const [sent] = await Promise.all([generator.write(writers, CARDS_PER_SECOND, seconds * 1000, tag), during(untilMs)]);
        const { expected, collected, delivered } = await drain(generator, filled.specs, sent, tag);
        return {
          latencyMs: summarise(percentiles(collected.latencies)),
          deliveryPercent: expected > 0 ? Number(((delivered / expected) * 100).toFixed(3)) : 0
        };
      };

      const quiet = await measure(async () => undefined);

      const flooder = await join(server.url, other.joinCode, 'Flooder', noisyRoom.id);
      const flood = { attempts: 0, capped: 0, heldAtOnce: 0 };
      const connections = await measure((untilMs) => connectionFlood(docUrl, flooder.token, attemptsPlanned, untilMs, flood));

      const publishers = await joinMany(server.url, other.joinCode, noisyRoom.id, presenceClients, 8, (i) => `Publisher ${i}`);
      const presence = { updatesSent: 0, bytesReceived: 0 };
      const presenceStarted = performance.now();
      const presencePhase = await measure((untilMs) => presenceFlood(docUrl, publishers.participants.map((p) => p.token), untilMs, presence));
      const presenceSeconds = (performance.now() - presenceStarted) / 1000;

      const result: IsolationResult = {
        clients,
        writers: WRITERS,
        seconds,
        quiet: { latencyMs: quiet.latencyMs },
        connectionFlood: { ...connections, ...flood },
        presenceFlood: {
          ...presencePhase,
          clients: presenceClients,
          updatesSent: presence.updatesSent,
          bytesPerSecondReceived: Math.round(presence.bytesReceived / presenceSeconds)
        }
      };
      ctx.log(
        `  isolation: edit p99 quiet ${quiet.latencyMs.p99} ms · while one token tried ${flood.attempts} connections ` +
          `(${flood.capped} closed at the cap, ${flood.heldAtOnce} held) ${connections.latencyMs.p99} ms · ` +
          `while ${presenceClients} clients flooded presence (${presence.updatesSent} updates, server sent them ` +
          `${(result.presenceFlood.bytesPerSecondReceived / 1024 / 1024).toFixed(1)} MiB/s) ${presencePhase.latencyMs.p99} ms`
      );
      return result;
    } finally {
      await generator.close();
    }
  } finally {
    await (server as BenchServer).stop();
  }
}

/**
 * One token opening connections, `inFlight` at a time, until `planned` attempts or `untilMs`:
 * those the server admits stay open to the end, those over the cap are closed by the server.
 */
async function connectionFlood(
  url: string,
  token: string,
  planned: number,
  untilMs: number,
  tally: { attempts: number; capped: number; heldAtOnce: number }
): Promise<void> {
  const inFlight = 1000;
  const held: WebSocket[] = [];
  const attempt = () =>
    new Promise<void>((resolve) => {
      tally.attempts++;
      const socket = new WebSocket(`${url}?token=${encodeURIComponent(token)}`);
      let admitted = false;
      socket.on('error', () => undefined);
      // The server greets an admitted connection with its sync step 1; a capped one is closed instead.
      socket.once('message', () => {
        admitted = true;
        held.push(socket);
        tally.heldAtOnce = Math.max(tally.heldAtOnce, held.length);
        resolve();
      });
      socket.once('close', (code) => {
        if (code === CLOSE_CODES.tooManyConnections) tally.capped++;
        if (!admitted) resolve();
      });
    });
  const lane = async () => {
    while (tally.attempts < planned && performance.now() < untilMs) await attempt();
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
  const left = untilMs - performance.now();
  if (left > 0) await pause(left);
  for (const socket of held) socket.terminate();
}

/** Each token's client publishes a near-limit presence state at the per-connection rate until `untilMs`. */
async function presenceFlood(url: string, tokens: string[], untilMs: number, tally: { updatesSent: number; bytesReceived: number }): Promise<void> {
  const sockets = await Promise.all(
    tokens.map(
      (token) =>
        new Promise<WebSocket>((resolve, reject) => {
          const socket = new WebSocket(`${url}?token=${encodeURIComponent(token)}`);
          socket.on('message', (data: Buffer) => (tally.bytesReceived += data.length));
          socket.once('open', () => resolve(socket));
          socket.once('error', reject);
        })
    )
  );
  const padding = 't'.repeat(RATES.awarenessBytes - 400);
  let clock = 0;
  while (performance.now() < untilMs) {
    clock++;
    sockets.forEach((socket, i) => {
      if (socket.readyState !== WebSocket.OPEN) return;
      socket.send(presenceMessage(0x7000_0000 + i, clock, { typing: `${clock} ${padding}` }));
      tally.updatesSent++;
    });
    await pause(1000 / RATES.awarenessPerSecond);
  }
  for (const socket of sockets) socket.terminate();
}

/** A y-websocket awareness message publishing one client's state. */
function presenceMessage(clientId: number, clock: number, state: unknown): Uint8Array {
  const inner = encoding.createEncoder();
  encoding.writeVarUint(inner, 1);
  encoding.writeVarUint(inner, clientId);
  encoding.writeVarUint(inner, clock);
  encoding.writeVarString(inner, JSON.stringify(state));
  const message = encoding.createEncoder();
  encoding.writeVarUint(message, 1);
  encoding.writeVarUint8Array(message, encoding.toUint8Array(inner));
  return encoding.toUint8Array(message);
}
