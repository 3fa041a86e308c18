import { afterEach, describe, expect, it } from 'vitest';
import { api, createWorkshop, facilitatorToken, joinRoom, newServer, type TestServer } from './support/server.js';
import { filesHolding, listDataDir } from './support/data-dir.js';

const servers: TestServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close({ removeData: true });
});
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function workshopWithCard(server: TestServer, title: string, person: string, extra: Record<string, unknown> = {}) {
  const workshop = await createWorkshop(server.url, { title, date: '2027-01-10', attribution: 'named', ...extra });
  const joined = await joinRoom(server.url, workshop, 'North', person);
  const added = await api(server.url, 'POST', `/api/workshops/${workshop.id}/rooms/${joined.roomId}/cards`, { boardId: workshop.boards[0]!.id, text: `${title} card` }, bearer(joined.token));
  expect(added.status).toBe(201);
  const facilitator = await facilitatorToken(server.url, workshop);
  expect((await api(server.url, 'POST', `/api/workshops/${workshop.id}/snapshots`, {}, bearer(facilitator))).status).toBe(201);
  return { workshop, joined, facilitator };
}

describe('Delete workshop', () => {
  it('removes every file of the workshop, refuses its tokens, and leaves other workshops alone', async () => {
    const server = await newServer();
    servers.push(server);
    const gone = await workshopWithCard(server, 'Zanzibar Forum', 'Ottoline Quarry');
    const kept = await workshopWithCard(server, 'Kept Forum', 'Bea Kept');
    expect(await filesHolding(server.dataDir, 'Ottoline Quarry')).not.toEqual([]);

    expect((await api(server.url, 'DELETE', `/api/workshops/${gone.workshop.id}`, undefined, bearer(gone.joined.token))).status).toBe(403);
    expect((await api(server.url, 'DELETE', `/api/workshops/${gone.workshop.id}`, undefined, bearer(gone.facilitator))).status).toBe(204);

    expect((await listDataDir(server.dataDir)).filter((file) => file.includes(gone.workshop.id))).toEqual([]);
    expect(await filesHolding(server.dataDir, 'Ottoline Quarry')).toEqual([]);
    expect(await filesHolding(server.dataDir, 'Zanzibar Forum')).toEqual([]);
    expect((await api(server.url, 'GET', `/api/workshops/${gone.workshop.id}`, undefined, bearer(gone.facilitator))).status).toBe(404);
    expect((await api(server.url, 'GET', `/api/workshops/${gone.workshop.id}`, undefined, bearer(gone.joined.token))).status).toBe(404);
    expect((await api(server.url, 'GET', `/api/join/${gone.workshop.joinCode}`)).status).toBe(404);

    expect((await api(server.url, 'GET', `/api/workshops/${kept.workshop.id}`, undefined, bearer(kept.facilitator))).status).toBe(200);
    expect(await filesHolding(server.dataDir, 'Bea Kept')).not.toEqual([]);
  });
});

describe('retention', () => {
  it('deletes an expired workshop with every file of it at start and by the periodic sweep; unexpired ones are untouched', async () => {
    let now = Date.UTC(2027, 0, 10, 12);
    const server = await newServer({ now: () => now, config: { retentionDays: 365 } });
    servers.push(server);
    const short = await workshopWithCard(server, 'Shortlived Forum', 'Perpetua Vantongeren', { retentionDays: 30 });
    const long = await workshopWithCard(server, 'Longlived Forum', 'Ignatius Long');
    const view = await api<{ keptUntil: string }>(server.url, 'GET', `/api/workshops/${short.workshop.id}`, undefined, bearer(short.facilitator));
    expect(view.body.keptUntil).toBe('2027-02-09');
    await server.close();
    servers.pop();

    now = Date.UTC(2027, 1, 10, 12);
    const restarted = await newServer({ dataDir: server.dataDir, now: () => now, config: { retentionDays: 365 } });
    servers.push(restarted);
    expect((await listDataDir(restarted.dataDir)).filter((file) => file.includes(short.workshop.id))).toEqual([]);
    expect(await filesHolding(restarted.dataDir, 'Perpetua Vantongeren')).toEqual([]);
    expect(await filesHolding(restarted.dataDir, 'Shortlived Forum')).toEqual([]);
    expect(await filesHolding(restarted.dataDir, 'Ignatius Long')).not.toEqual([]);

    now = Date.UTC(2028, 0, 12, 12);
    expect(await restarted.server.retention.sweep()).toEqual([long.workshop.id]);
    expect(await filesHolding(restarted.dataDir, 'Ignatius Long')).toEqual([]);
  });
});
