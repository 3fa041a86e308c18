import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreateWorkshopResponse, JoinResponse, SessionInfo } from '@goldthread/shared';
import { api, createWorkshop, newServer, type TestServer } from './support/server.js';
import { connected, controlClient } from './support/control-client.js';
import { command } from './support/control-commands.js';
import { expectErrorBody } from './support/error-bodies.js';

let server: TestServer;
let workshop: CreateWorkshopResponse;
beforeAll(async () => {
  server = await newServer();
  workshop = await createWorkshop(server.url);
});
afterAll(() => server.close({ removeData: true }));

const REFUSED = {
  'a NUL byte': 'Ann\u0000ex',
  'an escape character': 'Ann\u001b[31m',
  'a line break': 'Ann\nBrown',
  'a right-to-left override': 'Ann \u202Egnp.exe',
  'a left-to-right embedding': '\u202AAnn',
  'a first-strong isolate': 'Ann\u2068',
  'a lone high surrogate': 'Ann \uD83D',
  'a lone low surrogate': '\uDE00 Ann'
};

describe('titles and names refuse control, direction-override and broken characters', () => {
  for (const [what, value] of Object.entries(REFUSED)) {
    it(`${what} in a workshop title, room name, board title, name or organisation → 400 validation_failed`, async () => {
      const bodies = [
        ['/api/workshops', { title: value }],
        ['/api/workshops', { title: 'Fine', rooms: [value] }],
        ['/api/workshops', { title: 'Fine', boards: [{ kind: 'ideas', title: value }] }],
        ['/api/join', { code: workshop.joinCode, name: value }],
        ['/api/join', { code: workshop.joinCode, name: 'Ann', organisation: value }]
      ] as const;
      for (const [route, body] of bodies) {
        const answer = await api(server.url, 'POST', route, body);
        expectErrorBody(answer, { status: 400, code: 'validation_failed' });
        expect((answer.body as { error: { message: string } }).error.message).toMatch(/character/);
      }
    });
  }

  it('text is stored NFC-normalised: a name typed with a combining accent is the same name', async () => {
    const decomposed = 'Jose\u0301 Nu\u0303nez';
    const created = await createWorkshop(server.url, { title: `Cafe\u0301 ${decomposed}`, rooms: [`Sala de Jose\u0301`] });
    expect(created.title).toBe('Caf\u00e9 Jos\u00e9 N\u0169nez');
    expect(created.rooms[0]!.name).toBe('Sala de Jos\u00e9');

    const joined = await api<JoinResponse>(server.url, 'POST', '/api/join', { code: created.joinCode, name: decomposed });
    expect(joined.status).toBe(200);
    const socket = controlClient(server.url, { token: joined.body.token });
    try {
      await connected(socket);
      const session = (await command(socket, 'session:get', {})) as { data: SessionInfo };
      expect(session.data.identity.name).toBe('Jos\u00e9 N\u0169nez');
    } finally {
      socket.disconnect();
    }
  });

  it('right-to-left names, emoji and marks still pass', async () => {
    const names = ['مريم الحسن', 'שרה כהן', 'Ann 👩🏽‍🌾', 'Zoë\u200F'];
    for (const name of names) {
      const answer = await api(server.url, 'POST', '/api/join', { code: workshop.joinCode, name });
      expect(answer.status, `${name}: ${JSON.stringify(answer.body)}`).toBe(200);
    }
  });
});

describe('card text', () => {
  it('keeps line breaks and tabs but refuses NUL, overrides and lone surrogates', async () => {
    const joined = await api<JoinResponse>(server.url, 'POST', '/api/join', { code: workshop.joinCode, name: 'Writer' });
    const route = `/api/workshops/${workshop.id}/rooms/${joined.body.roomId}/cards`;
    const auth = { authorization: `Bearer ${joined.body.token}` };
    const boardId = workshop.boards[0]!.id;
    const fine = await api<{ text: string }>(server.url, 'POST', route, { boardId, text: 'First line\n\tsecond line' }, auth);
    expect(fine.status, JSON.stringify(fine.body)).toBe(201);
    expect(fine.body.text).toBe('First line\n\tsecond line');
    for (const text of ['nul\u0000', 'over\u202Eride', 'half \uD83D']) {
      expectErrorBody(await api(server.url, 'POST', route, { boardId, text }, auth), { status: 400, code: 'validation_failed' });
    }
  });
});
