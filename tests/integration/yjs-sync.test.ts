import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import { addCard, readCards, roomDocName, setCardText, deleteCard, CLOSE_CODES } from '@goldthread/shared';
import { MemoryWorkshopStore } from '@goldthread/server';
import { api, createWorkshop, facilitatorToken, joinRoom, newServer, type TestServer } from './support/server.js';
import { connectProvider, rawUpgrade, waitForDoc, within, type ProviderClient } from './support/yjs-clients.js';

let server: TestServer;
const clients: ProviderClient[] = [];
const connect = (...args: Parameters<typeof connectProvider>) => {
  const client = connectProvider(...args);
  clients.push(client);
  return client;
};
const cardTexts = (doc: Y.Doc) => readCards(doc).map((card) => card.text);

beforeEach(async () => {
  server = await newServer();
});

afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  await server.close({ removeData: true });
});

describe('y-websocket endpoint', () => {
  it('a stock WebsocketProvider with a valid token syncs cards both ways with another client in the same room', async () => {
    const workshop = await createWorkshop(server.url);
    const north = workshop.rooms[0]!;
    const [ada, ben] = await Promise.all([joinRoom(server.url, workshop, 'North', 'Ada'), joinRoom(server.url, workshop, 'North', 'Ben')]);
    const a = connect(server.wsUrl, workshop.id, north.id, ada.token);
    const b = connect(server.wsUrl, workshop.id, north.id, ben.token);
    await within(Promise.all([a.synced, b.synced]), 5000, 'both clients to sync');

    const board = workshop.boards[0]!.id;
    const id = addCard(a.doc, { boardId: board, text: 'Shared housing data', authorId: ada.participantId, authorName: 'Ada' });
    await waitForDoc(b.doc, (doc) => cardTexts(doc).includes('Shared housing data'), 5000, "Ada's card at Ben");
    const seen = readCards(b.doc)[0]!;
    expect(seen).toMatchObject({ id, boardId: board, authorName: 'Ada', authorId: ada.participantId, color: 'yellow' });

    addCard(b.doc, { boardId: board, text: 'Pooled budgets', authorId: ben.participantId, authorName: 'Ben' });
    await waitForDoc(a.doc, (doc) => cardTexts(doc).includes('Pooled budgets'), 5000, "Ben's card at Ada");
    setCardText(a.doc, id, 'Shared housing and health data');
    await waitForDoc(b.doc, (doc) => cardTexts(doc).includes('Shared housing and health data'), 5000, "Ada's edit at Ben");
    deleteCard(a.doc, id);
    await waitForDoc(b.doc, (doc) => !cardTexts(doc).includes('Shared housing and health data'), 5000, 'the deletion at Ben');
    expect(cardTexts(b.doc)).toEqual(['Pooled budgets']);
  });

  it("a card added in North never reaches Central's document", async () => {
    const workshop = await createWorkshop(server.url);
    const [northRoom, centralRoom] = workshop.rooms;
    const northPerson = await joinRoom(server.url, workshop, 'North', 'N');
    const centralPerson = await joinRoom(server.url, workshop, 'Central', 'C');
    const facilitator = await facilitatorToken(server.url, workshop);
    const north = connect(server.wsUrl, workshop.id, northRoom!.id, northPerson.token);
    const central = connect(server.wsUrl, workshop.id, centralRoom!.id, centralPerson.token);
    const watcher = connect(server.wsUrl, workshop.id, centralRoom!.id, facilitator);
    await within(Promise.all([north.synced, central.synced, watcher.synced]), 5000, 'clients to sync');

    addCard(north.doc, { boardId: workshop.boards[0]!.id, text: 'North only', authorId: northPerson.participantId, authorName: 'N' });
    addCard(central.doc, { boardId: workshop.boards[0]!.id, text: 'Central card', authorId: centralPerson.participantId, authorName: 'C' });
    // The facilitator's Central connection receives Central's card; by then North's would have arrived too.
    await waitForDoc(watcher.doc, (doc) => cardTexts(doc).includes('Central card'), 5000, "Central's card");
    expect(cardTexts(watcher.doc)).toEqual(['Central card']);
    expect(cardTexts(central.doc)).toEqual(['Central card']);
  });

  it('refuses an upgrade with no token, a wrong token, or a participant token for another room, before it completes', async () => {
    const workshop = await createWorkshop(server.url);
    const [north, central] = workshop.rooms;
    const person = await joinRoom(server.url, workshop, 'North');
    const doc = `${server.wsUrl}/${roomDocName(workshop.id, north!.id)}`;

    const none = await rawUpgrade(doc);
    expect(none.status).toBe(401);
    expect(JSON.parse(none.body)).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });

    const forged = person.token.slice(0, -4) + (person.token.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    expect((await rawUpgrade(`${doc}?token=${encodeURIComponent(forged)}`)).status).toBe(401);
    expect((await rawUpgrade(`${doc}?token=${encodeURIComponent(workshop.facilitatorKey)}`)).status).toBe(401);

    const otherRoom = await rawUpgrade(`${server.wsUrl}/${roomDocName(workshop.id, central!.id)}?token=${person.token}`);
    expect(otherRoom.status).toBe(403);
    expect(JSON.parse(otherRoom.body).error.code).toBe('forbidden');

    const unknownRoom = await rawUpgrade(`${server.wsUrl}/${workshop.id}/nosuchroom?token=${person.token}`);
    expect(unknownRoom.status).toBe(404);

    const allowed = await rawUpgrade(`${doc}?token=${person.token}`);
    expect(allowed.status).toBe(101);
    allowed.socket?.close();
  });

  it('a stock provider without a valid token never syncs', async () => {
    const workshop = await createWorkshop(server.url);
    const client = connect(server.wsUrl, workshop.id, workshop.rooms[0]!.id, 'not-a-token');
    const errored = new Promise<void>((resolve) => client.provider.once('connection-error', () => resolve()));
    await within(errored, 5000, 'the refused connection');
    expect(client.provider.synced).toBe(false);
    expect(client.provider.wsconnected).toBe(false);
  });

  it('cards survive a server restart', async () => {
    const workshop = await createWorkshop(server.url);
    const person = await joinRoom(server.url, workshop, 'South', 'Sam');
    const room = workshop.rooms[2]!;
    const client = connect(server.wsUrl, workshop.id, room.id, person.token);
    await within(client.synced, 5000, 'sync');
    for (const text of ['Trust', 'Shared budgets', 'Join up transport']) {
      addCard(client.doc, { boardId: workshop.boards[1]!.id, text, authorId: person.participantId, authorName: 'Sam' });
    }
    await waitForDoc(client.doc, (doc) => readCards(doc).length === 3);
    // A client that arrives after the edits proves the server holds them before we restart.
    const check = connect(server.wsUrl, workshop.id, room.id, person.token);
    await waitForDoc(check.doc, (doc) => readCards(doc).length === 3, 5000, 'the server to hold all three cards');
    for (const c of clients.splice(0)) c.destroy();

    await server.close();
    server = await newServer({ dataDir: server.dataDir });
    const again = connect(server.wsUrl, workshop.id, room.id, person.token);
    await within(again.synced, 5000, 'sync after restart');
    expect(cardTexts(again.doc).sort()).toEqual(['Join up transport', 'Shared budgets', 'Trust']);
  });

  it('queues a client’s messages until the room has loaded, then applies them', async () => {
    let releaseLoad!: () => void;
    const loadGate = new Promise<void>((resolve) => (releaseLoad = resolve));
    const store = new MemoryWorkshopStore();
    const original = store.loadRoom.bind(store);
    store.loadRoom = async (workshopId, roomId) => {
      await loadGate;
      return original(workshopId, roomId);
    };
    await server.close({ removeData: true });
    server = await newServer({ store });
    const workshop = await createWorkshop(server.url);
    const person = await joinRoom(server.url, workshop, 'North', 'X');
    const room = workshop.rooms[0]!;

    // A raw client sends an update the moment the socket opens, while the room is still loading.
    const local = new Y.Doc();
    addCard(local, { boardId: workshop.boards[0]!.id, text: 'Sent before load', authorId: person.participantId, authorName: 'X' });
    const socket = new WebSocket(`${server.wsUrl}/${roomDocName(workshop.id, room.id)}?token=${person.token}`);
    await within(new Promise((resolve) => socket.once('open', resolve)), 5000, 'open');
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 0);
    syncProtocol.writeUpdate(encoder, Y.encodeStateAsUpdate(local));
    socket.send(encoding.toUint8Array(encoder));
    const received = new Promise<void>((resolve) => socket.once('message', () => resolve()));
    releaseLoad();
    await within(received, 5000, 'the server greeting after load');

    const reader = connect(server.wsUrl, workshop.id, room.id, person.token);
    await waitForDoc(reader.doc, (doc) => cardTexts(doc).includes('Sent before load'), 5000, 'the queued card');
    socket.close();
  });

  it('a malformed Yjs message closes only that connection; its room and other rooms carry on', async () => {
    const workshop = await createWorkshop(server.url);
    const [north, central] = workshop.rooms;
    const northPerson = await joinRoom(server.url, workshop, 'North', 'N');
    const centralPerson = await joinRoom(server.url, workshop, 'Central', 'C');
    const northClient = connect(server.wsUrl, workshop.id, north!.id, northPerson.token);
    const centralClient = connect(server.wsUrl, workshop.id, central!.id, centralPerson.token);
    await within(Promise.all([northClient.synced, centralClient.synced]), 5000, 'sync');

    const bad = new WebSocket(`${server.wsUrl}/${roomDocName(workshop.id, north!.id)}?token=${northPerson.token}`);
    await within(new Promise((resolve) => bad.once('open', resolve)), 5000, 'open');
    const closed = new Promise<{ code: number; reason: string }>((resolve) =>
      bad.once('close', (code, reason) => resolve({ code, reason: reason.toString() }))
    );
    bad.send(new Uint8Array([0, 2, 200, 255, 255, 255, 7, 1, 2, 3]));
    const { code, reason } = await within(closed, 5000, 'the server to close the bad connection');
    expect(code).toBe(CLOSE_CODES.badMessage);
    expect(JSON.parse(reason).error.code).toBe('bad_request');

    addCard(northClient.doc, { boardId: workshop.boards[0]!.id, text: 'Still working', authorId: northPerson.participantId, authorName: 'N' });
    const other = connect(server.wsUrl, workshop.id, north!.id, northPerson.token);
    await waitForDoc(other.doc, (doc) => cardTexts(doc).includes('Still working'), 5000, 'North to carry on');
    addCard(centralClient.doc, { boardId: workshop.boards[0]!.id, text: 'Central fine', authorId: centralPerson.participantId, authorName: 'C' });
    const centralReader = connect(server.wsUrl, workshop.id, central!.id, centralPerson.token);
    await waitForDoc(centralReader.doc, (doc) => cardTexts(doc).includes('Central fine'), 5000, 'Central to carry on');
    expect((await api(server.url, 'GET', '/api/health')).status).toBe(200);
  });

  it('a card added over HTTP appears live for everyone in that room', async () => {
    const workshop = await createWorkshop(server.url);
    const person = await joinRoom(server.url, workshop, 'Central', 'Chris');
    const room = workshop.rooms[1]!;
    const client = connect(server.wsUrl, workshop.id, room.id, person.token);
    await within(client.synced, 5000, 'sync');
    const { status, body } = await api(server.url, 'POST', `/api/workshops/${workshop.id}/rooms/${room.id}/cards`,
      { boardId: workshop.boards[2]!.id, text: 'Different IT systems', color: 'blue' },
      { authorization: `Bearer ${person.token}` });
    expect(status).toBe(201);
    expect(body).toMatchObject({ text: 'Different IT systems', authorName: 'Chris', color: 'blue' });
    await waitForDoc(client.doc, (doc) => cardTexts(doc).includes('Different IT systems'), 5000, 'the HTTP card');
  });
});
