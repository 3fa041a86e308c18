import { afterEach, describe, expect, it } from 'vitest';
import { api, newServer, type TestServer } from './support/server.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close({ removeData: true });
  server = undefined;
});

describe('GOLDTHREAD_ADMIN_TOKEN', () => {
  it('when set, creating or importing a workshop needs it; joining does not', async () => {
    server = await newServer({ config: { adminToken: 'venue-admin-secret' } });
    const body = { title: 'Locked-down server' };
    const none = await api(server.url, 'POST', '/api/workshops', body);
    expect(none.status).toBe(401);
    expect(none.body).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
    const wrong = await api(server.url, 'POST', '/api/workshops', body, { authorization: 'Bearer not-the-secret' });
    expect(wrong.status).toBe(403);
    const importWithout = await api(server.url, 'POST', '/api/import', '{"format":"goldthread-notes"}');
    expect(importWithout.status).toBe(401);

    const created = await api<{ joinCode: string; rooms: { id: string }[] }>(server.url, 'POST', '/api/workshops', body, {
      authorization: 'Bearer venue-admin-secret'
    });
    expect(created.status).toBe(201);
    const joined = await api(server.url, 'POST', '/api/join', { code: created.body.joinCode, name: 'Pat' });
    expect(joined.status).toBe(200);
  });

  it('when unset, anyone who reaches the server may create a workshop', async () => {
    server = await newServer();
    expect((await api(server.url, 'POST', '/api/workshops', { title: 'Open venue laptop' })).status).toBe(201);
  });
});
