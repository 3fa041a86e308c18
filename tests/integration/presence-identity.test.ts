import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import { PRESENCE_COLOURS, PRESENCE_LIMITS, RATES, readPresenceUser, roomDocName, type CreateWorkshopResponse } from '@goldthread/shared';
import { createWorkshop, facilitatorToken, joinRoom, newServer, type TestServer } from './support/server.js';
import { connectProvider, within, type ProviderClient } from './support/yjs-clients.js';
import { recordFrames, type FrameRecorder } from './support/raw-frames.js';

let server: TestServer;
let workshop: CreateWorkshopResponse;
const clients: ProviderClient[] = [];
const recorders: FrameRecorder[] = [];
const sockets: WebSocket[] = [];

beforeEach(async () => {
  server = await newServer();
  workshop = await createWorkshop(server.url);
});
afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  for (const recorder of recorders.splice(0)) recorder.close();
  for (const socket of sockets.splice(0)) socket.terminate();
  await server.close({ removeData: true });
});

/** An awareness message publishing `state` for `clientId` at `clock`. */
function presenceFrame(clientId: number, clock: number, state: unknown): Uint8Array {
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

describe('presence is who the token says', () => {
  it('a participant appears under their own name and role only: another name, id or role, or a colour outside the palette, is seen by nobody', async () => {
    const ada = await joinRoom(server.url, workshop, 'North', 'Ada');
    const ben = await joinRoom(server.url, workshop, 'North', 'Ben');
    const docName = roomDocName(workshop.id, ada.roomId);
    const adaSees = recordFrames(server.wsUrl, docName, ada.token);
    const facilitatorSees = recordFrames(server.wsUrl, docName, await facilitatorToken(server.url, workshop));
    recorders.push(adaSees, facilitatorSees);
    await Promise.all([adaSees.opened, facilitatorSees.opened]);

    const benClient = connectProvider(server.wsUrl, workshop.id, ben.roomId, ben.token);
    const cai = await joinRoom(server.url, workshop, 'North', 'Cai');
    const caiClient = connectProvider(server.wsUrl, workshop.id, cai.roomId, cai.token);
    clients.push(benClient, caiClient);
    await within(Promise.all([benClient.synced, caiClient.synced]), 5000, 'Ben and Cai');
    const awareness = benClient.provider.awareness;
    const own = { id: ben.participantId, name: 'Ben', role: 'participant', color: PRESENCE_COLOURS[1] };
    const spoofs = [
      { ...own, name: 'Spoofed Ada' },
      { ...own, id: ada.participantId },
      { ...own, role: 'facilitator', name: 'Facilitator' },
      { ...own, color: 'url(//spoofed.example/x)' },
      { ...own, extra: 'spoofed field' }
    ];
    const watching = [adaSees, facilitatorSees];
    for (const [i, user] of spoofs.entries()) {
      awareness.setLocalStateField('user', user);
      // Cai's next presence goes out in the same batch as anything of Ben's before it, or a later one.
      caiClient.provider.awareness.setLocalStateField('marker', i);
      await Promise.all(watching.map((r) => r.next((frame) => frame[0] === 1 && frame.includes(`"marker":${i}`), 5000, `marker ${i}`)));
    }
    awareness.setLocalStateField('user', own);
    await Promise.all(
      watching.map((recorder) =>
        recorder.next((frame) => frame[0] === 1 && frame.includes(Buffer.from(`"id":"${ben.participantId}"`)), 5000, 'Ben’s presence')
      )
    );
    for (const recorder of watching) {
      const presence = recorder.frames.filter((frame) => frame[0] === 1);
      expect(presence.some((frame) => frame.includes('poof'))).toBe(false);
      expect(presence.some((frame) => frame.includes(`"id":"${ada.participantId}"`))).toBe(false);
      expect(presence.some((frame) => frame.includes('"role":"facilitator"'))).toBe(false);
    }

    // And a stock client sees Ben as Ben.
    const watcher = connectProvider(server.wsUrl, workshop.id, ada.roomId, ada.token);
    clients.push(watcher);
    await within(watcher.synced, 5000, 'the watcher');
    const users = () => [...watcher.provider.awareness.getStates().values()].map(readPresenceUser).filter((u) => u !== null);
    await within(
      new Promise<void>((resolve) => {
        const look = () => users().some((u) => u.id === ben.participantId) && resolve();
        watcher.provider.awareness.on('change', look);
        look();
      }),
      5000,
      'Ben at the watcher'
    );
    expect(users().filter((u) => u.id === ben.participantId)).toEqual([own]);
  });
});

describe('presence fan-out', () => {
  it('thirty clients flooding presence within their own limits cannot make the room send more than its byte rate', async () => {
    const count = 30;
    const people = await Promise.all(Array.from({ length: count }, (_, i) => joinRoom(server.url, workshop, 'North', `Flooder ${i}`)));
    const docName = roomDocName(workshop.id, people[0]!.roomId);
    let received = 0;
    const finals = new Set<number>();
    const opened = people.map(
      (person) =>
        new Promise<WebSocket>((resolve, reject) => {
          const socket = new WebSocket(`${server.wsUrl}/${docName}?token=${encodeURIComponent(person.token)}`);
          sockets.push(socket);
          socket.on('message', (data: Buffer) => {
            received += data.length;
            // Who has had every client's final state: the server still delivers the latest state of each.
            if (socket === sockets[0]) for (const match of data.toString('latin1').matchAll(/"final":(\d+)/g)) finals.add(Number(match[1]));
          });
          socket.once('open', () => resolve(socket));
          socket.once('error', reject);
        })
    );
    const open = await within(Promise.all(opened), 10_000, 'every flooder to connect');
    // Each publishes a state just under the 8 KiB limit, at its own rate limit, for two seconds.
    const padding = 'p'.repeat(RATES.awarenessBytes - 400);
    const rounds = 2 * RATES.awarenessPerSecond;
    const started = performance.now();
    await new Promise<void>((resolve) => {
      let round = 0;
      const tick = setInterval(() => {
        round++;
        const last = round === rounds;
        open.forEach((socket, i) => socket.send(presenceFrame(1000 + i, round, { typing: padding, ...(last && { final: i }) })));
        if (last) {
          clearInterval(tick);
          resolve();
        }
      }, 1000 / RATES.awarenessPerSecond);
    });
    await within(
      new Promise<void>((resolve) => {
        const check = setInterval(() => finals.size === count && (clearInterval(check), resolve()), 20);
      }),
      15_000,
      'every client’s final state'
    );
    const seconds = (performance.now() - started) / 1000;
    // Unbounded, every round would send each client's state to all thirty: about 30 × 7.8 KiB × 30 × 20 ≈ 140 MB.
    const allowed = PRESENCE_LIMITS.roomBurstBytes + PRESENCE_LIMITS.roomBytesPerSecond * seconds + count * RATES.awarenessBytes * count;
    expect(received).toBeLessThan(allowed);
    expect(received).toBeLessThan(40 * 1024 * 1024);
  }, 30_000);
});
