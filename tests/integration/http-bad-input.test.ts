import { readdir } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS, type CardView, type CreateWorkshopResponse, type ErrorCode, type JoinResponse, type WorkshopResponse } from '@goldthread/shared';
import { api, createWorkshop, facilitatorToken, joinRoom, newServer, type TestServer } from './support/server.js';
import { expectErrorBody } from './support/error-bodies.js';

let server: TestServer;
/** A workshop, a participant of North and a facilitator token, shared by the table rows. */
let workshop: CreateWorkshopResponse;
let participant: JoinResponse;
let facilitator: string;
/** A second workshop, whose room ids must mean nothing in the first. */
let otherWorkshop: CreateWorkshopResponse;

beforeAll(async () => {
  server = await newServer();
  workshop = await createWorkshop(server.url, { title: 'Bad input' });
  participant = await joinRoom(server.url, workshop, 'North', 'Nell');
  facilitator = await facilitatorToken(server.url, workshop);
  otherWorkshop = await createWorkshop(server.url, { title: 'Another' });
});

afterEach(async () => {
  // Whatever a row sent, the server is still up and answering.
  const health = await api(server.url, 'GET', '/api/health');
  expect(health.status).toBe(200);
});

afterAll(async () => {
  await server.close({ removeData: true });
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const x = (n: number, char = 'a') => char.repeat(n);

interface BadRequest {
  name: string;
  method: string;
  /** A route, or a function of the shared fixtures. */
  route: string | (() => string);
  /** Sent as is when a string, else JSON-encoded. */
  body?: unknown | (() => unknown);
  headers?: Record<string, string> | (() => Record<string, string>);
  status: number;
  code: ErrorCode | readonly ErrorCode[];
}

const resolve = <T,>(value: T | (() => T)): T => (typeof value === 'function' ? (value as () => T)() : value);
const cards = () => `/api/workshops/${workshop.id}/rooms/${workshop.rooms[0]!.id}/cards`;
const asParticipant = () => bearer(participant.token);
const asFacilitator = () => bearer(facilitator);

const malformedBodies: BadRequest[] = [
  { name: 'malformed JSON', method: 'POST', route: '/api/workshops', body: '{"title": "unterminated', status: 400, code: 'invalid_json' },
  { name: 'JSON with a trailing comma', method: 'POST', route: '/api/workshops', body: '{"title": "x",}', status: 400, code: 'invalid_json' },
  { name: 'a JSON array', method: 'POST', route: '/api/workshops', body: '[{"title": "x"}]', status: 400, code: ['invalid_json', 'validation_failed'] },
  { name: 'a JSON number', method: 'POST', route: '/api/workshops', body: '42', status: 400, code: ['invalid_json', 'validation_failed'] },
  { name: 'JSON null', method: 'POST', route: '/api/workshops', body: 'null', status: 400, code: ['invalid_json', 'validation_failed'] },
  { name: 'a JSON string', method: 'POST', route: '/api/workshops', body: '"a workshop"', status: 400, code: ['invalid_json', 'validation_failed'] },
  { name: 'an empty body', method: 'POST', route: '/api/workshops', body: '', status: 400, code: ['invalid_json', 'validation_failed'] },
  { name: 'an array to /api/join', method: 'POST', route: '/api/join', body: '[]', status: 400, code: ['invalid_json', 'validation_failed'] },
  { name: 'null to the cards route', method: 'POST', route: cards, body: 'null', headers: asParticipant, status: 400, code: ['invalid_json', 'validation_failed'] },
  {
    name: 'a __proto__ key that tries to smuggle in a title',
    method: 'POST',
    route: '/api/workshops',
    body: '{"__proto__": {"title": "Smuggled"}}',
    status: 400,
    code: 'validation_failed'
  },
  {
    name: 'a body in a charset other than UTF-8',
    method: 'POST',
    route: '/api/workshops',
    body: '{"title": "Latin"}',
    headers: { 'content-type': 'application/json; charset=latin1' },
    status: 415,
    code: 'bad_request'
  },
  {
    name: 'a body in an unknown content encoding',
    method: 'POST',
    route: '/api/workshops',
    body: '{"title": "Squeezed"}',
    headers: { 'content-encoding': 'x-squeeze' },
    status: 415,
    code: 'bad_request'
  },
  {
    name: 'a gzip body that is not gzip',
    method: 'POST',
    route: '/api/workshops',
    body: '{"title": "Not gzip"}',
    headers: { 'content-encoding': 'gzip' },
    status: 400,
    code: 'bad_request'
  }
];

const invalidWorkshops: BadRequest[] = [
  { name: 'a missing title', body: {}, code: 'validation_failed' },
  { name: 'an empty title', body: { title: '' }, code: 'validation_failed' },
  { name: 'a title of spaces only', body: { title: '    ' }, code: 'validation_failed' },
  { name: `a title of ${LIMITS.workshopTitle + 1} characters`, body: { title: x(LIMITS.workshopTitle + 1) }, code: 'validation_failed' },
  { name: 'a title that is a number', body: { title: 5 }, code: 'validation_failed' },
  { name: 'a title that is an object', body: { title: { en: 'Hi' } }, code: 'validation_failed' },
  { name: 'rooms that are a string', body: { title: 'T', rooms: 'x' }, code: 'validation_failed' },
  { name: 'no rooms at all', body: { title: 'T', rooms: [] }, code: 'validation_failed' },
  { name: 'a room name that is empty', body: { title: 'T', rooms: ['North', ''] }, code: 'validation_failed' },
  { name: 'a room name that is a number', body: { title: 'T', rooms: [1, 2] }, code: 'validation_failed' },
  { name: `a room name of ${LIMITS.roomName + 1} characters`, body: { title: 'T', rooms: [x(LIMITS.roomName + 1)] }, code: 'validation_failed' },
  {
    name: `${LIMITS.roomsPerWorkshop + 1} rooms`,
    body: { title: 'T', rooms: Array.from({ length: LIMITS.roomsPerWorkshop + 1 }, (_, i) => `Room ${i}`) },
    code: 'validation_failed'
  },
  { name: 'duplicate room names', body: { title: 'T', rooms: ['North', 'South', 'North'] }, code: 'validation_failed' },
  { name: 'room names that differ only in case', body: { title: 'T', rooms: ['North', 'north'] }, code: 'validation_failed' },
  { name: 'room names that differ only in surrounding spaces', body: { title: 'T', rooms: ['North', ' North '] }, code: 'validation_failed' },
  { name: 'a board that is an empty object', body: { title: 'T', boards: [{}] }, code: 'validation_failed' },
  { name: 'boards that are a string', body: { title: 'T', boards: 'Priorities' }, code: 'validation_failed' },
  { name: 'no boards at all', body: { title: 'T', boards: [] }, code: 'validation_failed' },
  { name: 'a board kind with spaces and punctuation', body: { title: 'T', boards: [{ kind: 'my kind!', title: 'B' }] }, code: 'validation_failed' },
  { name: 'a board without a title', body: { title: 'T', boards: [{ kind: 'ideas' }] }, code: 'validation_failed' },
  {
    name: `a board prompt of ${LIMITS.boardPrompt + 1} characters`,
    body: { title: 'T', boards: [{ kind: 'ideas', title: 'Ideas', prompt: x(LIMITS.boardPrompt + 1) }] },
    code: 'validation_failed'
  },
  {
    name: `${LIMITS.boardsPerWorkshop + 1} boards`,
    body: { title: 'T', boards: Array.from({ length: LIMITS.boardsPerWorkshop + 1 }, (_, i) => ({ kind: `b${i}`, title: `Board ${i}` })) },
    code: 'validation_failed'
  },
  {
    name: 'duplicate board titles',
    body: { title: 'T', boards: [{ kind: 'a', title: 'Ideas' }, { kind: 'b', title: 'ideas' }] },
    code: 'validation_failed'
  }
].map((row) => ({ ...row, method: 'POST', route: '/api/workshops', status: 400 }) as BadRequest);

const invalidJoins: BadRequest[] = [
  { name: 'a join without a code', body: () => ({ name: 'Nia' }), status: 400, code: 'validation_failed' },
  { name: 'a join with a numeric code', body: () => ({ code: 123456, name: 'Nia' }), status: 400, code: 'validation_failed' },
  { name: 'a join without a name', body: () => ({ code: workshop.joinCode }), status: 400, code: 'validation_failed' },
  { name: 'a join with an empty name', body: () => ({ code: workshop.joinCode, name: '  ' }), status: 400, code: 'validation_failed' },
  {
    name: `a join with a name of ${LIMITS.participantName + 1} characters`,
    body: () => ({ code: workshop.joinCode, name: x(LIMITS.participantName + 1) }),
    status: 400,
    code: 'validation_failed'
  },
  { name: 'a join with a roomId that is a number', body: () => ({ code: workshop.joinCode, name: 'Nia', roomId: 7 }), status: 400, code: 'validation_failed' },
  { name: 'a join to an unknown room', body: () => ({ code: workshop.joinCode, name: 'Nia', roomId: 'nosuchroom' }), status: 404, code: 'not_found' },
  {
    name: "a join to another workshop's room",
    body: () => ({ code: workshop.joinCode, name: 'Nia', roomId: otherWorkshop.rooms[0]!.id }),
    status: 404,
    code: 'not_found'
  },
  { name: 'a join with an unknown code', body: { code: 'NOPE22', name: 'Nia' }, status: 404, code: 'not_found' },
  { name: 'a join with a code that is too long', body: { code: x(LIMITS.joinCode + 1, 'A'), name: 'Nia' }, status: 400, code: 'validation_failed' }
].map((row) => ({ ...row, method: 'POST', route: '/api/join' }) as BadRequest);

const invalidCards: BadRequest[] = [
  { name: 'a card without a board', body: { text: 'Hello' }, status: 400, code: 'validation_failed' },
  { name: 'a card without text', body: () => ({ boardId: workshop.boards[0]!.id }), status: 400, code: 'validation_failed' },
  { name: 'a card with empty text', body: () => ({ boardId: workshop.boards[0]!.id, text: ' ' }), status: 400, code: 'validation_failed' },
  { name: 'a card whose text is a number', body: () => ({ boardId: workshop.boards[0]!.id, text: 3 }), status: 400, code: 'validation_failed' },
  {
    name: `a card of ${LIMITS.cardText + 1} characters`,
    body: () => ({ boardId: workshop.boards[0]!.id, text: x(LIMITS.cardText + 1) }),
    status: 400,
    code: 'validation_failed'
  },
  { name: 'a card on an unknown board', body: { boardId: 'nosuchboard', text: 'Lost' }, status: 404, code: 'not_found' },
  { name: 'a card whose colour is a number', body: () => ({ boardId: workshop.boards[0]!.id, text: 'Hi', color: 9 }), status: 400, code: 'validation_failed' }
].map((row) => ({ ...row, method: 'POST', route: cards, headers: asParticipant }) as BadRequest);

const unknownThings: BadRequest[] = [
  { name: 'an unknown workshop id', method: 'GET', route: '/api/workshops/nosuchworkshop', headers: asFacilitator, status: 404, code: 'not_found' },
  { name: 'an unknown workshop id without a token', method: 'GET', route: '/api/workshops/nosuchworkshop', status: 404, code: 'not_found' },
  {
    name: 'a facilitator session for an unknown workshop',
    method: 'POST',
    route: '/api/workshops/nosuchworkshop/facilitator-session',
    headers: () => bearer(workshop.facilitatorKey),
    status: 404,
    code: 'not_found'
  },
  {
    name: 'the cards of an unknown workshop',
    method: 'GET',
    route: () => `/api/workshops/nosuchworkshop/rooms/${workshop.rooms[0]!.id}/cards`,
    headers: asFacilitator,
    status: 404,
    code: 'not_found'
  },
  {
    name: 'the cards of an unknown room',
    method: 'GET',
    route: () => `/api/workshops/${workshop.id}/rooms/nosuchroom/cards`,
    headers: asFacilitator,
    status: 404,
    code: 'not_found'
  },
  {
    name: 'a card added to an unknown room',
    method: 'POST',
    route: () => `/api/workshops/${workshop.id}/rooms/nosuchroom/cards`,
    body: () => ({ boardId: workshop.boards[0]!.id, text: 'Nowhere' }),
    headers: asFacilitator,
    status: 404,
    code: 'not_found'
  },
  { name: 'an unknown /api route', method: 'GET', route: '/api/nothing-here', status: 404, code: 'not_found' },
  { name: 'an unknown method on a known route', method: 'DELETE', route: '/api/workshops', status: 404, code: 'not_found' },
  { name: 'a POST to the health route', method: 'POST', route: '/api/health', body: {}, status: 404, code: 'not_found' },
  { name: 'the bare /api path', method: 'GET', route: '/api', status: 404, code: 'not_found' },
  { name: 'a path-traversal workshop id', method: 'GET', route: '/api/workshops/..%2F..%2Fetc', headers: asFacilitator, status: 404, code: 'not_found' },
  {
    name: 'a path-traversal workshop id for a facilitator session',
    method: 'POST',
    route: '/api/workshops/..%2F..%2Fsecret.key/facilitator-session',
    headers: () => bearer(workshop.facilitatorKey),
    status: 404,
    code: 'not_found'
  },
  {
    name: 'a path-traversal room id',
    method: 'GET',
    route: () => `/api/workshops/${workshop.id}/rooms/..%2F..%2F..%2Fetc%2Fpasswd/cards`,
    headers: asFacilitator,
    status: 404,
    code: 'not_found'
  },
  { name: 'a path-traversal join code', method: 'GET', route: '/api/join/..%2F..%2Fetc', status: 404, code: 'not_found' },
  { name: 'a workshop id with a NUL byte', method: 'GET', route: '/api/workshops/abc%00def', headers: asFacilitator, status: 404, code: 'not_found' },
  { name: 'a workshop id named __proto__', method: 'GET', route: '/api/workshops/__proto__', headers: asFacilitator, status: 404, code: 'not_found' },
  { name: 'a join code named constructor', method: 'GET', route: '/api/join/constructor', status: 404, code: 'not_found' },
  { name: 'a workshop id of 5000 characters', method: 'GET', route: `/api/workshops/${x(5000)}`, headers: asFacilitator, status: 404, code: 'not_found' },
  { name: 'a broken percent-encoding in the path', method: 'GET', route: '/api/workshops/%E0%A4%A', headers: asFacilitator, status: 400, code: 'bad_request' }
];

const authProblems: BadRequest[] = [
  { name: 'an Authorization header that is not Bearer', method: 'GET', route: () => `/api/workshops/${workshop.id}`, headers: { authorization: 'Basic dXNlcjpwYXNz' }, status: 401, code: 'unauthorized' },
  { name: 'a Bearer header with no token', method: 'GET', route: () => `/api/workshops/${workshop.id}`, headers: { authorization: 'Bearer ' }, status: 401, code: 'unauthorized' },
  { name: 'a token of 10 000 characters', method: 'GET', route: () => `/api/workshops/${workshop.id}`, headers: { authorization: `Bearer ${x(10_000)}.${x(43)}` }, status: 401, code: 'unauthorized' },
  {
    name: 'a participant token with its payload swapped for a facilitator one',
    method: 'GET',
    route: () => `/api/workshops/${workshop.id}`,
    headers: () => {
      const [, mac] = participant.token.split('.');
      const forged = Buffer.from(JSON.stringify({ v: 1, role: 'facilitator', workshopId: workshop.id, exp: 9_999_999_999 })).toString('base64url');
      return bearer(`${forged}.${mac}`);
    },
    status: 401,
    code: 'unauthorized'
  }
];

async function send(row: BadRequest) {
  return api(server.url, row.method, resolve(row.route), row.body === undefined ? undefined : resolve(row.body), row.headers ? resolve(row.headers) : {});
}

describe('bad input is answered with a 4xx JSON error, never a 500', () => {
  describe('bodies that are not a JSON object', () => {
    it.each(malformedBodies)('$name → $status', async (row) => {
      expectErrorBody(await send(row), row);
    });

    it('a deeply nested but valid JSON body is accepted, not crashed on', async () => {
      const body = `{"title":"Deep","extra":${x(5000, '[')}${x(5000, ']')}}`;
      const answer = await api(server.url, 'POST', '/api/workshops', body);
      expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    });
  });

  describe('workshops that break the rules', () => {
    it.each(invalidWorkshops)('$name → 400', async (row) => {
      expectErrorBody(await send(row), row);
    });
  });

  describe('joins that break the rules', () => {
    it.each(invalidJoins)('$name → $status', async (row) => {
      expectErrorBody(await send(row), row);
    });
  });

  describe('cards that break the rules', () => {
    it.each(invalidCards)('$name → $status', async (row) => {
      expectErrorBody(await send(row), row);
    });
  });

  describe('unknown and strange ids and routes', () => {
    it.each(unknownThings)('$name → $status', async (row) => {
      expectErrorBody(await send(row), row);
    });

    it('strange ids create no files anywhere in the data directory', async () => {
      const before = (await readdir(server.dataDir, { recursive: true })).sort();
      for (const row of unknownThings) await send(row);
      expect((await readdir(server.dataDir, { recursive: true })).sort()).toEqual(before);
    });
  });

  describe('credentials that are not credentials', () => {
    it.each(authProblems)('$name → $status', async (row) => {
      expectErrorBody(await send(row), row);
    });
  });

  it(`a body over the ${LIMITS.httpBodyBytes}-byte limit → 413 payload_too_large`, async () => {
    const body = JSON.stringify({ title: 'Big', padding: x(LIMITS.httpBodyBytes + 1) });
    expectErrorBody(await api(server.url, 'POST', '/api/workshops', body), { status: 413, code: 'payload_too_large' });
    expectErrorBody(await api(server.url, 'POST', cards(), JSON.stringify({ boardId: 'b', text: x(LIMITS.httpBodyBytes + 1) }), asParticipant()), {
      status: 413,
      code: 'payload_too_large'
    });
  });
});

describe('values at the limits are accepted', () => {
  it(`a title of exactly ${LIMITS.workshopTitle} characters is accepted and kept whole`, async () => {
    const title = x(LIMITS.workshopTitle, 't');
    const { status, body } = await api<CreateWorkshopResponse>(server.url, 'POST', '/api/workshops', { title });
    expect(status).toBe(201);
    expect(body.title).toBe(title);
  });

  it(`a name of exactly ${LIMITS.participantName} characters is accepted`, async () => {
    const name = x(LIMITS.participantName, 'n');
    const { status, body } = await api<JoinResponse>(server.url, 'POST', '/api/join', { code: workshop.joinCode, name });
    expect(status).toBe(200);
    const session = await api<CardView>(server.url, 'POST', `/api/workshops/${workshop.id}/rooms/${body.roomId}/cards`,
      { boardId: workshop.boards[0]!.id, text: 'Named' }, bearer(body.token));
    expect(session.body.authorName).toBe(name);
  });

  it(`a card of exactly ${LIMITS.cardText} characters is accepted and kept whole`, async () => {
    const text = x(LIMITS.cardText, 'c');
    const { status, body } = await api<CardView>(server.url, 'POST', cards(), { boardId: workshop.boards[0]!.id, text }, asParticipant());
    expect(status).toBe(201);
    expect(body.text).toBe(text);
  });

  it(`${LIMITS.roomsPerWorkshop} rooms and ${LIMITS.boardsPerWorkshop} boards are accepted`, async () => {
    const { status, body } = await api<CreateWorkshopResponse>(server.url, 'POST', '/api/workshops', {
      title: 'Big event',
      rooms: Array.from({ length: LIMITS.roomsPerWorkshop }, (_, i) => `Room ${i + 1}`),
      boards: Array.from({ length: LIMITS.boardsPerWorkshop }, (_, i) => ({ kind: `board-${i}`, title: `Board ${i + 1}` }))
    });
    expect(status).toBe(201);
    expect(body.rooms).toHaveLength(LIMITS.roomsPerWorkshop);
    expect(body.boards).toHaveLength(LIMITS.boardsPerWorkshop);
  });

  it('emoji and other scripts in titles, room names, boards, names and cards round-trip intact, also after a restart', async () => {
    const title = 'Gemeinsam 🌍 Café — 协作工作坊 · עברית · 👩🏽‍🤝‍👩🏻';
    const rooms = ['Nord 🧭', 'Süd', 'Κέντρο'];
    const boards = [{ kind: 'priorities', title: 'Prioritäten ⭐', prompt: 'Was zählt? 🤔 ¿Qué importa?' }];
    const created = await createWorkshop(server.url, { title, rooms, boards });
    expect(created.title).toBe(title);
    expect(created.rooms.map((room) => room.name)).toEqual(rooms);
    expect(created.boards[0]).toMatchObject(boards[0]!);

    const person = await joinRoom(server.url, created, 'Süd', 'Zoë 🦊');
    const cardText = 'Bürgerbus 🚌 für alle — 公共交通';
    const card = await api<CardView>(server.url, 'POST', `/api/workshops/${created.id}/rooms/${person.roomId}/cards`,
      { boardId: created.boards[0]!.id, text: cardText }, bearer(person.token));
    expect(card.body).toMatchObject({ text: cardText, authorName: 'Zoë 🦊' });

    const lookup = await api<{ title: string }>(server.url, 'GET', `/api/join/${created.joinCode}`);
    expect(lookup.body.title).toBe(title);

    await server.close();
    server = await newServer({ dataDir: server.dataDir });
    const token = await facilitatorToken(server.url, created);
    const reread = await api<WorkshopResponse>(server.url, 'GET', `/api/workshops/${created.id}`, undefined, bearer(token));
    expect(reread.body).toMatchObject({ title, rooms: created.rooms, boards: created.boards });
    const listed = await api<CardView[]>(server.url, 'GET', `/api/workshops/${created.id}/rooms/${person.roomId}/cards`, undefined, bearer(token));
    expect(listed.body.map((c) => [c.text, c.authorName])).toEqual([[cardText, 'Zoë 🦊']]);
    // The shared fixtures' tokens stay valid across the restart (the secret is kept in the data dir).
    facilitator = await facilitatorToken(server.url, workshop);
  });
});
