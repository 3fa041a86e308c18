import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import { addCard, readCards, roomDocName, type CreateWorkshopResponse } from '@goldthread/shared';
import { api, createWorkshop, facilitatorToken, joinRoom, newServer, type TestServer } from './support/server.js';
import { connectProvider, waitForDoc, within, type ProviderClient } from './support/yjs-clients.js';

let server: TestServer;
let workshop: CreateWorkshopResponse;
const clients: ProviderClient[] = [];

beforeEach(async () => {
  server = await newServer();
  workshop = await createWorkshop(server.url);
});
afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  await server.close({ removeData: true });
});

async function projectorToken(bearerToken: string) {
  return api<{ token: string }>(server.url, 'POST', `/api/workshops/${workshop.id}/projector-token`, undefined, {
    authorization: `Bearer ${bearerToken}`
  });
}

describe('the projector role', () => {
  it('only the facilitator can mint a projector token', async () => {
    const person = await joinRoom(server.url, workshop, 'North');
    const refused = await projectorToken(person.token);
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual({ error: { code: 'forbidden', message: expect.any(String) } });
    const minted = await projectorToken(await facilitatorToken(server.url, workshop));
    expect(minted.status).toBe(201);
    expect(typeof minted.body.token).toBe('string');
  });

  it('sees the workshop with its join code but cannot add cards over HTTP', async () => {
    const { body } = await projectorToken(await facilitatorToken(server.url, workshop));
    const view = await api<{ joinCode?: string }>(server.url, 'GET', `/api/workshops/${workshop.id}`, undefined, { authorization: `Bearer ${body.token}` });
    expect(view.body.joinCode).toBe(workshop.joinCode);
    const add = await api(server.url, 'POST', `/api/workshops/${workshop.id}/rooms/${workshop.rooms[0]!.id}/cards`,
      { boardId: workshop.boards[0]!.id, text: 'From the projector' }, { authorization: `Bearer ${body.token}` });
    expect(add.status).toBe(403);
  });

  it('a raw y-protocols client with a projector token reads every room but its updates change nothing for anyone', async () => {
    const facilitator = await facilitatorToken(server.url, workshop);
    const projector = (await projectorToken(facilitator)).body.token;
    const person = await joinRoom(server.url, workshop, 'Central', 'Cai');
    const room = workshop.rooms[1]!;
    const participant = connectProvider(server.wsUrl, workshop.id, room.id, person.token);
    clients.push(participant);
    await within(participant.synced, 5000, 'sync');
    addCard(participant.doc, { boardId: workshop.boards[0]!.id, text: 'Real card', authorId: person.participantId, authorName: 'Cai' });

    const screen = connectProvider(server.wsUrl, workshop.id, room.id, projector);
    clients.push(screen);
    await waitForDoc(screen.doc, (doc) => readCards(doc).some((c) => c.text === 'Real card'), 5000, 'the projector to read the room');

    // Write through the raw protocol: an update message and a sync step 2, as a forged client would.
    const forged = new Y.Doc();
    addCard(forged, { boardId: workshop.boards[0]!.id, text: 'Forged by projector', authorId: 'projector', authorName: 'P' });
    const socket = new WebSocket(`${server.wsUrl}/${roomDocName(workshop.id, room.id)}?token=${projector}`);
    await within(new Promise((resolve) => socket.once('open', resolve)), 5000, 'open');
    for (const write of [syncProtocol.writeUpdate, syncProtocol.writeSyncStep2]) {
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, 0);
      if (write === syncProtocol.writeUpdate) syncProtocol.writeUpdate(encoder, Y.encodeStateAsUpdate(forged));
      else syncProtocol.writeSyncStep2(encoder, forged);
      socket.send(encoding.toUint8Array(encoder));
    }
    // The server answers a sync step 1 with a step 2 on the same connection, after the writes before it.
    const answered = new Promise<void>((resolve) =>
      socket.on('message', (data: Buffer) => {
        if (data[0] === 0 && data[1] === syncProtocol.messageYjsSyncStep2) resolve();
      })
    );
    const query = encoding.createEncoder();
    encoding.writeVarUint(query, 0);
    syncProtocol.writeSyncStep1(query, forged);
    socket.send(encoding.toUint8Array(query));
    await within(answered, 5000, 'the server to process the forged writes');

    // A later change by the participant reaches a fresh reader; the forged card never does.
    addCard(participant.doc, { boardId: workshop.boards[0]!.id, text: 'After the forgery', authorId: person.participantId, authorName: 'Cai' });
    const reader = connectProvider(server.wsUrl, workshop.id, room.id, facilitator);
    clients.push(reader);
    await waitForDoc(reader.doc, (doc) => readCards(doc).some((c) => c.text === 'After the forgery'), 5000, 'the later card');
    expect(readCards(reader.doc).map((c) => c.text).sort()).toEqual(['After the forgery', 'Real card']);
    expect(readCards(participant.doc).map((c) => c.text)).not.toContain('Forged by projector');
    socket.close();
  });
});
