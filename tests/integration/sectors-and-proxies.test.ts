import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addCard, readCards, type Ack, type CreateWorkshopResponse, type MyVotes } from '@goldthread/shared';
import { api, createWorkshop, facilitatorToken, joinRoom, newServer, type TestServer } from './support/server.js';
import { connectProvider, waitForDoc, within, type ProviderClient } from './support/yjs-clients.js';
import { connected, controlClient, type ControlClient } from './support/control-client.js';

let server: TestServer;
let workshop: CreateWorkshopResponse;
let token: string;
const clients: ProviderClient[] = [];
const sockets: ControlClient[] = [];
const asFacilitator = () => ({ authorization: `Bearer ${token}` });

beforeEach(async () => {
  server = await newServer();
  workshop = await createWorkshop(server.url);
  token = await facilitatorToken(server.url, workshop);
});
afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  for (const socket of sockets.splice(0)) socket.disconnect();
  await server.close({ removeData: true });
});

async function command(socket: ControlClient, name: string, payload: unknown): Promise<Ack<unknown>> {
  return (await (socket as unknown as { timeout(ms: number): { emitWithAck(n: string, p: unknown): Promise<unknown> } })
    .timeout(5000)
    .emitWithAck(name, payload)) as Ack<unknown>;
}

describe('sectors', () => {
  it('people may give an organisation and sector when joining; the facilitator sees counts by room and sector, never names', async () => {
    const [north, central] = workshop.rooms;
    const join = (name: string, roomId: string, extra: object) =>
      api(server.url, 'POST', '/api/join', { code: workshop.joinCode, name, roomId, ...extra });
    expect((await join('Ann', north!.id, { organisation: 'Northshire Council', sector: 'Council' })).status).toBe(200);
    expect((await join('Bob', north!.id, { sector: 'NHS & health' })).status).toBe(200);
    expect((await join('Cat', central!.id, { sector: 'Council' })).status).toBe(200);
    expect((await join('Dev', central!.id, {})).status).toBe(200);
    const bad = await join('Eve', north!.id, { sector: 'Pirates' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('Voluntary & community');

    const attendance = await api<{ total: number; bySector: Record<string, number>; rooms: { name: string; participants: number; bySector: Record<string, number> }[] }>(
      server.url, 'GET', `/api/workshops/${workshop.id}/attendance`, undefined, asFacilitator());
    expect(attendance.status).toBe(200);
    expect(attendance.body.total).toBe(4);
    expect(attendance.body.bySector).toEqual({ Council: 2, 'NHS & health': 1, 'Not given': 1 });
    expect(attendance.body.rooms.find((r) => r.name === 'North')).toMatchObject({ participants: 2, bySector: { Council: 1, 'NHS & health': 1 } });
    expect(JSON.stringify(attendance.body)).not.toContain('Ann');

    const person = await joinRoom(server.url, workshop, 'South');
    const refused = await api(server.url, 'GET', `/api/workshops/${workshop.id}/attendance`, undefined, { authorization: `Bearer ${person.token}` });
    expect(refused.status).toBe(403);
  });
});

describe('proxy entry', () => {
  it('the facilitator adds a card and votes for someone without a device, marked as such; participants cannot vote for others', async () => {
    const north = workshop.rooms[0]!;
    const board = workshop.boards[0]!.id;
    const proxy = await api<{ participantId: string; name: string; roomId: string }>(server.url, 'POST', `/api/workshops/${workshop.id}/proxies`,
      { name: 'Mrs Patel', roomId: north.id, sector: 'Resident' }, asFacilitator());
    expect(proxy.status).toBe(201);

    // The facilitator writes the card in Mrs Patel's name, marked as entered by proxy.
    const facilitatorDoc = connectProvider(server.wsUrl, workshop.id, north.id, token);
    const participant = await joinRoom(server.url, workshop, 'North', 'Ola');
    const participantDoc = connectProvider(server.wsUrl, workshop.id, north.id, participant.token);
    clients.push(facilitatorDoc, participantDoc);
    await within(Promise.all([facilitatorDoc.synced, participantDoc.synced]), 5000, 'sync');
    const cardId = addCard(facilitatorDoc.doc, { boardId: board, text: 'More benches', authorId: proxy.body.participantId, authorName: 'Mrs Patel', proxy: true });
    await waitForDoc(participantDoc.doc, (doc) => readCards(doc).length === 1, 5000, 'the proxy card');
    expect(readCards(participantDoc.doc)[0]).toMatchObject({ text: 'More benches', authorName: 'Mrs Patel', proxy: true });

    const facilitator = controlClient(server.url, { token }, ['websocket']);
    const ola = controlClient(server.url, { token: participant.token }, ['websocket']);
    sockets.push(facilitator, ola);
    await Promise.all([connected(facilitator), connected(ola)]);
    expect(await command(facilitator, 'phase:set', { boardId: board, phase: 'vote' })).toHaveProperty('data');

    const forProxy = await command(facilitator, 'vote:cast', { boardId: board, roomId: north.id, cardId, onBehalfOf: proxy.body.participantId });
    expect((forProxy as { data: MyVotes }).data).toMatchObject({ used: 1, left: 2 });
    const withoutProxy = await command(facilitator, 'vote:cast', { boardId: board, roomId: north.id, cardId });
    expect(withoutProxy).toMatchObject({ error: { code: 'forbidden' } });
    const olaForOthers = await command(ola, 'vote:cast', { boardId: board, roomId: north.id, cardId, onBehalfOf: proxy.body.participantId });
    expect(olaForOthers).toMatchObject({ error: { code: 'forbidden' } });
    const notAProxy = await command(facilitator, 'vote:cast', { boardId: board, roomId: north.id, cardId, onBehalfOf: participant.participantId });
    expect(notAProxy).toMatchObject({ error: { code: 'not_found' } });

    const results = (await command(facilitator, 'control:get', {})) as { data: { results: { boardId: string; tallies: { cardId: string; votes: number }[] }[] } };
    expect(results.data.results.find((r) => r.boardId === board)?.tallies).toEqual([{ roomId: north.id, cardId, votes: 1 }]);

    const asParticipant = await api(server.url, 'POST', `/api/workshops/${workshop.id}/proxies`, { name: 'X', roomId: north.id }, { authorization: `Bearer ${participant.token}` });
    expect(asParticipant.status).toBe(403);
  });
});
