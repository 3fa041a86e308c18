import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreateWorkshopResponse, FacilitatorWorkshopView, JoinLookupResponse, WorkshopView } from '@goldthread/shared';
import { api, createWorkshop, facilitatorToken, joinRoom, newServer, type TestServer } from './support/server.js';
import { projectorToken } from './support/control-commands.js';
import { expectErrorBody } from './support/error-bodies.js';
import { londonDate } from './support/notes-workshop.js';

let server: TestServer;

beforeAll(async () => {
  server = await newServer();
});

afterAll(async () => {
  await server?.close({ removeData: true });
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const workshopRoute = (id: string) => `/api/workshops/${id}`;

const DETAILS = {
  date: '2027-03-11',
  startTime: '10:00',
  endTime: '12:30',
  venue: 'Riverside Community Centre, Hall 2',
  facilitators: ['Sam Lee', 'Jo Marsh'],
  purpose: 'Agree three shared priorities for the health and housing partnership.',
  partners: ['Riverside Council', 'NHS Riverside', 'Riverside Voluntary Action'],
  links: [{ title: 'Housing needs slides', url: 'https://example.org/slides.pdf' }]
};

async function getAs(workshopId: string, token: string) {
  return api<WorkshopView | FacilitatorWorkshopView>(server.url, 'GET', workshopRoute(workshopId), undefined, bearer(token));
}

describe('workshop details and attribution on creation', () => {
  it('keeps the date, time, venue, facilitators, purpose, partners, links and attribution it is given, and GET returns them', async () => {
    const created = await createWorkshop(server.url, { title: 'Spring partnership day', ...DETAILS, attribution: 'anonymous' });
    expect(created.details).toEqual(DETAILS);
    expect(created.attribution).toBe('anonymous');

    const facilitator = await getAs(created.id, await facilitatorToken(server.url, created));
    expect(facilitator.body).toMatchObject({ details: DETAILS, attribution: 'anonymous' });
    const person = await joinRoom(server.url, created, 'North', 'Nadia');
    const participant = await getAs(created.id, person.token);
    expect(participant.status).toBe(200);
    expect(participant.body).toMatchObject({ details: DETAILS, attribution: 'anonymous' });
  });

  it('dates a workshop created without a date today (London), with the default attribution "organisation"', async () => {
    const before = londonDate(Date.now());
    const created = await createWorkshop(server.url, { title: 'Today' });
    expect([before, londonDate(Date.now())]).toContain(created.details.date);
    expect(created.details).toEqual({ date: created.details.date });
    expect(created.attribution).toBe('organisation');
  });

  it('lets a room have its own date, venue and host', async () => {
    const created = await createWorkshop(server.url, {
      title: 'Three Thursdays',
      date: '2027-01-07',
      rooms: [
        { name: 'North', date: '2027-01-07', venue: 'North Library', host: 'Amir Khan' },
        { name: 'Central', date: '2027-01-14', venue: 'Town Hall' },
        'South'
      ]
    });
    expect(created.rooms.map(({ name, details }) => ({ name, details }))).toEqual([
      { name: 'North', details: { date: '2027-01-07', venue: 'North Library', host: 'Amir Khan' } },
      { name: 'Central', details: { date: '2027-01-14', venue: 'Town Hall' } },
      { name: 'South', details: undefined }
    ]);
  });

  it('refuses a date that is not a date, a javascript: link and an unknown attribution with 400, and creates nothing', async () => {
    for (const bad of [
      { date: '2027-02-30' },
      { date: 'next Thursday' },
      { links: [{ title: 'Slides', url: 'javascript:alert(1)' }] },
      { links: [{ title: 'Slides', url: '/relative/path' }] },
      { attribution: 'everyone' },
      { startTime: '25:00' },
      { venue: 'x'.repeat(10_000) }
    ]) {
      const answer = await api(server.url, 'POST', '/api/workshops', { title: 'Bad details', ...bad });
      expectErrorBody(answer, { status: 400, code: 'validation_failed' });
    }
  });
});

describe('PATCH /api/workshops/:id', () => {
  let workshop: CreateWorkshopResponse;
  let token: string;

  beforeAll(async () => {
    workshop = await createWorkshop(server.url, { title: 'To be edited', ...DETAILS });
    token = await facilitatorToken(server.url, workshop);
  });

  const patch = (body: unknown, credential = token) => api<FacilitatorWorkshopView>(server.url, 'PATCH', workshopRoute(workshop.id), body, bearer(credential));

  it('changes only the fields given, clears a blank one, sets rooms’ own details, and GET shows the change', async () => {
    const north = workshop.rooms[0]!;
    const answer = await patch({
      venue: 'Town Hall, Committee Room 1',
      purpose: '',
      partners: ['Riverside Council'],
      rooms: [{ id: north.id, date: '2027-03-18', host: 'Amir Khan' }]
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    const { purpose: _purpose, ...unchanged } = DETAILS;
    const expected = { ...unchanged, venue: 'Town Hall, Committee Room 1', partners: ['Riverside Council'] };
    expect(answer.body.details).toEqual(expected);
    const got = await getAs(workshop.id, token);
    expect(got.body.details).toEqual(expected);
    expect(got.body.rooms[0]).toEqual({ id: north.id, name: north.name, details: { date: '2027-03-18', host: 'Amir Khan' } });
    expect(got.body.rooms[1]).toEqual(workshop.rooms[1]);
  });

  it('changes the attribution level', async () => {
    const answer = await patch({ attribution: 'named' });
    expect(answer.status).toBe(200);
    expect((await getAs(workshop.id, token)).body.attribution).toBe('named');
    expect((await patch({ attribution: 'organisation' })).body.attribution).toBe('organisation');
  });

  it.each([
    ['a date that is not a date', { date: '2027-13-01' }],
    ['a venue of 10,000 characters', { venue: 'v'.repeat(10_000) }],
    ['a javascript: link', { links: [{ title: 'Slides', url: 'javascript:alert(document.cookie)' }] }],
    ['a data: link', { links: [{ title: 'Slides', url: 'data:text/html,<script>alert(1)</script>' }] }],
    ['facilitators that are not a list', { facilitators: 'Sam Lee' }],
    ['an unknown attribution level', { attribution: 'public' }],
    ['a room of another workshop', { rooms: [{ id: 'not-a-room', venue: 'Elsewhere' }] }],
    ['a good venue beside a bad date', { venue: 'Changed venue', date: 'soon' }]
  ])('refuses %s with a JSON error and changes nothing', async (_what, body) => {
    const before = (await getAs(workshop.id, token)).body;
    const answer = await patch(body);
    expectErrorBody(answer, { status: 'rooms' in body ? 404 : 400, code: 'rooms' in body ? 'not_found' : 'validation_failed' });
    expect((await getAs(workshop.id, token)).body).toEqual(before);
  });

  it('refuses a body that is not an object', async () => {
    expectErrorBody(await patch('[1,2]'), { status: 400, code: ['validation_failed', 'invalid_json', 'bad_request'] });
  });

  it('is for the facilitator only: a participant and the projector get 403, no token 401, and nothing changes', async () => {
    const before = (await getAs(workshop.id, token)).body;
    const person = await joinRoom(server.url, workshop, 'South', 'Priya');
    expectErrorBody(await patch({ venue: 'Hijacked' }, person.token), { status: 403, code: 'forbidden' });
    const projector = await projectorToken(server.url, workshop.id, token);
    expectErrorBody(await patch({ attribution: 'named' }, projector), { status: 403, code: 'forbidden' });
    const anonymous = await api(server.url, 'PATCH', workshopRoute(workshop.id), { venue: 'Hijacked' });
    expectErrorBody(anonymous, { status: 401, code: 'unauthorized' });
    expect((await getAs(workshop.id, token)).body).toEqual(before);
  });
});

describe('GET /api/join/:code before joining', () => {
  it('gives the date, time, venue and what will be recorded: the attribution level and the day the record is kept until', async () => {
    const workshop = await createWorkshop(server.url, { title: 'Join lookup', ...DETAILS, attribution: 'named' });
    const { status, body } = await api<JoinLookupResponse>(server.url, 'GET', `/api/join/${workshop.joinCode}`);
    expect(status).toBe(200);
    expect(body.details).toEqual({ date: DETAILS.date, startTime: '10:00', endTime: '12:30', venue: DETAILS.venue });
    // 365 days after 11 March 2027 (the configured default).
    expect(body.privacy).toEqual({ attribution: 'named', keptUntil: '2028-03-10' });
    expect(JSON.stringify(body)).not.toContain('Sam Lee');
  });
});

describe('workshop files written before details existed', () => {
  it('still load: the date is the London date of creation and attribution is the default', async () => {
    const own = await newServer();
    try {
      const workshop = await createWorkshop(own.url, { title: 'Old file', ...DETAILS });
      await own.close();
      const file = path.join(own.dataDir, 'workshops', `${workshop.id}.json`);
      const data = JSON.parse(await readFile(file, 'utf8')) as { workshop: Record<string, unknown> };
      expect(data.workshop.details).toBeDefined();
      delete data.workshop.details;
      delete data.workshop.attribution;
      delete data.workshop.attributionHistory;
      await writeFile(file, JSON.stringify(data));

      const again = await newServer({ dataDir: own.dataDir });
      try {
        const token = await facilitatorToken(again.url, workshop);
        const { status, body } = await api<FacilitatorWorkshopView>(again.url, 'GET', workshopRoute(workshop.id), undefined, bearer(token));
        expect(status).toBe(200);
        expect(body.details).toEqual({ date: londonDate(body.createdAt) });
        expect(body.attribution).toBe('organisation');
        const edited = await api<FacilitatorWorkshopView>(again.url, 'PATCH', workshopRoute(workshop.id), { venue: 'Now recorded' }, bearer(token));
        expect(edited.body.details).toEqual({ date: londonDate(body.createdAt), venue: 'Now recorded' });
      } finally {
        await again.close();
      }
    } finally {
      await own.close({ removeData: true }).catch(() => undefined);
    }
  });
});
