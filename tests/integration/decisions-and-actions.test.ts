import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CreateWorkshopResponse, JoinResponse, Outcome, OutcomeList } from '@goldthread/shared';
import { api, createWorkshop, facilitatorToken, joinRoom, newServer, type TestServer } from './support/server.js';
import { connected, controlClient, nextEvent, type ControlClient } from './support/control-client.js';
import { addCardOverHttp, command, controlView, dataOf, expectRefused, projectorToken, record } from './support/control-commands.js';
import { NOTES_FORMAT_NAMES, csvRecords, download, htmlDocument, readableText, type Download, type NotesFormatName } from './support/notes-files.js';

let server: TestServer;
let workshop: CreateWorkshopResponse;
let ada: JoinResponse;
let facilitator: ControlClient;
let projector: ControlClient;
let adaScreen: ControlClient;
const sockets: ControlClient[] = [];
const servers: TestServer[] = [];

const board = (index = 0) => workshop.boards[index]!.id;
const north = () => workshop.rooms[0]!.id;

async function open(url: string, token: string): Promise<ControlClient> {
  const socket = controlClient(url, { token }, ['websocket']);
  sockets.push(socket);
  await connected(socket);
  return socket;
}

async function screensOf(target: TestServer) {
  const session = await facilitatorToken(target.url, workshop);
  return {
    facilitator: await open(target.url, session),
    projector: await open(target.url, await projectorToken(target.url, workshop.id, session)),
    ada: await open(target.url, ada.token)
  };
}

const add = async (socket: ControlClient, payload: unknown) => dataOf<Outcome>(await command(socket, 'outcome:add', payload), 'outcome:add');
const listOf = async (socket: ControlClient) => (await controlView(socket)).outcomes;

beforeEach(async () => {
  server = await newServer();
  servers.push(server);
  workshop = await createWorkshop(server.url, { title: 'Outcomes' });
  ada = await joinRoom(server.url, workshop, 'North', 'Ada');
  ({ facilitator, projector, ada: adaScreen } = await screensOf(server));
});

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.disconnect();
  for (const each of servers.splice(0)) await each.close({ removeData: true });
});

describe('decisions and actions', () => {
  it('the facilitator records, updates and deletes them, and every screen receives each change live', async () => {
    const onAda = nextEvent(adaScreen, 'outcomes:list', ({ outcomes }) => outcomes.length === 2, 5000, 'two outcomes on Ada’s screen');
    const onProjector = nextEvent(projector, 'outcomes:list', ({ outcomes }) => outcomes.length === 2, 5000, 'two outcomes on the projector');
    const decision = await add(facilitator, { kind: 'decision', text: 'Transport is the first priority' });
    const action = await add(facilitator, { kind: 'action', text: 'Ask the bus company for data', owner: 'Leeds City Council', dueDate: '2027-01-31' });
    expect(decision).toMatchObject({ kind: 'decision', text: 'Transport is the first priority', link: null });
    expect(decision).not.toHaveProperty('status');
    expect(action).toMatchObject({ kind: 'action', owner: 'Leeds City Council', dueDate: '2027-01-31', status: 'open' });
    const [[seenByAda], [seenByProjector]] = await Promise.all([onAda, onProjector]);
    expect(seenByAda.outcomes).toEqual([decision, action]);
    expect(seenByProjector).toEqual(seenByAda);

    const done = nextEvent(adaScreen, 'outcomes:list', ({ outcomes }) => outcomes.some((o) => o.status === 'done'));
    const updated = dataOf<Outcome>(await command(facilitator, 'outcome:update', { id: action.id, status: 'done', owner: 'Housing team' }));
    expect(updated).toMatchObject({ id: action.id, status: 'done', owner: 'Housing team', dueDate: '2027-01-31' });
    expect((await done)[0].outcomes[1]).toEqual(updated);

    const cleared = dataOf<Outcome>(await command(facilitator, 'outcome:update', { id: action.id, dueDate: null }));
    expect(cleared).not.toHaveProperty('dueDate');

    const gone = nextEvent(adaScreen, 'outcomes:list', ({ outcomes }) => outcomes.length === 1);
    expect(dataOf(await command(facilitator, 'outcome:remove', { id: decision.id }))).toEqual({ id: decision.id });
    expect((await gone)[0].outcomes.map((o) => o.id)).toEqual([action.id]);
    expect(await listOf(adaScreen)).toEqual((await gone)[0].outcomes);
  });

  it('participants and the projector cannot record, change or delete them', async () => {
    const action = await add(facilitator, { kind: 'action', text: 'Book the next venue' });
    for (const socket of [adaScreen, projector]) {
      expectRefused(await command(socket, 'outcome:add', { kind: 'decision', text: 'We all agree' }), 'forbidden');
      expectRefused(await command(socket, 'outcome:update', { id: action.id, status: 'dropped' }), 'forbidden');
      expectRefused(await command(socket, 'outcome:remove', { id: action.id }), 'forbidden');
    }
    expect(await listOf(facilitator)).toEqual([action]);
  });

  it('bad input is refused with a clear error and changes nothing', async () => {
    const action = await add(facilitator, { kind: 'action', text: 'Map the bus routes' });
    const other = await createWorkshop(server.url, { title: 'Another workshop' });
    const otherMember = await joinRoom(server.url, other, 'North', 'Bea');
    const foreignCard = await addCardOverHttp(server.url, other.id, other.rooms[0]!.id, otherMember.token, other.boards[0]!.id, 'Not yours');
    const heard = record<OutcomeList>(adaScreen, 'outcomes:list');
    const cases: { name: string; payload: unknown; code: 'validation_failed' | 'not_found'; says: RegExp }[] = [
      { name: 'outcome:add', payload: { kind: 'action', text: 'x', dueDate: '31/01/2027' }, code: 'validation_failed', says: /dueDate: must be a date written YYYY-MM-DD/ },
      { name: 'outcome:add', payload: { kind: 'action', text: 'x', dueDate: '2027-02-30' }, code: 'validation_failed', says: /dueDate/ },
      { name: 'outcome:add', payload: { kind: 'action', text: 'x', owner: 'o'.repeat(10_000) }, code: 'validation_failed', says: /owner: must be at most 120 characters/ },
      { name: 'outcome:add', payload: { kind: 'action', text: 'x', status: 'finished' }, code: 'validation_failed', says: /status: must be one of open, done, dropped/ },
      { name: 'outcome:add', payload: { kind: 'action', text: '   ' }, code: 'validation_failed', says: /text: must not be empty/ },
      { name: 'outcome:add', payload: { kind: 'promise', text: 'x' }, code: 'validation_failed', says: /kind/ },
      { name: 'outcome:add', payload: { kind: 'decision', text: 'x', owner: 'Ada' }, code: 'validation_failed', says: /A decision has no owner/ },
      {
        name: 'outcome:add',
        payload: { kind: 'action', text: 'x', link: { roomId: north(), cardId: foreignCard.id } },
        code: 'not_found',
        says: /That card is not in this room/
      },
      {
        name: 'outcome:add',
        payload: { kind: 'action', text: 'x', link: { roomId: other.rooms[0]!.id, cardId: foreignCard.id } },
        code: 'not_found',
        says: /That room is not part of this workshop/
      },
      { name: 'outcome:add', payload: { kind: 'action', text: 'x', link: { roomId: north(), boardId: other.boards[0]!.id } }, code: 'not_found', says: /board/ },
      { name: 'outcome:update', payload: { id: action.id, status: 'closed' }, code: 'validation_failed', says: /status/ },
      { name: 'outcome:update', payload: { id: action.id, dueDate: 'next week' }, code: 'validation_failed', says: /dueDate/ },
      { name: 'outcome:update', payload: { id: 'no-such-outcome', status: 'done' }, code: 'not_found', says: /No decision or action/ }
    ];
    for (const { name, payload, code, says } of cases) {
      const reply = await command(facilitator, name, payload);
      expectRefused(reply, code, `${name} ${JSON.stringify(payload).slice(0, 80)}`);
      expect((reply as { error: { message: string } }).error.message).toMatch(says);
    }
    dataOf(await command(adaScreen, 'session:get', {}));
    expect(heard).toEqual([]);
    expect(await listOf(facilitator)).toEqual([action]);
  });

  it('an action linked to a card takes the card’s board and text; one linked to a theme its name', async () => {
    const card = await addCardOverHttp(server.url, workshop.id, north(), ada.token, board(2), 'No step-free access at the station');
    const action = await add(facilitator, { kind: 'action', text: 'Raise it with the rail operator', owner: 'Ada', link: { roomId: north(), cardId: card.id } });
    expect(action.link).toEqual({ roomId: north(), cardId: card.id, boardId: board(2), label: 'No step-free access at the station' });
    expectRefused(await command(facilitator, 'outcome:add', { kind: 'action', text: 'x', link: { roomId: north(), boardId: board(0), cardId: card.id } }), 'not_found');
    const onBoard = await add(facilitator, { kind: 'decision', text: 'Barriers come first next time', link: { roomId: north(), boardId: board(2) } });
    expect(onBoard.link).toEqual({ roomId: north(), boardId: board(2) });
    const everywhere = await add(facilitator, { kind: 'action', text: 'Summarise the Barriers board for partners', link: { boardId: board(2) } });
    expect(everywhere.link).toEqual({ boardId: board(2) });
    const plenary = await add(facilitator, { kind: 'decision', text: 'Agreed by all rooms', link: { roomId: 'plenary', boardId: board(0) } });
    expect(plenary.link).toEqual({ roomId: 'plenary', boardId: board(0) });
    expectRefused(await command(facilitator, 'outcome:add', { kind: 'action', text: 'x', link: { cardId: card.id } }), 'validation_failed');
  });

  it('they survive a restart of the server', async () => {
    const action = await add(facilitator, { kind: 'action', text: 'Share the notes with partners', owner: 'Facilitator', dueDate: '2027-03-01' });
    const updated = dataOf<Outcome>(await command(facilitator, 'outcome:update', { id: action.id, status: 'done' }));
    for (const socket of sockets.splice(0)) socket.disconnect();
    await server.close();
    servers.splice(servers.indexOf(server), 1);
    const restarted = await newServer({ dataDir: server.dataDir });
    servers.push(restarted);
    const screens = await screensOf(restarted);
    expect(await listOf(screens.ada)).toEqual([updated]);
  });
});

describe('carrying open actions forward from an earlier workshop', () => {
  it('brings in only the open actions, once, and needs the earlier workshop’s facilitator key', async () => {
    const next = await createWorkshop(server.url, { title: 'Outcomes, part two' });
    const nextFacilitator = await open(server.url, await facilitatorToken(server.url, next));
    const open1 = await add(facilitator, { kind: 'action', text: 'Count the bus users', owner: 'Transport team', dueDate: '2027-02-01' });
    const finished = await add(facilitator, { kind: 'action', text: 'Book the hall' });
    dataOf(await command(facilitator, 'outcome:update', { id: finished.id, status: 'done' }));
    await add(facilitator, { kind: 'decision', text: 'Meet monthly' });

    expectRefused(await command(nextFacilitator, 'outcome:carry', { workshopId: workshop.id, facilitatorKey: next.facilitatorKey }), 'forbidden');
    expectRefused(await command(nextFacilitator, 'outcome:carry', { workshopId: 'no-such-workshop', facilitatorKey: 'x' }), 'not_found');
    expectRefused(await command(nextFacilitator, 'outcome:carry', { workshopId: next.id, facilitatorKey: next.facilitatorKey }), 'validation_failed');

    const reply = dataOf<{ carried: number; outcomes: Outcome[] }>(
      await command(nextFacilitator, 'outcome:carry', { workshopId: workshop.id, facilitatorKey: workshop.facilitatorKey })
    );
    expect(reply.carried).toBe(1);
    expect(reply.outcomes).toEqual([
      expect.objectContaining({
        kind: 'action',
        text: 'Count the bus users',
        owner: 'Transport team',
        dueDate: '2027-02-01',
        status: 'open',
        link: null,
        carriedFrom: { workshopId: workshop.id, workshopTitle: 'Outcomes', outcomeId: open1.id }
      })
    ]);
    const again = dataOf<{ carried: number }>(await command(nextFacilitator, 'outcome:carry', { workshopId: workshop.id, facilitatorKey: workshop.facilitatorKey }));
    expect(again.carried).toBe(0);
    expect(await listOf(nextFacilitator)).toHaveLength(1);
  });
});

/** What a reader of each format sees of the decisions and actions: the rendered text, the CSV rows, the JSON record. */
function outcomesText(format: NotesFormatName, file: Download): string {
  if (format === 'csv') return csvRecords(file.text).map((row) => row.join(' ')).join(' ');
  if (format === 'html') {
    // Table cells are read one by one, as a screen reader does.
    const rows = [...htmlDocument(file.text).querySelectorAll('h2, tr')];
    return rows.map((row) => (row.tagName === 'TR' ? [...row.children].map((cell) => cell.textContent).join(' ') : row.textContent)).join(' ');
  }
  if (format === 'json') return JSON.stringify((file.json as { workshops: { actions?: unknown }[] }).workshops.map((w) => w.actions));
  return readableText(format, file);
}

describe('decisions and actions in the notes', () => {
  it('every format shows the decisions, and the actions with their owners, due dates and statuses', async () => {
    const card = await addCardOverHttp(server.url, workshop.id, north(), ada.token, board(2), 'Buses stop at six');
    await add(facilitator, { kind: 'decision', text: 'Evening transport is the top barrier' });
    await add(facilitator, { kind: 'action', text: 'Ask the operator about late buses', owner: 'Transport team', dueDate: '2027-01-31', link: { roomId: north(), cardId: card.id } });
    const expected: Record<NotesFormatName, string[]> = {
      md: ['Decisions', 'Evening transport is the top barrier', 'Ask the operator about late buses Transport team 31 January 2027 Open North Buses stop at six'],
      html: ['Decisions', 'Evening transport is the top barrier', 'Ask the operator about late buses Transport team 31 January 2027 Open North Buses stop at six'],
      docx: ['Decisions', 'Evening transport is the top barrier', 'Ask the operator about late buses Transport team 31 January 2027 Open North Buses stop at six'],
      csv: ['Whole workshop Evening transport is the top barrier decision', 'North Barriers Buses stop at six Ask the operator about late buses action Transport team 2027-01-31 Open'],
      json: ['"kind":"decision","text":"Evening transport is the top barrier"', '"owner":"Transport team","dueDate":"2027-01-31","status":"open"', `"cardId":"${card.id}"`]
    };
    for (const format of NOTES_FORMAT_NAMES) {
      const file = await download(server.url, `/api/workshops/${workshop.id}/notes.${format}`, workshop.facilitatorKey);
      expect(file.status, format).toBe(200);
      const text = outcomesText(format, file).replace(/\s+/g, ' ');
      for (const part of expected[format]) expect(text, format).toContain(part);
    }
  });

  it('an action carried forward and marked done in the next workshop shows as done in the series notes', async () => {
    const bus = await add(facilitator, { kind: 'action', text: 'Count the evening bus users', owner: 'Transport team', dueDate: '2027-02-01' });
    const next = await createWorkshop(server.url, { title: 'Outcomes, part two' });
    const nextSession = await facilitatorToken(server.url, next);
    const nextFacilitator = await open(server.url, nextSession);
    const carried = dataOf<{ outcomes: Outcome[] }>(
      await command(nextFacilitator, 'outcome:carry', { workshopId: workshop.id, facilitatorKey: workshop.facilitatorKey })
    ).outcomes[0]!;
    dataOf(await command(nextFacilitator, 'outcome:update', { id: carried.id, status: 'done' }));

    const alone = await download(server.url, `/api/workshops/${next.id}/notes.md`, next.facilitatorKey);
    expect(readableText('md', alone)).toContain('Count the evening bus users Transport team 1 February 2027 Done Whole workshop Carried forward from Outcomes');

    const series = await download(server.url, `/api/notes.md?workshops=${workshop.id},${next.id}`, `${workshop.facilitatorKey},${next.facilitatorKey}`);
    expect(series.status).toBe(200);
    const text = readableText('md', series);
    expect(text).toContain('Count the evening bus users Transport team 1 February 2027 Done (reviewed in Outcomes, part two) Outcomes');
    expect(text.split('Count the evening bus users')).toHaveLength(2);
    // The earlier workshop's own record is unchanged: it was open when that workshop ended.
    expect((await listOf(facilitator)).find((o) => o.id === bus.id)?.status).toBe('open');
  });
});

// Keeps the HTTP helper in use.
void api;
