import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  PLENARY_ROOM_ID,
  addCard,
  addTheme,
  mergeThemes,
  moveCardToTheme,
  privateDocName,
  readCards,
  readThemes,
  renameTheme,
  type Ack,
  type CommandName,
  type CreateWorkshopResponse,
  type JoinResponse
} from '@goldthread/shared';
import { createWorkshop, facilitatorToken, joinRoom, newServer, type TestServer } from './support/server.js';
import { connectProvider, rawUpgrade, waitForDoc, within, type ProviderClient } from './support/yjs-clients.js';
import { connected, controlClient, nextEvent, type ControlClient } from './support/control-client.js';

let server: TestServer;
let workshop: CreateWorkshopResponse;
let facilitator: ControlClient;
let facilitatorTokenValue: string;
const clients: ProviderClient[] = [];
const sockets: ControlClient[] = [];
const texts = (doc: Y.Doc) => readCards(doc).map((c) => c.text).sort();
const board = () => workshop.boards[0]!.id;

beforeEach(async () => {
  server = await newServer();
  workshop = await createWorkshop(server.url);
  facilitatorTokenValue = await facilitatorToken(server.url, workshop);
  facilitator = controlClient(server.url, { token: facilitatorTokenValue }, ['websocket']);
  sockets.push(facilitator);
  await connected(facilitator);
});
afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  for (const socket of sockets.splice(0)) socket.disconnect();
  await server.close({ removeData: true });
});

function open(token: string, docName: string): ProviderClient {
  const [workshopId, ...rest] = docName.split('/');
  const client = connectProvider(server.wsUrl, workshopId!, rest.join('/'), token);
  clients.push(client);
  return client;
}

async function steer<C extends CommandName>(name: C, payload: unknown, socket: ControlClient = facilitator) {
  const reply = (await (socket as unknown as { timeout(ms: number): { emitWithAck(n: string, p: unknown): Promise<unknown> } })
    .timeout(5000)
    .emitWithAck(name, payload)) as Ack<unknown>;
  if ('error' in reply) throw new Error(`${name} refused: ${reply.error.code} ${reply.error.message}`);
  return reply.data;
}

async function participant(roomName: string, name: string): Promise<{ person: JoinResponse; room: ProviderClient }> {
  const person = await joinRoom(server.url, workshop, roomName, name);
  const room = open(person.token, `${workshop.id}/${person.roomId}`);
  await within(room.synced, 5000, `${name} to sync`);
  return { person, room };
}

describe('private brainstorm', () => {
  it('keeps each participant’s cards out of everyone else’s documents until Reveal, then publishes them with their authors', async () => {
    const ada = await participant('North', 'Ada');
    const ben = await participant('North', 'Ben');
    await steer('board:private', { boardId: board(), private: true });
    await steer('phase:set', { boardId: board(), phase: 'brainstorm' });

    // Writing on the shared board is refused while it is private.
    addCard(ada.room.doc, { boardId: board(), text: 'Shared too early', authorId: ada.person.participantId, authorName: 'Ada' });
    await waitForDoc(ada.room.doc, (doc) => !texts(doc).includes('Shared too early'), 5000, 'the early card to be reverted');

    const adaPrivate = open(ada.person.token, privateDocName(workshop.id, ada.person.roomId, ada.person.participantId));
    await within(adaPrivate.synced, 5000, 'Ada’s private space');
    const counts = nextEvent(facilitator, 'private:counts', (c) => c.rooms[ada.person.roomId] === 2, 5000, 'private counts');
    addCard(adaPrivate.doc, { boardId: board(), text: 'Ada private one', authorId: ada.person.participantId, authorName: 'Ada' });
    addCard(adaPrivate.doc, { boardId: board(), text: 'Ada private two', authorId: ada.person.participantId, authorName: 'Ada' });
    expect((await counts)[0].rooms).toEqual({ [ada.person.roomId]: 2 });

    // Ben can open neither Ada's private space nor receive her text in the room.
    const peek = await rawUpgrade(`${server.wsUrl}/${privateDocName(workshop.id, ada.person.roomId, ada.person.participantId)}?token=${ben.person.token}`);
    expect(peek.status).toBe(403);
    const facilitatorView = open(facilitatorTokenValue, privateDocName(workshop.id, ada.person.roomId, ada.person.participantId));
    await waitForDoc(facilitatorView.doc, (doc) => readCards(doc).length === 2, 5000, 'the facilitator to see the private cards');
    expect(texts(ben.room.doc)).toEqual([]);

    await steer('board:reveal', { boardId: board() });
    await waitForDoc(ben.room.doc, (doc) => readCards(doc).length === 2, 5000, 'revealed cards at Ben');
    expect(readCards(ben.room.doc).map(({ text, authorId }) => ({ text, authorId })).sort((a, b) => a.text.localeCompare(b.text))).toEqual([
      { text: 'Ada private one', authorId: ada.person.participantId },
      { text: 'Ada private two', authorId: ada.person.participantId }
    ]);
    await waitForDoc(adaPrivate.doc, (doc) => readCards(doc).length === 0, 5000, 'the private space to empty');

    // After Reveal the board is shared again: new private cards are refused, shared ones accepted.
    addCard(adaPrivate.doc, { boardId: board(), text: 'Too late to be private', authorId: ada.person.participantId, authorName: 'Ada' });
    await waitForDoc(adaPrivate.doc, (doc) => readCards(doc).length === 0, 5000, 'the late private card to be reverted');
    addCard(ada.room.doc, { boardId: board(), text: 'Now in the open', authorId: ada.person.participantId, authorName: 'Ada' });
    await waitForDoc(ben.room.doc, (doc) => texts(doc).includes('Now in the open'), 5000, 'the open card');
  });

  it('nobody else can open a private space, and the projector cannot either', async () => {
    const ada = await participant('North', 'Ada');
    const cai = await participant('Central', 'Cai');
    const name = privateDocName(workshop.id, ada.person.roomId, ada.person.participantId);
    const projector = await (await fetch(`${server.url}/api/workshops/${workshop.id}/projector-token`, {
      method: 'POST',
      headers: { authorization: `Bearer ${facilitatorTokenValue}` }
    })).json() as { token: string };
    for (const token of [cai.person.token, projector.token]) expect((await rawUpgrade(`${server.wsUrl}/${name}?token=${token}`)).status).toBe(403);
    // Ada cannot claim a private space in another room either.
    const elsewhere = privateDocName(workshop.id, cai.person.roomId, ada.person.participantId);
    expect((await rawUpgrade(`${server.wsUrl}/${elsewhere}?token=${ada.person.token}`)).status).toBe(403);
    expect((await rawUpgrade(`${server.wsUrl}/${name}?token=${ada.person.token}`)).status).toBe(101);
  });
});

describe('themes', () => {
  it('in the grouping phase participants add themes and move anyone’s cards; renaming and merging are the facilitator’s', async () => {
    const ada = await participant('North', 'Ada');
    const ben = await participant('North', 'Ben');
    const watcher = open(facilitatorTokenValue, `${workshop.id}/${ada.person.roomId}`);
    await within(watcher.synced, 5000, 'the facilitator');
    const cardId = addCard(ada.room.doc, { boardId: board(), text: 'Bus routes', authorId: ada.person.participantId, authorName: 'Ada' });
    await waitForDoc(ben.room.doc, (doc) => texts(doc).includes('Bus routes'));

    // Outside the grouping phase a theme is refused.
    addTheme(ben.room.doc, board(), 'Too soon');
    await waitForDoc(ben.room.doc, (doc) => readThemes(doc).length === 0, 5000, 'the early theme to be reverted');

    await steer('phase:set', { boardId: board(), phase: 'group' });
    const transport = addTheme(ben.room.doc, board(), 'Transport');
    expect(moveCardToTheme(ben.room.doc, cardId, transport)).toBe(true);
    await waitForDoc(watcher.doc, (doc) => readThemes(doc)[0]?.cardIds.includes(cardId) === true, 5000, 'Ben’s grouping of Ada’s card');

    // Ben cannot change the text of Ada's card while grouping, nor rename the theme.
    renameTheme(ben.room.doc, transport, 'Renamed by Ben');
    await waitForDoc(ben.room.doc, (doc) => readThemes(doc)[0]?.name === 'Transport', 5000, 'the rename to be reverted');

    const travel = addTheme(watcher.doc, board(), 'Travel');
    expect(renameTheme(watcher.doc, travel, 'Getting about')).toBe(true);
    expect(mergeThemes(watcher.doc, transport, travel)).toBe(true);
    await waitForDoc(ada.room.doc, (doc) => readThemes(doc).length === 1 && readThemes(doc)[0]!.name === 'Getting about', 5000, 'the merge at Ada');
    expect(readThemes(ada.room.doc)[0]!.cardIds).toEqual([cardId]);

    await steer('phase:set', { boardId: board(), phase: 'discuss' });
    moveCardToTheme(ben.room.doc, cardId, null);
    await waitForDoc(ben.room.doc, (doc) => readThemes(doc)[0]!.cardIds.includes(cardId), 5000, 'the ungrouping outside the phase to be reverted');
  });
});

describe('plenary', () => {
  it('combines one board from every room with room tags; everyone reads it, votes on it, and sees shared and unique themes', async () => {
    const ada = await participant('North', 'Ada');
    const cai = await participant('Central', 'Cai');
    const northCard = addCard(ada.room.doc, { boardId: board(), text: 'Housing', authorId: ada.person.participantId, authorName: 'Ada' });
    addCard(cai.room.doc, { boardId: board(), text: 'Transport links', authorId: cai.person.participantId, authorName: 'Cai' });
    addCard(cai.room.doc, { boardId: workshop.boards[1]!.id, text: 'Another board', authorId: cai.person.participantId, authorName: 'Cai' });
    const facilitatorNorth = open(facilitatorTokenValue, `${workshop.id}/${ada.person.roomId}`);
    const facilitatorCentral = open(facilitatorTokenValue, `${workshop.id}/${cai.person.roomId}`);
    await waitForDoc(facilitatorNorth.doc, (doc) => readCards(doc).length === 1);
    await waitForDoc(facilitatorCentral.doc, (doc) => readCards(doc).length === 2);
    await steer('phase:set', { boardId: board(), phase: 'group' });
    moveCardToTheme(facilitatorNorth.doc, northCard, addTheme(facilitatorNorth.doc, board(), 'Homes'));
    addTheme(facilitatorCentral.doc, board(), ' homes ');
    addTheme(facilitatorCentral.doc, board(), 'Buses');
    await waitForDoc(ada.room.doc, (doc) => readThemes(doc).length === 1);
    await waitForDoc(cai.room.doc, (doc) => readThemes(doc).length === 2);

    const combined = (await steer('plenary:combine', { boardId: board() })) as { cards: number };
    expect(combined.cards).toBe(2);
    const plenary = open(ada.person.token, `${workshop.id}/${PLENARY_ROOM_ID}`);
    await waitForDoc(plenary.doc, (doc) => readCards(doc).length === 2, 5000, 'the plenary at Ada');
    const cards = readCards(plenary.doc);
    expect(cards.map(({ text, sourceRoomId }) => ({ text, sourceRoomId })).sort((a, b) => a.text.localeCompare(b.text))).toEqual([
      { text: 'Housing', sourceRoomId: ada.person.roomId },
      { text: 'Transport links', sourceRoomId: cai.person.roomId }
    ]);
    expect(readThemes(plenary.doc).find((t) => t.name === 'Homes')?.cardIds).toEqual([`${ada.person.roomId}-${northCard}`]);

    // Participants may not add cards to the plenary.
    addCard(plenary.doc, { boardId: board(), text: 'Straight onto plenary', authorId: ada.person.participantId, authorName: 'Ada' });
    await waitForDoc(plenary.doc, (doc) => !texts(doc).includes('Straight onto plenary'), 5000, 'the plenary card to be reverted');

    // Combining again adds nothing twice.
    expect(((await steer('plenary:combine', { boardId: board() })) as { cards: number }).cards).toBe(2);
    const caiScreen = controlClient(server.url, { token: cai.person.token }, ['websocket']);
    sockets.push(caiScreen);
    await connected(caiScreen);
    const comparison = (await steer('themes:compare', { boardId: board() }, caiScreen)) as {
      shared: { name: string; roomIds: string[] }[];
      unique: { name: string; roomId: string }[];
    };
    expect(comparison.shared).toEqual([{ name: 'Homes', roomIds: [ada.person.roomId, cai.person.roomId] }]);
    expect(comparison.unique).toEqual([{ name: 'Buses', roomId: cai.person.roomId }]);

    // Voting across rooms on the plenary.
    await steer('phase:set', { boardId: board(), phase: 'vote' });
    const plenaryCard = cards.find((c) => c.text === 'Transport links')!;
    const mine = (await steer('vote:cast', { boardId: board(), roomId: PLENARY_ROOM_ID, cardId: plenaryCard.id }, caiScreen)) as { used: number };
    expect(mine.used).toBe(1);
    expect(readCards(plenary.doc)).toHaveLength(2);
  });
});
