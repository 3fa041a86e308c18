import { afterEach, describe, expect, it } from 'vitest';
import { readCards } from '@goldthread/shared';
import { api, createWorkshop, facilitatorToken, joinRoom, newServer, type TestServer } from './support/server.js';
import { filesHolding } from './support/data-dir.js';
import { connectProvider, waitForDoc } from './support/yjs-clients.js';

const servers: TestServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close({ removeData: true });
});
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('erasing one person', () => {
  it('removes their name from the live document, the notes, the snapshots and the journal, keeping their cards anonymously', async () => {
    const server = await newServer();
    servers.push(server);
    const workshop = await createWorkshop(server.url, { title: 'Erasure forum', attribution: 'named' });
    const facilitator = await facilitatorToken(server.url, workshop);
    const joined = await joinRoom(server.url, workshop, 'North', 'Wilhelmina Farquharson');
    const boardId = workshop.boards[0]!.id;
    await api(server.url, 'POST', `/api/workshops/${workshop.id}/rooms/${joined.roomId}/cards`, { boardId, text: 'More buses' }, bearer(joined.token));
    await api(server.url, 'POST', `/api/workshops/${workshop.id}/snapshots`, {}, bearer(facilitator));
    const live = connectProvider(server.wsUrl, workshop.id, joined.roomId, facilitator);
    await live.synced;
    expect(readCards(live.doc)[0]?.authorName).toBe('Wilhelmina Farquharson');
    expect(await filesHolding(server.dataDir, 'Farquharson')).not.toEqual([]);

    const erased = await api(server.url, 'POST', `/api/workshops/${workshop.id}/participants/${joined.participantId}/erase`, { cards: 'anonymise' }, bearer(facilitator));
    expect(erased.status).toBe(200);
    await waitForDoc(live.doc, (doc) => readCards(doc)[0]?.authorName === 'Anonymous', 5000, 'the name gone from the live card');
    expect(readCards(live.doc)[0]?.text).toBe('More buses');
    for (const format of ['md', 'html', 'csv', 'json']) {
      const notes = await fetch(`${server.url}/api/workshops/${workshop.id}/notes.${format}`, { headers: bearer(facilitator) });
      expect(await notes.text()).not.toContain('Farquharson');
    }
    expect(await filesHolding(server.dataDir, 'Farquharson')).toEqual([]);
    expect((await api(server.url, 'GET', `/api/workshops/${workshop.id}`, undefined, bearer(joined.token))).status).toBe(401);
    live.destroy();
  });
});
