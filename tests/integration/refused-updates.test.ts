import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { YJS_REFUSAL_MESSAGE, addCard, readCards, roomDocName, setCardText, type Ack, type CreateWorkshopResponse, type JoinResponse } from '@goldthread/shared';
import { createWorkshop, facilitatorToken, joinRoom, newServer, type TestServer } from './support/server.js';
import { connectProvider, waitForDoc, within, type ProviderClient } from './support/yjs-clients.js';
import { connected, controlClient, type ControlClient } from './support/control-client.js';
import { messageType, recordFrames, refusalOf, type FrameRecorder } from './support/raw-frames.js';

let server: TestServer;
let workshop: CreateWorkshopResponse;
let facilitator: ControlClient;
let facilitatorTokenValue: string;
let ada: JoinResponse;
let ben: JoinResponse;
let adaClient: ProviderClient;
/** Ada's raw frames: what the server sent her connection. */
let adaFrames: Buffer[];
const clients: ProviderClient[] = [];
const recorders: FrameRecorder[] = [];
const privateBoard = () => workshop.boards[0]!.id;
const openBoard = () => workshop.boards[1]!.id;
const room = () => workshop.rooms[0]!.id;

beforeEach(async () => {
  server = await newServer();
  workshop = await createWorkshop(server.url);
  facilitatorTokenValue = await facilitatorToken(server.url, workshop);
  facilitator = controlClient(server.url, { token: facilitatorTokenValue }, ['websocket']);
  await connected(facilitator);
  [ada, ben] = [await joinRoom(server.url, workshop, 'North', 'Ada'), await joinRoom(server.url, workshop, 'North', 'Ben')];
  adaClient = connectProvider(server.wsUrl, workshop.id, room(), ada.token);
  clients.push(adaClient);
  await within(adaClient.synced, 5000, 'Ada to sync');
  adaFrames = [];
  adaClient.provider.ws!.addEventListener('message', (event: { data: unknown }) => adaFrames.push(Buffer.from(event.data as ArrayBuffer)));
});
afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  for (const recorder of recorders.splice(0)) recorder.close();
  facilitator.disconnect();
  await server.close({ removeData: true });
});

async function steer(name: string, payload: unknown) {
  const reply = (await facilitator.timeout(5000).emitWithAck(name as 'board:private', payload as never)) as Ack<unknown>;
  if ('error' in reply) throw new Error(`${name} refused: ${reply.error.message}`);
}

async function record(token: string): Promise<FrameRecorder> {
  const recorder = recordFrames(server.wsUrl, roomDocName(workshop.id, room()), token);
  recorders.push(recorder);
  await recorder.opened;
  await recorder.next((frame) => messageType(frame) === 0, 5000, 'the first sync frame');
  return recorder;
}

/** Ada adds a card everyone may see, and it reaches every recorder: whatever was sent before it has arrived. */
async function barrier(label: string, everyone: FrameRecorder[]) {
  addCard(adaClient.doc, { boardId: openBoard(), text: label, authorId: ada.participantId, authorName: 'Ada' });
  await Promise.all(everyone.map((recorder) => recorder.next((frame) => frame.includes(label), 5000, `"${label}" at a recorder`)));
}

async function filesContaining(text: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(file);
      else if ((await readFile(file)).includes(Buffer.from(text, 'utf8'))) found.push(file);
    }
  };
  await walk(server.dataDir);
  return found;
}

describe('a refused change', () => {
  it('reaches no other connection, no later joiner and no file, word for word; the sender alone is told, and its copy is put right', async () => {
    const benFrames = await record(ben.token);
    const watcherFrames = await record(facilitatorTokenValue);
    await steer('board:private', { boardId: privateBoard(), private: true });
    await steer('phase:set', { boardId: privateBoard(), phase: 'brainstorm' });

    const secret = 'Typed just as the board went private';
    addCard(adaClient.doc, { boardId: privateBoard(), text: secret, authorId: ada.participantId, authorName: 'Ada' });
    await waitForDoc(adaClient.doc, (doc) => !readCards(doc).some((card) => card.text === secret), 5000, 'Ada’s copy to be put right');
    await barrier('after the refusal', [benFrames, watcherFrames]);

    expect(benFrames.saw(secret)).toBe(false);
    expect(watcherFrames.saw(secret)).toBe(false);
    const late = await record(ben.token);
    expect(late.saw(secret)).toBe(false);

    const refusals = adaFrames.filter((frame) => messageType(frame) === YJS_REFUSAL_MESSAGE);
    expect(refusals.map(refusalOf)).toEqual([{ error: { code: 'conflict', message: expect.stringContaining('private') } }]);
    expect([...benFrames.frames, ...watcherFrames.frames].some((frame) => messageType(frame) === YJS_REFUSAL_MESSAGE)).toBe(false);

    // Ada's copy holds exactly what everyone else's does, and her next edits still arrive.
    const ben2 = connectProvider(server.wsUrl, workshop.id, room(), ben.token);
    clients.push(ben2);
    await within(ben2.synced, 5000, 'Ben to sync');
    expect(readCards(adaClient.doc)).toEqual(readCards(ben2.doc));
    await server.close();
    expect(await filesContaining(secret)).toEqual([]);
  });

  it('an edit of someone else’s card is withdrawn without its words reaching anyone', async () => {
    const benClient = connectProvider(server.wsUrl, workshop.id, room(), ben.token);
    clients.push(benClient);
    await within(benClient.synced, 5000, 'Ben to sync');
    const id = addCard(adaClient.doc, { boardId: openBoard(), text: 'Ada wrote this', authorId: ada.participantId, authorName: 'Ada' });
    await waitForDoc(benClient.doc, (doc) => readCards(doc).some((card) => card.id === id), 5000, 'Ada’s card at Ben');
    const watcherFrames = await record(facilitatorTokenValue);

    setCardText(benClient.doc, id, 'Ben scribbled over it');
    await waitForDoc(benClient.doc, (doc) => readCards(doc).find((card) => card.id === id)?.text === 'Ada wrote this', 5000, 'Ben’s copy to be put right');
    await barrier('after the scribble', [watcherFrames]);
    expect(watcherFrames.saw('scribbled')).toBe(false);
    expect(adaFrames.some((frame) => frame.includes('scribbled'))).toBe(false);
    expect(readCards(adaClient.doc).find((card) => card.id === id)?.text).toBe('Ada wrote this');
  });
});
