import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { CLOSE_CODES, CONNECTION_LIMITS, addCard, readCards, roomDocName, type CreateWorkshopResponse } from '@goldthread/shared';
import { createWorkshop, facilitatorToken, joinRoom, newServer, type TestServer } from './support/server.js';
import { connectProvider, waitForDoc, within, type ProviderClient } from './support/yjs-clients.js';

let server: TestServer;
let workshop: CreateWorkshopResponse;
const sockets: WebSocket[] = [];
const clients: ProviderClient[] = [];

beforeEach(async () => {
  server = await newServer();
  workshop = await createWorkshop(server.url);
});
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.terminate();
  for (const client of clients.splice(0)) client.destroy();
  await server.close({ removeData: true });
});

/** Opens a raw connection; resolves with how it ended up: open, or closed with a code and reason. */
interface Connection {
  socket: WebSocket;
  closed: Promise<{ code: number; reason: string }>;
  /** Resolves when the server greets the connection (its sync step 1): it is being served. */
  served: Promise<unknown>;
}

function connect(docName: string, token: string): Promise<Connection> {
  const socket = new WebSocket(`${server.wsUrl}/${docName}?token=${encodeURIComponent(token)}`);
  sockets.push(socket);
  const closed = new Promise<{ code: number; reason: string }>((resolve) => socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  const served = new Promise((resolve) => socket.once('message', resolve));
  return within(
    new Promise((resolve, reject) => {
      socket.once('open', () => resolve({ socket, closed, served }));
      socket.once('error', reject);
    }),
    5000,
    'a connection to open'
  );
}

describe('connection caps', () => {
  it('one participant token holds at most its share of connections: the next is closed with a named code, others are unaffected', async () => {
    const ada = await joinRoom(server.url, workshop, 'North', 'Ada');
    const docName = roomDocName(workshop.id, ada.roomId);
    const open = await Promise.all(Array.from({ length: CONNECTION_LIMITS.perParticipantToken }, () => connect(docName, ada.token)));
    const extra = await connect(docName, ada.token);
    await within(Promise.all(open.map((c) => c.served)), 5000, 'the allowed connections to be served');
    const { code, reason } = await within(extra.closed, 5000, 'the extra connection to be closed');
    expect(code).toBe(CLOSE_CODES.tooManyConnections);
    expect(JSON.parse(reason)).toMatchObject({ error: { code: 'rate_limited' } });

    // Everyone else still connects and edits.
    const ben = await joinRoom(server.url, workshop, 'North', 'Ben');
    const benClient = connectProvider(server.wsUrl, workshop.id, ben.roomId, ben.token);
    const watcher = connectProvider(server.wsUrl, workshop.id, ben.roomId, await facilitatorToken(server.url, workshop));
    clients.push(benClient, watcher);
    await within(Promise.all([benClient.synced, watcher.synced]), 5000, 'Ben and the facilitator');
    addCard(benClient.doc, { boardId: workshop.boards[0]!.id, text: 'Still here', authorId: ben.participantId, authorName: 'Ben' });
    await waitForDoc(watcher.doc, (doc) => readCards(doc).length === 1, 5000, 'Ben’s card');

    // Closing one of Ada's connections frees a place.
    const first = open[0]!;
    first.socket.close();
    await within(first.closed, 5000, 'a connection to close');
    const again = await connect(docName, ada.token);
    await within(again.served, 5000, 'the new connection to be served');
    expect(again.socket.readyState).toBe(WebSocket.OPEN);
  });
});
