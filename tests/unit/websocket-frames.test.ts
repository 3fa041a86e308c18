import { afterEach, describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import type { WebSocket as WsSocket, WebSocketServer as WsServer } from 'ws';
import { frameOf, frameWriter } from '../../server/src/sync/frames.js';

// The ws the server itself runs on (not this package's copy), so an upgrade that drops the frame
// writer fails here instead of silently making every broadcast dearer.
const serverRequire = createRequire(new URL('../../server/package.json', import.meta.url));
const ws = serverRequire('ws') as { WebSocketServer: typeof WsServer; WebSocket: typeof WsSocket };

const servers: WsServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    for (const client of server.clients) client.terminate();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A server on port 0 and one connected client; resolves with both ends and what the client receives. */
async function connectedPair(perMessageDeflate: boolean) {
  const server = new ws.WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate });
  servers.push(server);
  await new Promise((resolve) => server.once('listening', resolve));
  const accepted = new Promise<WsSocket>((resolve) => server.once('connection', resolve));
  const client = new ws.WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}/`, { perMessageDeflate });
  const received: Buffer[] = [];
  client.on('message', (data: Buffer) => received.push(Buffer.from(data)));
  await new Promise((resolve, reject) => (client.once('open', resolve), client.once('error', reject)));
  return { socket: await accepted, received };
}

const bytes = (length: number, seed: number) => Buffer.from(Array.from({ length }, (_, i) => (i * 31 + seed) & 0xff));

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe('messages framed once for many connections', () => {
  it('arrive byte for byte, in order with ordinary sends, at every length the frame header encodes differently', async () => {
    const { socket, received } = await connectedPair(false);
    const writer = frameWriter(socket);
    expect(writer, 'the server’s ws no longer offers the frame writer').not.toBeNull();
    // 7-bit, 16-bit and 64-bit payload lengths; the last is past the one-write size, so sent in two parts.
    const messages = [bytes(10, 1), bytes(300, 2), bytes(65_535, 3), bytes(70_000, 4)];
    const plain = bytes(20, 5);
    writer!.sendFrame(frameOf(messages[0]));
    writer!.sendFrame(frameOf(messages[1]));
    socket.send(plain);
    writer!.sendFrame(frameOf(new Uint8Array(messages[2])));
    writer!.sendFrame(frameOf(messages[3]));
    await until(() => received.length === 5);
    expect(received.map((message) => message.length)).toEqual([10, 300, 20, 65_535, 70_000]);
    expect(received).toEqual([messages[0], messages[1], plain, messages[2], messages[3]]);
  });

  it('builds the frame of a message once, however many connections it goes to', async () => {
    const ends = [await connectedPair(false), await connectedPair(false), await connectedPair(false)];
    const message = bytes(300, 6);
    const frames = ends.map(({ socket }) => {
      const frame = frameOf(message);
      frameWriter(socket)!.sendFrame(frame);
      return frame;
    });
    expect(new Set(frames).size).toBe(1);
    await until(() => ends.every(({ received }) => received.length === 1));
    for (const { received } of ends) expect(received).toEqual([message]);
  });

  it('is not used on a connection that negotiated compression (ws then queues frames while it deflates)', async () => {
    const { socket } = await connectedPair(true);
    expect(socket.extensions).toContain('permessage-deflate');
    expect(frameWriter(socket)).toBeNull();
  });
});
