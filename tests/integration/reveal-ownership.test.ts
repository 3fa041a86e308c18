import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addCard, privateDocName, readCards, type Ack, type CreateWorkshopResponse } from '@goldthread/shared';
import { createWorkshop, facilitatorToken, joinRoom, newServer, type TestServer } from './support/server.js';
import { connectProvider, waitForDoc, within, type ProviderClient } from './support/yjs-clients.js';
import { connected, controlClient, type ControlClient } from './support/control-client.js';

let server: TestServer;
let workshop: CreateWorkshopResponse;
let facilitator: ControlClient;
const clients: ProviderClient[] = [];
const board = () => workshop.boards[0]!.id;

beforeEach(async () => {
  server = await newServer();
  workshop = await createWorkshop(server.url);
  facilitator = controlClient(server.url, { token: await facilitatorToken(server.url, workshop) }, ['websocket']);
  await connected(facilitator);
});
afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  facilitator.disconnect();
  await server.close({ removeData: true });
});

async function steer(name: string, payload: unknown) {
  const reply = (await facilitator.timeout(5000).emitWithAck(name as 'board:reveal', payload as never)) as Ack<unknown>;
  if ('error' in reply) throw new Error(`${name} refused: ${reply.error.message}`);
}

function open(token: string, roomId: string): ProviderClient {
  const client = connectProvider(server.wsUrl, workshop.id, roomId, token);
  clients.push(client);
  return client;
}

describe('Reveal', () => {
  it('a private card written under the id of someone else’s public card leaves that card untouched and arrives under a new id', async () => {
    const ada = await joinRoom(server.url, workshop, 'North', 'Ada');
    const ben = await joinRoom(server.url, workshop, 'North', 'Ben');
    const benRoom = open(ben.token, ben.roomId);
    await within(benRoom.synced, 5000, 'Ben to sync');
    const benCard = addCard(benRoom.doc, { boardId: board(), text: 'Ben’s idea', authorId: ben.participantId, authorName: 'Ben' });
    const benOriginal = () => readCards(benRoom.doc).find((card) => card.id === benCard);

    await steer('board:private', { boardId: board(), private: true });
    await steer('phase:set', { boardId: board(), phase: 'brainstorm' });
    const adaPrivate = open(ada.token, privateDocName(workshop.id, ada.roomId, ada.participantId).slice(workshop.id.length + 1));
    await within(adaPrivate.synced, 5000, 'Ada’s private space');
    // Ada takes the id of Ben's card, which every participant of the room can read.
    addCard(adaPrivate.doc, { boardId: board(), text: 'Ada’s takeover', authorId: ada.participantId, authorName: 'Ada' }, benCard);
    await waitForDoc(adaPrivate.doc, () => readCards(adaPrivate.doc).some((c) => c.id === benCard && c.boardId === board()));
    const before = benOriginal();

    await steer('board:reveal', { boardId: board() });
    await waitForDoc(benRoom.doc, (doc) => readCards(doc).some((card) => card.text === 'Ada’s takeover'), 5000, 'Ada’s revealed card');
    expect(benOriginal()).toEqual(before);
    expect(benOriginal()).toMatchObject({ text: 'Ben’s idea', authorId: ben.participantId, authorName: 'Ben', boardId: board() });
    const adas = readCards(benRoom.doc).filter((card) => card.authorId === ada.participantId);
    expect(adas).toHaveLength(1);
    expect(adas[0]!.id).not.toBe(benCard);
    expect(adas[0]!.text).toBe('Ada’s takeover');
  });
});
