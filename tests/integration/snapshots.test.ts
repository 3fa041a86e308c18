import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { io as connectControl } from 'socket.io-client';
import {
  addCard,
  addTheme,
  deleteCard,
  deleteTheme,
  mergeThemes,
  moveCardToTheme,
  readCards,
  readThemes,
  type CreateWorkshopResponse,
  type JoinResponse
} from '@goldthread/shared';
import { api, createWorkshop, facilitatorToken, joinRoom, newServer, type TestServer } from './support/server.js';
import { connectProvider, waitForDoc, within, type ProviderClient } from './support/yjs-clients.js';

interface Summary {
  id: string;
  createdAt: number;
  label: string;
  reason: string;
  cardCount: number;
}

let server: TestServer;
let workshop: CreateWorkshopResponse;
let facilitator: string;
const clients: ProviderClient[] = [];
const asFacilitator = () => ({ authorization: `Bearer ${facilitator}` });
const texts = (client: ProviderClient) => readCards(client.doc).map((c) => c.text).sort();

beforeEach(async () => {
  server = await newServer();
  workshop = await createWorkshop(server.url);
  facilitator = await facilitatorToken(server.url, workshop);
});
afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  await server.close({ removeData: true });
});

async function participantIn(roomName: string, name: string): Promise<[JoinResponse, ProviderClient]> {
  const person = await joinRoom(server.url, workshop, roomName, name);
  const client = connectProvider(server.wsUrl, workshop.id, person.roomId, person.token);
  clients.push(client);
  await within(client.synced, 5000, `${name} to sync`);
  return [person, client];
}

describe('snapshots', () => {
  it('restoring brings deleted cards back for every connected client, and the state before the restore is on the timeline', async () => {
    const [ada, adaClient] = await participantIn('North', 'Ada');
    const [, benClient] = await participantIn('North', 'Ben');
    const [cai, caiClient] = await participantIn('Central', 'Cai');
    const board = workshop.boards[0]!.id;
    const northIds = ['Trust', 'Data sharing'].map((text) => addCard(adaClient.doc, { boardId: board, text, authorId: ada.participantId, authorName: 'Ada' }));
    const centralId = addCard(caiClient.doc, { boardId: board, text: 'Transport', authorId: cai.participantId, authorName: 'Cai' });
    await waitForDoc(benClient.doc, (doc) => readCards(doc).length === 2, 5000, 'North cards at Ben');

    const taken = await api<Summary>(server.url, 'POST', `/api/workshops/${workshop.id}/snapshots`, { label: 'After brainstorm' }, asFacilitator());
    expect(taken.status).toBe(201);
    expect(taken.body).toMatchObject({ id: expect.any(String), createdAt: expect.any(Number) });

    for (const id of northIds) deleteCard(adaClient.doc, id);
    deleteCard(caiClient.doc, centralId);
    addCard(adaClient.doc, { boardId: board, text: 'Added after', authorId: ada.participantId, authorName: 'Ada' });
    await waitForDoc(benClient.doc, (doc) => readCards(doc).map((c) => c.text).join() === 'Added after', 5000, 'deletions at Ben');

    const restore = await api<{ restored: Summary; safety: Summary }>(server.url, 'POST',
      `/api/workshops/${workshop.id}/snapshots/${taken.body.id}/restore`, undefined, asFacilitator());
    expect(restore.status).toBe(200);
    for (const client of [adaClient, benClient]) {
      await waitForDoc(client.doc, (doc) => readCards(doc).length === 2, 5000, 'restored North cards');
      expect(texts(client)).toEqual(['Data sharing', 'Trust']);
    }
    await waitForDoc(caiClient.doc, (doc) => readCards(doc).length === 1, 5000, 'restored Central card');
    expect(readCards(caiClient.doc)[0]).toMatchObject({ id: centralId, text: 'Transport', authorId: cai.participantId });

    const timeline = await api<Summary[]>(server.url, 'GET', `/api/workshops/${workshop.id}/snapshots`, undefined, asFacilitator());
    expect(timeline.body.map((s) => s.reason)).toEqual(['manual', 'before-restore']);
    expect(timeline.body[0]).toMatchObject({ label: 'After brainstorm', cardCount: 3 });
    const safety = await api<{ rooms: { name: string; cards: { text: string }[] }[] }>(server.url, 'GET',
      `/api/workshops/${workshop.id}/snapshots/${restore.body.safety.id}`, undefined, asFacilitator());
    expect(safety.body.rooms.find((r) => r.name === 'North')!.cards.map((c) => c.text)).toEqual(['Added after']);

    // The restored cards are the authors' own again: Ada can still edit them.
    deleteCard(adaClient.doc, northIds[0]!);
    await waitForDoc(benClient.doc, (doc) => readCards(doc).length === 1, 5000, "Ada's later deletion");
  });

  it('restoring brings back the themes as they were, with each card in its theme, for everyone in the room', async () => {
    const [ada, adaClient] = await participantIn('North', 'Ada');
    const board = workshop.boards[0]!.id;
    const [housing, buses, loose] = ['Housing', 'Buses', 'Loose idea'].map((text) =>
      addCard(adaClient.doc, { boardId: board, text, authorId: ada.participantId, authorName: 'Ada' })
    );
    const facilitatorRoom = connectProvider(server.wsUrl, workshop.id, ada.roomId, facilitator);
    clients.push(facilitatorRoom);
    await within(facilitatorRoom.synced, 5000, 'the facilitator to sync');
    await waitForDoc(facilitatorRoom.doc, (doc) => readCards(doc).length === 3, 5000, 'the cards at the facilitator');
    const homes = addTheme(facilitatorRoom.doc, board, 'Homes');
    const transport = addTheme(facilitatorRoom.doc, board, 'Transport');
    moveCardToTheme(facilitatorRoom.doc, housing!, homes);
    moveCardToTheme(facilitatorRoom.doc, buses!, transport);
    // Themes made in the same millisecond have no set order: compare the groupings, sorted.
    const grouping = (client: ProviderClient) =>
      readThemes(client.doc)
        .map((theme) => `${theme.name}: ${theme.cardIds.join(',')}`)
        .sort();
    await waitForDoc(adaClient.doc, () => grouping(adaClient).join('|') === `Homes: ${housing}|Transport: ${buses}`, 5000, 'the grouping at Ada');

    const taken = await api<Summary>(server.url, 'POST', `/api/workshops/${workshop.id}/snapshots`, { label: 'Grouped' }, asFacilitator());
    expect(taken.status).toBe(201);
    mergeThemes(facilitatorRoom.doc, transport, homes);
    deleteTheme(facilitatorRoom.doc, homes);
    moveCardToTheme(facilitatorRoom.doc, loose!, addTheme(facilitatorRoom.doc, board, 'Made later'));
    await waitForDoc(adaClient.doc, () => grouping(adaClient).join('|') === `Made later: ${loose}`, 5000, 'the regrouping at Ada');

    const restore = await api(server.url, 'POST', `/api/workshops/${workshop.id}/snapshots/${taken.body.id}/restore`, undefined, asFacilitator());
    expect(restore.status).toBe(200);
    for (const client of [adaClient, facilitatorRoom]) {
      await waitForDoc(client.doc, () => grouping(client).join('|') === `Homes: ${housing}|Transport: ${buses}`, 5000, 'the restored grouping');
    }
    expect(readThemes(adaClient.doc).map((theme) => theme.id).sort()).toEqual([homes, transport].sort());
    expect(readCards(adaClient.doc).find((card) => card.id === loose)?.themeId).toBeUndefined();
  });

  it('a phase change adds an entry to the timeline', async () => {
    const socket = connectControl(server.url, { auth: { token: facilitator }, transports: ['websocket'] });
    try {
      const reply = await within(socket.timeout(5000).emitWithAck('phase:set', { boardId: workshop.boards[0]!.id, phase: 'brainstorm' }), 6000, 'ack');
      expect(reply).toHaveProperty('data');
      const deadline = Date.now() + 5000;
      let timeline: Summary[] = [];
      // The snapshot is taken after the ack; poll the timeline (there is no event for it).
      while (timeline.length === 0 && Date.now() < deadline) {
        timeline = (await api<Summary[]>(server.url, 'GET', `/api/workshops/${workshop.id}/snapshots`, undefined, asFacilitator())).body;
        if (timeline.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(timeline).toEqual([expect.objectContaining({ reason: 'phase', label: 'Priorities: Brainstorm' })]);
    } finally {
      socket.close();
    }
  });

  it('participants can neither take, list, open nor restore snapshots', async () => {
    const person = await joinRoom(server.url, workshop, 'South');
    const taken = await api<Summary>(server.url, 'POST', `/api/workshops/${workshop.id}/snapshots`, {}, asFacilitator());
    const asParticipant = { authorization: `Bearer ${person.token}` };
    for (const [method, route] of [
      ['POST', `/api/workshops/${workshop.id}/snapshots`],
      ['GET', `/api/workshops/${workshop.id}/snapshots`],
      ['GET', `/api/workshops/${workshop.id}/snapshots/${taken.body.id}`],
      ['POST', `/api/workshops/${workshop.id}/snapshots/${taken.body.id}/restore`]
    ] as const) {
      const reply = await api(server.url, method, route, method === 'POST' ? {} : undefined, asParticipant);
      expect(reply.status, `${method} ${route}`).toBe(403);
    }
    expect((await api(server.url, 'GET', `/api/workshops/${workshop.id}/snapshots/nosuch`, undefined, asFacilitator())).status).toBe(404);
    expect((await api(server.url, 'POST', `/api/workshops/${workshop.id}/snapshots`, { label: 'x'.repeat(121) }, asFacilitator())).status).toBe(400);
  });
});
