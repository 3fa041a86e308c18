import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addCard, readCards, type Ack, type ControlSnapshot, type CreateWorkshopResponse, type JoinResponse } from '@goldthread/shared';
import { createWorkshop, facilitatorToken, joinRoom, newServer, type TestServer } from './support/server.js';
import { connectProvider, waitForDoc, within, type ProviderClient } from './support/yjs-clients.js';
import { connected, controlClient, nextEvent, type ControlClient } from './support/control-client.js';

let server: TestServer;
let workshop: CreateWorkshopResponse;
let ada: JoinResponse;
let facilitator: ControlClient;
let adaScreen: ControlClient;
const clients: ProviderClient[] = [];
const board = () => workshop.boards[0]!.id;

async function command<T>(socket: ControlClient, name: string, payload: unknown): Promise<T> {
  const reply = (await (socket as unknown as { timeout(ms: number): { emitWithAck(n: string, p: unknown): Promise<unknown> } })
    .timeout(5000)
    .emitWithAck(name, payload)) as Ack<T>;
  if ('error' in reply) throw new Error(`${name}: ${reply.error.code} ${reply.error.message}`);
  return reply.data;
}

beforeEach(async () => {
  server = await newServer();
  workshop = await createWorkshop(server.url);
  ada = await joinRoom(server.url, workshop, 'North', 'Ada');
  facilitator = controlClient(server.url, { token: await facilitatorToken(server.url, workshop) }, ['websocket']);
  adaScreen = controlClient(server.url, { token: ada.token }, ['websocket']);
  await Promise.all([connected(facilitator), connected(adaScreen)]);
});
afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  facilitator.disconnect();
  adaScreen.disconnect();
  await server.close({ removeData: true });
});

describe('what a screen gets on (re)connecting', () => {
  it('"I\'m done" counts for the facilitator and the participant\'s own done boards come with control:get', async () => {
    await command(adaScreen, 'participant:done', { boardId: board(), done: true });
    const forFacilitator = await command<ControlSnapshot>(facilitator, 'control:get', {});
    expect(forFacilitator.doneCounts.find((c) => c.boardId === board())?.rooms).toEqual({ [ada.roomId]: { done: 1 } });
    const forAda = await command<ControlSnapshot>(adaScreen, 'control:get', {});
    expect(forAda.myDone).toEqual([board()]);
    expect(forAda.doneCounts).toEqual([]);
  });

  it('the state names the boards combined onto the plenary', async () => {
    expect((await command<ControlSnapshot>(adaScreen, 'control:get', {})).state.plenaryBoardIds).toEqual([]);
    const broadcast = nextEvent(adaScreen, 'control:state', (state) => state.plenaryBoardIds.length === 1, 5000, 'the plenary boards');
    await command(facilitator, 'plenary:combine', { boardId: board() });
    expect((await broadcast)[0].plenaryBoardIds).toEqual([board()]);
  });

  it('a spotlighted card carries its text, so rooms that cannot read it still show it', async () => {
    const client = connectProvider(server.wsUrl, workshop.id, ada.roomId, ada.token);
    clients.push(client);
    await within(client.synced, 5000, 'sync');
    const cardId = addCard(client.doc, { boardId: board(), text: 'Light on me', authorId: ada.participantId, authorName: 'Ada' });
    // A second client holding the card proves the server has it.
    const watcher = connectProvider(server.wsUrl, workshop.id, ada.roomId, ada.token);
    clients.push(watcher);
    await waitForDoc(watcher.doc, (doc) => readCards(doc).length === 1, 5000, 'the card on the server');
    await command(facilitator, 'spotlight:set', { spotlight: { kind: 'card', roomId: ada.roomId, cardId } });
    const { state } = await command<ControlSnapshot>(adaScreen, 'control:get', {});
    expect(state.spotlight).toEqual({ kind: 'card', roomId: ada.roomId, cardId, text: 'Light on me' });
  });
});

describe('refused changes', () => {
  it('the participant is told why their change was refused', async () => {
    await command(facilitator, 'board:lock', { boardId: board(), locked: true });
    const client = connectProvider(server.wsUrl, workshop.id, ada.roomId, ada.token);
    clients.push(client);
    await within(client.synced, 5000, 'sync');
    const told = nextEvent(adaScreen, 'change:refused', () => true, 5000, 'the refusal');
    addCard(client.doc, { boardId: board(), text: 'On a locked board', authorId: ada.participantId, authorName: 'Ada' });
    expect((await told)[0]).toEqual({ roomId: ada.roomId, code: 'forbidden', message: 'This board is locked by the facilitator.' });
  });
});
