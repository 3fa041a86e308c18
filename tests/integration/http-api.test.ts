import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PROTOCOL_VERSION,
  type CardView,
  type CreateWorkshopResponse,
  type FacilitatorSessionResponse,
  type JoinLookupResponse,
  type JoinResponse,
  type WorkshopResponse
} from '@goldthread/shared';
import { api, createWorkshop, facilitatorToken, joinRoom, newServer, type TestServer } from './support/server.js';
import { expectErrorBody } from './support/error-bodies.js';

let server: TestServer;

beforeAll(async () => {
  server = await newServer();
});

afterAll(async () => {
  await server.close({ removeData: true });
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const cardsRoute = (workshopId: string, roomId: string) => `/api/workshops/${workshopId}/rooms/${roomId}/cards`;

/** Every file under a directory, recursively. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) => {
      const full = path.join(dir, entry.name);
      return entry.isDirectory() ? filesUnder(full) : Promise.resolve([full]);
    })
  );
  return nested.flat();
}

describe('GET /api/health', () => {
  it('answers 200 with ok, the version, the protocol version and the uptime', async () => {
    const { status, body, headers } = await api(server.url, 'GET', '/api/health');
    expect(status).toBe(200);
    expect(headers.get('content-type')).toMatch(/^application\/json/);
    expect(body).toEqual({
      ok: true,
      version: expect.any(String),
      protocol: PROTOCOL_VERSION,
      uptimeSeconds: expect.any(Number)
    });
  });
});

describe('POST /api/workshops', () => {
  it('creates a workshop with the rooms North, Central, South and the three default boards when none are named', async () => {
    const { status, body } = await api<CreateWorkshopResponse>(server.url, 'POST', '/api/workshops', { title: 'Partnership day' });
    expect(status).toBe(201);
    expect(body).toEqual({
      id: expect.stringMatching(/^[A-Za-z0-9_-]+$/),
      title: 'Partnership day',
      joinCode: expect.stringMatching(/^[A-Z0-9]{4,12}$/),
      facilitatorKey: expect.any(String),
      rooms: [
        { id: expect.any(String), name: 'North' },
        { id: expect.any(String), name: 'Central' },
        { id: expect.any(String), name: 'South' }
      ],
      boards: [
        { id: expect.any(String), kind: 'priorities', title: 'Priorities', prompt: 'What should our three shared priorities be?' },
        { id: expect.any(String), kind: 'vision', title: 'Vision', prompt: 'What would a better life here look like in 10 years?' },
        { id: expect.any(String), kind: 'barriers', title: 'Barriers', prompt: 'What gets in the way of working together?' }
      ],
      details: { date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) },
      attribution: 'organisation'
    });
    expect(body.facilitatorKey.length).toBeGreaterThanOrEqual(20);
    expect(new Set(body.rooms.map((room) => room.id)).size).toBe(3);
    expect(new Set(body.boards.map((board) => board.id)).size).toBe(3);
  });

  it('uses the rooms and boards it is given, in order', async () => {
    const { status, body } = await api<CreateWorkshopResponse>(server.url, 'POST', '/api/workshops', {
      title: 'Two-room session',
      rooms: ['Upstairs', 'Downstairs'],
      boards: [
        { kind: 'ideas', title: 'Ideas', prompt: 'What could we try?' },
        { kind: 'risks', title: 'Risks' }
      ]
    });
    expect(status).toBe(201);
    expect(body.rooms.map((room) => room.name)).toEqual(['Upstairs', 'Downstairs']);
    expect(body.boards).toEqual([
      { id: expect.any(String), kind: 'ideas', title: 'Ideas', prompt: 'What could we try?' },
      { id: expect.any(String), kind: 'risks', title: 'Risks', prompt: '' }
    ]);
  });

  it('gives two workshops different ids, join codes and facilitator keys', async () => {
    const [a, b] = await Promise.all([createWorkshop(server.url), createWorkshop(server.url)]);
    expect(a.id).not.toBe(b.id);
    expect(a.joinCode).not.toBe(b.joinCode);
    expect(a.facilitatorKey).not.toBe(b.facilitatorKey);
  });

  it('never writes the facilitator key in plain text to the data directory', async () => {
    const workshop = await createWorkshop(server.url, { title: 'Key check' });
    // Something must have been written, or the check below proves nothing.
    const workshopFile = path.join(server.dataDir, 'workshops', `${workshop.id}.json`);
    const stored = JSON.parse(await readFile(workshopFile, 'utf8')) as { workshop: { id: string; facilitatorKeyHash?: string } };
    expect(stored.workshop.id).toBe(workshop.id);
    expect(stored.workshop.facilitatorKeyHash).toEqual(expect.any(String));
    expect(stored.workshop.facilitatorKeyHash).not.toBe(workshop.facilitatorKey);

    for (const file of await filesUnder(server.dataDir)) {
      const text = await readFile(file, 'utf8');
      expect(text.includes(workshop.facilitatorKey), `${file} holds the facilitator key`).toBe(false);
    }
  });
});

describe('joining', () => {
  it('GET /api/join/:code finds the workshop whatever the case of the code and with spaces in it', async () => {
    const workshop = await createWorkshop(server.url, { title: 'Lookup' });
    const spaced = `${workshop.joinCode.slice(0, 3)} ${workshop.joinCode.slice(3)}`.toLowerCase();
    for (const typed of [workshop.joinCode, workshop.joinCode.toLowerCase(), spaced]) {
      const { status, body } = await api<JoinLookupResponse>(server.url, 'GET', `/api/join/${encodeURIComponent(typed)}`);
      expect(status, `code typed as "${typed}"`).toBe(200);
      expect(body).toEqual({
        workshopId: workshop.id,
        title: 'Lookup',
        rooms: workshop.rooms,
        details: workshop.details,
        privacy: { attribution: 'organisation', keptUntil: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) }
      });
    }
  });

  it('POST /api/join admits a person to the room they chose and issues a token', async () => {
    const workshop = await createWorkshop(server.url);
    const south = workshop.rooms[2]!;
    const { status, body } = await api<JoinResponse>(server.url, 'POST', '/api/join', {
      code: ` ${workshop.joinCode.toLowerCase()} `,
      name: 'Priya',
      roomId: south.id
    });
    expect(status).toBe(200);
    expect(body).toEqual({
      workshopId: workshop.id,
      roomId: south.id,
      participantId: expect.any(String),
      token: expect.any(String)
    });
  });

  it('without a chosen room, three people joining one after another land in three different rooms', async () => {
    const workshop = await createWorkshop(server.url);
    const rooms: string[] = [];
    for (const name of ['Ann', 'Bo', 'Cy']) {
      const { status, body } = await api<JoinResponse>(server.url, 'POST', '/api/join', { code: workshop.joinCode, name });
      expect(status).toBe(200);
      rooms.push(body.roomId);
    }
    expect(new Set(rooms).size).toBe(3);
    expect(rooms.sort()).toEqual(workshop.rooms.map((room) => room.id).sort());
  });

  it('without a chosen room, a person joins the room with the fewest people in it', async () => {
    const workshop = await createWorkshop(server.url);
    await joinRoom(server.url, workshop, 'North');
    await joinRoom(server.url, workshop, 'North');
    await joinRoom(server.url, workshop, 'South');
    const { body } = await api<JoinResponse>(server.url, 'POST', '/api/join', { code: workshop.joinCode, name: 'Dee' });
    expect(body.roomId).toBe(workshop.rooms[1]!.id);
  });

  it('without a chosen room, six people joining at the same moment are spread two to a room', async () => {
    const workshop = await createWorkshop(server.url);
    const joins = await Promise.all(
      ['Ann', 'Bo', 'Cy', 'Dee', 'Ed', 'Flo'].map((name) =>
        api<JoinResponse>(server.url, 'POST', '/api/join', { code: workshop.joinCode, name })
      )
    );
    const perRoom = new Map(workshop.rooms.map((room) => [room.id, 0]));
    for (const join of joins) {
      expect(join.status).toBe(200);
      perRoom.set(join.body.roomId, (perRoom.get(join.body.roomId) ?? 0) + 1);
    }
    expect([...perRoom.values()]).toEqual([2, 2, 2]);
  });

  it('an unknown join code is answered 404 in JSON, by the lookup and by the join', async () => {
    expectErrorBody(await api(server.url, 'GET', '/api/join/ZZZZZZ'), { status: 404, code: 'not_found' });
    expectErrorBody(await api(server.url, 'POST', '/api/join', { code: 'ZZZZZZ', name: 'Lost' }), { status: 404, code: 'not_found' });
  });
});

describe('POST /api/workshops/:id/facilitator-session', () => {
  it('exchanges the right facilitator key for a token and the workshop with its join code', async () => {
    const workshop = await createWorkshop(server.url, { title: 'Facilitated' });
    const { status, body } = await api<FacilitatorSessionResponse>(
      server.url, 'POST', `/api/workshops/${workshop.id}/facilitator-session`, undefined, bearer(workshop.facilitatorKey)
    );
    expect(status).toBe(200);
    expect(body.token).toEqual(expect.any(String));
    expect(body.token).not.toBe(workshop.facilitatorKey);
    expect(body.workshop).toEqual({
      id: workshop.id,
      title: 'Facilitated',
      joinCode: workshop.joinCode,
      createdAt: expect.any(Number),
      rooms: workshop.rooms,
      boards: workshop.boards,
      details: workshop.details,
      attribution: 'organisation'
    });
  });

  it('refuses a wrong key with 403 and a missing key with 401', async () => {
    const workshop = await createWorkshop(server.url);
    const other = await createWorkshop(server.url);
    const route = `/api/workshops/${workshop.id}/facilitator-session`;
    expectErrorBody(await api(server.url, 'POST', route, undefined, bearer('not-the-key')), { status: 403, code: 'forbidden' });
    expectErrorBody(await api(server.url, 'POST', route, undefined, bearer(other.facilitatorKey)), { status: 403, code: 'forbidden' });
    expectErrorBody(await api(server.url, 'POST', route), { status: 401, code: 'unauthorized' });
  });
});

describe('GET /api/workshops/:id', () => {
  it('shows a participant the workshop without its join code', async () => {
    const workshop = await createWorkshop(server.url, { title: 'Seen by participants' });
    const person = await joinRoom(server.url, workshop, 'Central');
    const { status, body } = await api<WorkshopResponse>(server.url, 'GET', `/api/workshops/${workshop.id}`, undefined, bearer(person.token));
    expect(status).toBe(200);
    expect(body).toEqual({
      id: workshop.id,
      title: 'Seen by participants',
      createdAt: expect.any(Number),
      rooms: workshop.rooms,
      boards: workshop.boards,
      details: workshop.details,
      attribution: 'organisation'
    });
    expect(body).not.toHaveProperty('joinCode');
    expect(JSON.stringify(body)).not.toContain(workshop.facilitatorKey);
  });

  it('shows the facilitator the join code as well', async () => {
    const workshop = await createWorkshop(server.url);
    const token = await facilitatorToken(server.url, workshop);
    const { status, body } = await api<WorkshopResponse>(server.url, 'GET', `/api/workshops/${workshop.id}`, undefined, bearer(token));
    expect(status).toBe(200);
    expect(body).toMatchObject({ id: workshop.id, joinCode: workshop.joinCode });
    expect(body).not.toHaveProperty('facilitatorKeyHash');
  });

  it('refuses no token or a wrong token with 401, and a token of another workshop with 403', async () => {
    const workshop = await createWorkshop(server.url);
    const other = await createWorkshop(server.url);
    const outsider = await joinRoom(server.url, other, 'North');
    const route = `/api/workshops/${workshop.id}`;
    expectErrorBody(await api(server.url, 'GET', route), { status: 401, code: 'unauthorized' });
    expectErrorBody(await api(server.url, 'GET', route, undefined, bearer('garbage.token')), { status: 401, code: 'unauthorized' });
    // The facilitator key is not a session token.
    expectErrorBody(await api(server.url, 'GET', route, undefined, bearer(workshop.facilitatorKey)), { status: 401, code: 'unauthorized' });
    expectErrorBody(await api(server.url, 'GET', route, undefined, bearer(outsider.token)), { status: 403, code: 'forbidden' });
    expectErrorBody(await api(server.url, 'GET', route, undefined, bearer(await facilitatorToken(server.url, other))), {
      status: 403,
      code: 'forbidden'
    });
  });
});

describe('cards over HTTP', () => {
  it('a participant adds a card in their own name and then lists it', async () => {
    const workshop = await createWorkshop(server.url);
    const north = workshop.rooms[0]!;
    const board = workshop.boards[1]!;
    const person = await joinRoom(server.url, workshop, 'North', 'Nadia');

    const empty = await api<CardView[]>(server.url, 'GET', cardsRoute(workshop.id, north.id), undefined, bearer(person.token));
    expect(empty.status).toBe(200);
    expect(empty.body).toEqual([]);

    const added = await api<CardView>(server.url, 'POST', cardsRoute(workshop.id, north.id),
      { boardId: board.id, text: '  Young people stay in town  ', color: 'green' }, bearer(person.token));
    expect(added.status).toBe(201);
    expect(added.body).toEqual({
      id: expect.any(String),
      boardId: board.id,
      text: 'Young people stay in town',
      authorId: person.participantId,
      authorName: 'Nadia',
      color: 'green',
      createdAt: expect.any(Number)
    });

    const listed = await api<CardView[]>(server.url, 'GET', cardsRoute(workshop.id, north.id), undefined, bearer(person.token));
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual([added.body]);
  });

  it('the facilitator may read and add cards in any room, as "Facilitator"', async () => {
    const workshop = await createWorkshop(server.url);
    const south = workshop.rooms[2]!;
    const token = await facilitatorToken(server.url, workshop);
    const added = await api<CardView>(server.url, 'POST', cardsRoute(workshop.id, south.id),
      { boardId: workshop.boards[0]!.id, text: 'Start from what works' }, bearer(token));
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ authorName: 'Facilitator', color: 'yellow' });
    const listed = await api<CardView[]>(server.url, 'GET', cardsRoute(workshop.id, south.id), undefined, bearer(token));
    expect(listed.body.map((card) => card.text)).toEqual(['Start from what works']);
  });

  it("keeps each room's cards apart", async () => {
    const workshop = await createWorkshop(server.url);
    const [north, central] = workshop.rooms;
    const token = await facilitatorToken(server.url, workshop);
    await api(server.url, 'POST', cardsRoute(workshop.id, north!.id), { boardId: workshop.boards[0]!.id, text: 'North card' }, bearer(token));
    const centralCards = await api<CardView[]>(server.url, 'GET', cardsRoute(workshop.id, central!.id), undefined, bearer(token));
    expect(centralCards.body).toEqual([]);
  });

  it("refuses a participant another room's cards with 403, for reading and for adding", async () => {
    const workshop = await createWorkshop(server.url);
    const central = workshop.rooms[1]!;
    const person = await joinRoom(server.url, workshop, 'North');
    expectErrorBody(await api(server.url, 'GET', cardsRoute(workshop.id, central.id), undefined, bearer(person.token)), {
      status: 403,
      code: 'forbidden'
    });
    expectErrorBody(
      await api(server.url, 'POST', cardsRoute(workshop.id, central.id), { boardId: workshop.boards[0]!.id, text: 'Sneaky' }, bearer(person.token)),
      { status: 403, code: 'forbidden' }
    );
    const token = await facilitatorToken(server.url, workshop);
    const centralCards = await api<CardView[]>(server.url, 'GET', cardsRoute(workshop.id, central.id), undefined, bearer(token));
    expect(centralCards.body).toEqual([]);
  });

  it('refuses cards without a token (401) and with a token of another workshop (403)', async () => {
    const workshop = await createWorkshop(server.url);
    const other = await createWorkshop(server.url);
    const outsider = await joinRoom(server.url, other, 'North');
    const route = cardsRoute(workshop.id, workshop.rooms[0]!.id);
    expectErrorBody(await api(server.url, 'GET', route), { status: 401, code: 'unauthorized' });
    expectErrorBody(await api(server.url, 'POST', route, { boardId: workshop.boards[0]!.id, text: 'x' }), { status: 401, code: 'unauthorized' });
    expectErrorBody(await api(server.url, 'GET', route, undefined, bearer(outsider.token)), { status: 403, code: 'forbidden' });
  });
});
