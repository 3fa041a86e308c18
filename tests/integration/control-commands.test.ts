import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  PLENARY_ROOM_ID,
  addCard,
  addTheme,
  commandSchemas,
  isErrorBody,
  readCards,
  readThemes,
  voteKey,
  type CommandName,
  type ControlState,
  type CreateWorkshopResponse,
  type DoneCounts,
  type ErrorCode,
  type JoinResponse,
  type MyVotes,
  type SessionInfo,
  type VoteResults
} from '@goldthread/shared';
import { api, createWorkshop, facilitatorToken, joinRoom, newServer, type TestServer } from './support/server.js';
import { connectProvider, waitForDoc, within, type ProviderClient } from './support/yjs-clients.js';
import { connected, controlClient, nextEvent, type ControlClient } from './support/control-client.js';
import {
  addCardOverHttp,
  command,
  contentOf,
  controlView,
  dataOf,
  expectHealthy,
  expectRefused,
  projectorToken,
  record,
  WHO_MAY
} from './support/control-commands.js';

let server: TestServer;
let workshop: CreateWorkshopResponse;
let ada: JoinResponse;
let cai: JoinResponse;
let tokens: { facilitator: string; projector: string };
/** The facilitator's, the projector's and two participants' screens (Ada in North, Cai in Central). */
let facilitator: ControlClient;
let projector: ControlClient;
let adaScreen: ControlClient;
let caiScreen: ControlClient;
const sockets: ControlClient[] = [];
const providers: ProviderClient[] = [];

const board = (index = 0) => workshop.boards[index]!.id;
const north = () => workshop.rooms[0]!.id;
const central = () => workshop.rooms[1]!.id;

function open(token: string): ControlClient {
  const socket = controlClient(server.url, { token }, ['websocket']);
  sockets.push(socket);
  return socket;
}

async function connectScreens() {
  [facilitator, projector, adaScreen, caiScreen] = [tokens.facilitator, tokens.projector, ada.token, cai.token].map(open) as [
    ControlClient,
    ControlClient,
    ControlClient,
    ControlClient
  ];
  await Promise.all([facilitator, projector, adaScreen, caiScreen].map((socket) => connected(socket)));
}

beforeEach(async () => {
  server = await newServer();
  workshop = await createWorkshop(server.url, { title: 'Control commands' });
  [ada, cai] = [await joinRoom(server.url, workshop, 'North', 'Ada'), await joinRoom(server.url, workshop, 'Central', 'Cai')];
  const facilitatorSession = await facilitatorToken(server.url, workshop);
  tokens = { facilitator: facilitatorSession, projector: await projectorToken(server.url, workshop.id, facilitatorSession) };
  await connectScreens();
});

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.disconnect();
  for (const client of providers.splice(0)) client.destroy();
  await server.close({ removeData: true });
});

/** A facilitator command that must succeed; returns the new state. */
async function steer(name: CommandName, payload: unknown): Promise<ControlState> {
  return dataOf<ControlState>(await command(facilitator, name, payload), name);
}

/** A card added over HTTP by Ada (North) or Cai (Central). */
async function cardOf(person: JoinResponse, text: string, boardIndex = 0): Promise<string> {
  const card = await addCardOverHttp(server.url, workshop.id, person.roomId, person.token, board(boardIndex), text);
  return card.id;
}

/** Everything any screen can see of the control state: the facilitator's view and each participant's. */
async function everything() {
  return { facilitator: await controlView(facilitator), ada: await controlView(adaScreen), cai: await controlView(caiScreen) };
}

/**
 * Runs a command that must succeed and change the state; every other screen must receive the
 * `control:state` it produced (revision + 1). Returns the ack's data and the broadcast state.
 */
async function changesForEveryone<T = ControlState>(actor: ControlClient, name: CommandName, payload: unknown) {
  const before = (await controlView(facilitator)).state.revision;
  const others = [facilitator, projector, adaScreen, caiScreen].filter((socket) => socket !== actor);
  const heard = others.map((socket) =>
    nextEvent(socket, 'control:state', (state) => state.revision === before + 1, 5000, `control:state after ${name}`)
  );
  const data = dataOf<T>(await command(actor, name, payload), name);
  const states = (await Promise.all(heard)).map(([state]) => contentOf(state));
  for (const state of states) expect(state).toEqual(states[0]);
  return { data, state: states[0]! };
}

/** Sends commands that must all be refused, then checks nothing changed, nobody heard of a change, and the server is fine. */
async function refusedWithoutChange(
  cases: { actor: ControlClient; name: string; payload: unknown; code: ErrorCode | readonly ErrorCode[]; what?: string }[]
) {
  const before = await everything();
  const broadcasts = record<ControlState>(projector, 'control:state');
  for (const { actor, name, payload, code, what } of cases) {
    expectRefused(await command(actor, name, payload), code, `${name} with ${what ?? JSON.stringify(payload)?.slice(0, 120)}`);
  }
  // A round trip on the projector after the last command: any broadcast it caused has arrived by now.
  dataOf(await command(projector, 'session:get', {}));
  expect(broadcasts).toEqual([]);
  expect(await everything()).toEqual(before);
  await expectHealthy(server.url);
}

/** A well-formed payload for every command, so a refusal can only be about who sent it. */
function validPayload(name: CommandName): unknown {
  const card = { boardId: board(), roomId: north(), cardId: 'card-1' };
  const payloads: Record<CommandName, unknown> = {
    'session:get': {},
    'control:get': {},
    'phase:set': { boardId: board(), phase: 'vote' },
    'board:private': { boardId: board(), private: true },
    'board:reveal': { boardId: board() },
    'board:lock': { boardId: board(), locked: true },
    'board:focus': { boardId: board() },
    'spotlight:set': { spotlight: { kind: 'card', roomId: north(), cardId: 'card-1' } },
    'timer:set': { durationMs: 60_000 },
    'timer:start': {},
    'timer:pause': {},
    'timer:add': { ms: 60_000 },
    'vote:configure': { budget: 5, perCardCap: 2, hideUntilShown: false },
    'vote:cast': card,
    'vote:retract': card,
    'vote:results': { boardId: board(), shown: true },
    'joining:set': { open: false },
    'notes:share': { shared: true },
    'plenary:combine': { boardId: board() },
    'themes:compare': { boardId: board() },
    'participant:done': { boardId: board(), done: true },
    'outcome:add': { kind: 'action', text: 'Write to the council', owner: 'Ada' },
    'outcome:update': { id: 'outcome-1', status: 'done' },
    'outcome:remove': { id: 'outcome-1' },
    'outcome:carry': { workshopId: 'earlier-workshop', facilitatorKey: 'key' }
  };
  return payloads[name];
}

const COMMANDS = Object.keys(commandSchemas) as CommandName[];
/** Commands the participants send (votes, also the facilitator on behalf of someone without a device). */
const PARTICIPANT_ONLY = COMMANDS.filter((name) => WHO_MAY[name] === 'participant' || WHO_MAY[name] === 'voter');
const ANYONE = COMMANDS.filter((name) => WHO_MAY[name] === 'anyone');
const FACILITATOR_ONLY = COMMANDS.filter((name) => WHO_MAY[name] === 'facilitator');

describe('every command, used as intended: its reply, and the new state on every other screen', () => {
  it('session:get tells each screen who it is', async () => {
    const roles = await Promise.all(
      [facilitator, projector, adaScreen].map(async (socket) => dataOf<SessionInfo>(await command(socket, 'session:get', {})).identity)
    );
    expect(roles).toEqual([
      { role: 'facilitator', workshopId: workshop.id },
      { role: 'projector', workshopId: workshop.id },
      { role: 'participant', workshopId: workshop.id, roomId: north(), participantId: ada.participantId, name: 'Ada' }
    ]);
  });

  it('control:get gives every screen the same state; dots only to participants, hidden results only to the facilitator', async () => {
    const [mine, big, steering] = [await controlView(adaScreen), await controlView(projector), await controlView(facilitator)];
    expect(mine.state).toEqual(steering.state);
    expect(big.state).toEqual(steering.state);
    expect(steering.state).toMatchObject({
      workshopId: workshop.id,
      revision: 0,
      focusBoardId: null,
      spotlight: null,
      joiningOpen: true,
      voting: { budget: 3, perCardCap: null, hideUntilShown: true },
      timer: { running: false, endsAt: null, endedCount: 0 }
    });
    expect(steering.state.boards.map((b) => b.boardId)).toEqual(workshop.boards.map((b) => b.id));
    expect(steering.state.boards.every((b) => b.phase === 'setup' && !b.private && !b.locked && !b.resultsShown)).toBe(true);
    expect(mine.myVotes).toEqual(workshop.boards.map((b) => ({ boardId: b.id, budget: 3, used: 0, left: 3, cards: {} })));
    expect([big.myVotes, steering.myVotes]).toEqual([[], []]);
    expect(steering.results).toEqual(workshop.boards.map((b) => ({ boardId: b.id, tallies: [] })));
    expect([mine.results, big.results]).toEqual([[], []]);
  });

  it('phase:set moves one board to the phase', async () => {
    const { data, state } = await changesForEveryone(facilitator, 'phase:set', { boardId: board(1), phase: 'brainstorm' });
    expect(contentOf(data)).toEqual(state);
    expect(state.revision).toBe(1);
    expect(state.boards.map((b) => b.phase)).toEqual(['setup', 'brainstorm', 'setup']);
  });

  it('board:private makes a board private and board:reveal publishes it', async () => {
    const made = await changesForEveryone(facilitator, 'board:private', { boardId: board(), private: true });
    expect(made.state.boards[0]).toMatchObject({ private: true, revealed: false });
    const revealed = await changesForEveryone(facilitator, 'board:reveal', { boardId: board() });
    expect(revealed.state.boards[0]).toMatchObject({ private: true, revealed: true });
    expect(contentOf(revealed.data)).toEqual(revealed.state);
  });

  it('board:lock locks and unlocks one board', async () => {
    const locked = await changesForEveryone(facilitator, 'board:lock', { boardId: board(2), locked: true });
    expect(locked.state.boards.map((b) => b.locked)).toEqual([false, false, true]);
    const unlocked = await changesForEveryone(facilitator, 'board:lock', { boardId: board(2), locked: false });
    expect(unlocked.state.boards.map((b) => b.locked)).toEqual([false, false, false]);
  });

  it('board:focus brings everyone to a board, and null lets them go', async () => {
    expect((await changesForEveryone(facilitator, 'board:focus', { boardId: board(1) })).state.focusBoardId).toBe(board(1));
    expect((await changesForEveryone(facilitator, 'board:focus', { boardId: null })).state.focusBoardId).toBeNull();
  });

  it('spotlight:set puts a card in the spotlight, and null clears it', async () => {
    const cardId = await cardOf(cai, 'Shared transport');
    const spotlight = { kind: 'card', roomId: central(), cardId };
    // The server adds the card's text, so every room can show it.
    expect((await changesForEveryone(facilitator, 'spotlight:set', { spotlight })).state.spotlight).toEqual({ ...spotlight, text: 'Shared transport' });
    expect((await changesForEveryone(facilitator, 'spotlight:set', { spotlight: null })).state.spotlight).toBeNull();
  });

  it('timer:set sets a stopped countdown of that length', async () => {
    const { state } = await changesForEveryone(facilitator, 'timer:set', { durationMs: 120_000 });
    expect(state.timer).toEqual({ durationMs: 120_000, running: false, endsAt: null, remainingMs: 120_000, endedCount: 0 });
  });

  it('timer:start, timer:pause and timer:add keep endsAt - serverTime equal to what is left', async () => {
    // Both stamps come from the server clock within one command, so only the handler's own run time separates them.
    const tolerance = 250;
    await steer('timer:set', { durationMs: 600_000 });

    const started = await changesForEveryone(facilitator, 'timer:start', {});
    const startedAt = started.data.serverTime;
    const endsAt = started.state.timer.endsAt!;
    expect(started.state.timer.running).toBe(true);
    expect(Math.abs(endsAt - startedAt - 600_000)).toBeLessThanOrEqual(tolerance);

    const added = await changesForEveryone(facilitator, 'timer:add', { ms: 60_000 });
    expect(added.state.timer).toMatchObject({ running: true, endsAt: endsAt + 60_000, durationMs: 660_000 });

    const paused = await changesForEveryone(facilitator, 'timer:pause', {});
    const left = paused.state.timer.remainingMs;
    expect(paused.state.timer).toMatchObject({ running: false, endsAt: null });
    expect(Math.abs(endsAt + 60_000 - paused.data.serverTime - left)).toBeLessThanOrEqual(tolerance);
    expect(left).toBeLessThanOrEqual(660_000);

    const addedWhilePaused = await changesForEveryone(facilitator, 'timer:add', { ms: 60_000 });
    expect(addedWhilePaused.state.timer).toMatchObject({ running: false, endsAt: null, remainingMs: left + 60_000, durationMs: 720_000 });

    const takenAway = await changesForEveryone(facilitator, 'timer:add', { ms: -30_000 });
    expect(takenAway.state.timer.remainingMs).toBe(left + 30_000);

    const resumed = await changesForEveryone(facilitator, 'timer:start', {});
    expect(Math.abs(resumed.state.timer.endsAt! - resumed.data.serverTime - (left + 30_000))).toBeLessThanOrEqual(tolerance);
  });

  it('vote:configure sets the budget, the cap per card and whether results are hidden', async () => {
    const rules = { budget: 5, perCardCap: 2, hideUntilShown: false };
    expect((await changesForEveryone(facilitator, 'vote:configure', rules)).state.voting).toEqual(rules);
  });

  it("vote:cast places a dot and vote:retract takes it back; the voter's other tabs follow", async () => {
    const cardId = await cardOf(ada, 'Youth club');
    await steer('phase:set', { boardId: board(), phase: 'vote' });
    const otherTab = open(ada.token);
    await connected(otherTab);
    const key = voteKey(north(), cardId);

    const tabHearsCast = nextEvent(otherTab, 'votes:mine', (v) => v.used === 1, 5000, 'votes:mine at the other tab');
    const cast = await changesForEveryone<MyVotes>(adaScreen, 'vote:cast', { boardId: board(), roomId: north(), cardId });
    expect(cast.data).toEqual({ boardId: board(), budget: 3, used: 1, left: 2, cards: { [key]: 1 } });
    expect((await tabHearsCast)[0]).toEqual(cast.data);

    const retract = await changesForEveryone<MyVotes>(adaScreen, 'vote:retract', { boardId: board(), roomId: north(), cardId });
    expect(retract.data).toEqual({ boardId: board(), budget: 3, used: 0, left: 3, cards: {} });
    expect((await controlView(adaScreen)).myVotes[0]).toEqual(retract.data);
  });

  it('the facilitator casts and retracts dots on behalf of someone without a device', async () => {
    const cardId = await cardOf(ada, 'Community garden');
    const { status, body: proxy } = await api<{ participantId: string }>(server.url, 'POST', `/api/workshops/${workshop.id}/proxies`, { name: 'Dot', roomId: north() }, {
      authorization: `Bearer ${tokens.facilitator}`
    });
    expect(status).toBe(201);
    await steer('phase:set', { boardId: board(), phase: 'vote' });
    const vote = { boardId: board(), roomId: north(), cardId, onBehalfOf: proxy.participantId };
    const cast = await changesForEveryone<MyVotes>(facilitator, 'vote:cast', vote);
    expect(cast.data).toEqual({ boardId: board(), budget: 3, used: 1, left: 2, cards: { [voteKey(north(), cardId)]: 1 } });
    // Dot's dots are Dot's own: Ada's budget is untouched.
    expect((await controlView(adaScreen)).myVotes[0]).toMatchObject({ used: 0 });
    expect((await changesForEveryone<MyVotes>(facilitator, 'vote:retract', vote)).data).toMatchObject({ used: 0, left: 3 });
    await refusedWithoutChange([
      // Only the facilitator votes on behalf of others, and only for someone without a device.
      { actor: adaScreen, name: 'vote:cast', payload: vote, code: 'forbidden' },
      { actor: facilitator, name: 'vote:cast', payload: { ...vote, onBehalfOf: ada.participantId }, code: 'not_found' },
      { actor: facilitator, name: 'vote:cast', payload: { ...vote, onBehalfOf: 'no-such-person' }, code: 'not_found' },
      { actor: projector, name: 'vote:cast', payload: vote, code: 'forbidden' }
    ]);
  });

  it('vote:results shows a board’s results to everyone', async () => {
    const { state } = await changesForEveryone(facilitator, 'vote:results', { boardId: board(1), shown: true });
    expect(state.boards.map((b) => b.resultsShown)).toEqual([false, true, false]);
    expect((await controlView(adaScreen)).results).toEqual([{ boardId: board(1), tallies: [] }]);
  });

  it('joining:set closes and reopens joining', async () => {
    expect((await changesForEveryone(facilitator, 'joining:set', { open: false })).state.joiningOpen).toBe(false);
    expect((await changesForEveryone(facilitator, 'joining:set', { open: true })).state.joiningOpen).toBe(true);
  });

  it('notes:share lets participants download the notes, and takes that back', async () => {
    expect((await changesForEveryone(facilitator, 'notes:share', { shared: true })).state.notesShared).toBe(true);
    expect((await changesForEveryone(facilitator, 'notes:share', { shared: false })).state.notesShared).toBe(false);
  });

  it('plenary:combine copies a board’s cards from every room onto the plenary, once', async () => {
    await cardOf(ada, 'From North');
    await cardOf(cai, 'From Central');
    await cardOf(ada, 'On another board', 1);
    const before = (await controlView(facilitator)).state;
    expect(dataOf(await command(facilitator, 'plenary:combine', { boardId: board() }))).toEqual({ boardId: board(), cards: 2 });
    // Combining again adds nothing twice.
    expect(dataOf(await command(facilitator, 'plenary:combine', { boardId: board() }))).toEqual({ boardId: board(), cards: 2 });
    const plenary = connectProvider(server.wsUrl, workshop.id, PLENARY_ROOM_ID, tokens.facilitator);
    providers.push(plenary);
    await waitForDoc(plenary.doc, (doc) => readCards(doc).length === 2, 5000, 'the plenary copies');
    expect(readCards(plenary.doc).map(({ text, boardId, sourceRoomId }) => ({ text, boardId, sourceRoomId })).sort((a, b) => a.text.localeCompare(b.text))).toEqual([
      { text: 'From Central', boardId: board(), sourceRoomId: central() },
      { text: 'From North', boardId: board(), sourceRoomId: north() }
    ]);
    // The only control change: the board is now listed as combined (once, however often it is combined).
    const after = (await controlView(facilitator)).state;
    expect(after.plenaryBoardIds).toEqual([board()]);
    expect({ ...after, plenaryBoardIds: [], revision: 0, serverTime: 0 }).toEqual({ ...before, plenaryBoardIds: [], revision: 0, serverTime: 0 });
  });

  it('themes:compare names the themes rooms share and those only one room has', async () => {
    const rooms = [north(), central()].map((roomId) => connectProvider(server.wsUrl, workshop.id, roomId, tokens.facilitator));
    const readers = [connectProvider(server.wsUrl, workshop.id, north(), ada.token), connectProvider(server.wsUrl, workshop.id, central(), cai.token)];
    providers.push(...rooms, ...readers);
    await within(Promise.all([...rooms, ...readers].map((c) => c.synced)), 5000, 'sync');
    addTheme(rooms[0]!.doc, board(), 'Transport');
    addTheme(rooms[0]!.doc, board(), 'Youth');
    addTheme(rooms[1]!.doc, board(), ' transport ');
    addTheme(rooms[1]!.doc, board(1), 'Elsewhere');
    await waitForDoc(readers[0]!.doc, (doc) => readThemes(doc).length === 2, 5000, 'North’s themes on the server');
    await waitForDoc(readers[1]!.doc, (doc) => readThemes(doc).length === 2, 5000, 'Central’s themes on the server');
    for (const screen of [facilitator, adaScreen, projector]) {
      expect(dataOf(await command(screen, 'themes:compare', { boardId: board() }))).toEqual({
        boardId: board(),
        shared: [{ name: 'Transport', roomIds: [north(), central()] }],
        unique: [{ name: 'Youth', roomId: north() }]
      });
    }
  });

  it("participant:done counts the participant as done, and the facilitator receives the counts per room as 'done:counts'", async () => {
    const participantsHear = [record<DoneCounts>(adaScreen, 'done:counts'), record<DoneCounts>(caiScreen, 'done:counts'), record(projector, 'done:counts')];
    const expectCounts = (rooms: DoneCounts['rooms']) =>
      nextEvent(facilitator, 'done:counts', (c) => JSON.stringify(c.rooms) === JSON.stringify(rooms), 5000, `done:counts ${JSON.stringify(rooms)}`);

    let counts = expectCounts({ [north()]: { done: 1 } });
    const { data } = await changesForEveryone(adaScreen, 'participant:done', { boardId: board(), done: true });
    expect(data).toEqual({ boardId: board(), done: true });
    expect((await counts)[0]).toEqual({ boardId: board(), rooms: { [north()]: { done: 1 } } });

    counts = expectCounts({ [north()]: { done: 1 }, [central()]: { done: 1 } });
    dataOf(await command(caiScreen, 'participant:done', { boardId: board(), done: true }));
    await counts;

    counts = expectCounts({ [central()]: { done: 1 } });
    dataOf(await command(adaScreen, 'participant:done', { boardId: board(), done: false }));
    await counts;

    // Round trips after the last count: nothing was on its way to the other screens.
    await Promise.all([adaScreen, caiScreen, projector].map((socket) => command(socket, 'session:get', {})));
    expect(participantsHear).toEqual([[], [], []]);
  });
});

describe('refused commands change nothing', () => {
  it('a participant is refused every facilitator command', async () => {
    await refusedWithoutChange(FACILITATOR_ONLY.map((name) => ({ actor: adaScreen, name, payload: validPayload(name), code: 'forbidden' })));
  });

  it('the projector may only read: every other command is refused', async () => {
    for (const name of ANYONE) dataOf(await command(projector, name, validPayload(name)), name);
    const others = COMMANDS.filter((name) => !ANYONE.includes(name));
    await refusedWithoutChange(others.map((name) => ({ actor: projector, name, payload: validPayload(name), code: 'forbidden' })));
  });

  it('the facilitator is refused the participants’ own commands', async () => {
    await refusedWithoutChange(PARTICIPANT_ONLY.map((name) => ({ actor: facilitator, name, payload: validPayload(name), code: 'forbidden' })));
  });

  it('a board that is not part of the workshop is not_found for every command that names one', async () => {
    const cardId = await cardOf(ada, 'On a real board');
    await steer('phase:set', { boardId: board(), phase: 'vote' });
    const boardId = 'no-such-board';
    const card = { boardId, roomId: north(), cardId };
    await refusedWithoutChange([
      { actor: facilitator, name: 'phase:set', payload: { boardId, phase: 'group' }, code: 'not_found' },
      { actor: facilitator, name: 'board:private', payload: { boardId, private: true }, code: 'not_found' },
      { actor: facilitator, name: 'board:reveal', payload: { boardId }, code: 'not_found' },
      { actor: facilitator, name: 'board:lock', payload: { boardId, locked: true }, code: 'not_found' },
      { actor: facilitator, name: 'board:focus', payload: { boardId }, code: 'not_found' },
      { actor: facilitator, name: 'vote:results', payload: { boardId, shown: true }, code: 'not_found' },
      { actor: facilitator, name: 'plenary:combine', payload: { boardId }, code: 'not_found' },
      { actor: facilitator, name: 'themes:compare', payload: { boardId }, code: 'not_found' },
      { actor: adaScreen, name: 'vote:cast', payload: card, code: 'not_found' },
      { actor: adaScreen, name: 'vote:retract', payload: card, code: 'not_found' },
      { actor: adaScreen, name: 'participant:done', payload: { boardId, done: true }, code: 'not_found' }
    ]);
  });

  it('a vote for a card that does not exist, is on another board, or is in another room is refused', async () => {
    const mine = await cardOf(ada, 'Mine');
    const caisCard = await cardOf(cai, 'In Central');
    await steer('phase:set', { boardId: board(), phase: 'vote' });
    await steer('phase:set', { boardId: board(1), phase: 'vote' });
    await refusedWithoutChange([
      { actor: adaScreen, name: 'vote:cast', payload: { boardId: board(), roomId: north(), cardId: 'no-such-card' }, code: 'not_found' },
      { actor: adaScreen, name: 'vote:cast', payload: { boardId: board(1), roomId: north(), cardId: mine }, code: 'not_found' },
      // A card of another room, named as such: participants vote in their own room only.
      { actor: adaScreen, name: 'vote:cast', payload: { boardId: board(), roomId: central(), cardId: caisCard }, code: 'forbidden' },
      // The same card, claimed to be in Ada's room: it is not there.
      { actor: adaScreen, name: 'vote:cast', payload: { boardId: board(), roomId: north(), cardId: caisCard }, code: 'not_found' },
      // A room that does not exist is not the participant's own room either.
      { actor: adaScreen, name: 'vote:cast', payload: { boardId: board(), roomId: 'no-such-room', cardId: mine }, code: ['forbidden', 'not_found'] },
      { actor: adaScreen, name: 'vote:retract', payload: { boardId: board(), roomId: central(), cardId: caisCard }, code: 'forbidden' },
      { actor: adaScreen, name: 'vote:retract', payload: { boardId: board(), roomId: north(), cardId: 'no-such-card' }, code: 'not_found' }
    ]);
  });

  it('spotlight:set refuses a card in a room that is not part of the workshop, or a card that does not exist', async () => {
    await refusedWithoutChange([
      { actor: facilitator, name: 'spotlight:set', payload: { spotlight: { kind: 'card', roomId: 'no-such-room', cardId: 'x' } }, code: 'not_found' },
      { actor: facilitator, name: 'spotlight:set', payload: { spotlight: { kind: 'card', roomId: north(), cardId: 'no-such-card' } }, code: 'not_found' }
    ]);
  });

  it('commands in the wrong phase are refused with conflict', async () => {
    const cardId = await cardOf(ada, 'Too early');
    const card = { boardId: board(), roomId: north(), cardId };
    await steer('phase:set', { boardId: board(), phase: 'brainstorm' });
    await steer('phase:set', { boardId: board(1), phase: 'group' });
    await steer('board:private', { boardId: board(2), private: true });
    await refusedWithoutChange([
      { actor: adaScreen, name: 'vote:cast', payload: card, code: 'conflict' },
      { actor: adaScreen, name: 'vote:retract', payload: card, code: 'conflict' },
      // Private brainstorm can be switched only before or during the brainstorm.
      { actor: facilitator, name: 'board:private', payload: { boardId: board(1), private: true }, code: 'conflict' },
      // Reveal only a private board; a private board is published by Reveal, not by switching it off.
      { actor: facilitator, name: 'board:reveal', payload: { boardId: board() }, code: 'conflict' },
      { actor: facilitator, name: 'board:private', payload: { boardId: board(2), private: false }, code: 'conflict' }
    ]);
  });

  it('with a budget of 3 the 4th dot is refused with conflict', async () => {
    // Cards go up before voting opens: the vote phase freezes the board.
    const [one, two] = [await cardOf(ada, 'One'), await cardOf(ada, 'Two')];
    const caisCard = await cardOf(cai, 'Central idea');
    await steer('phase:set', { boardId: board(), phase: 'vote' });
    for (const cardId of [one, two, two]) dataOf(await command(adaScreen, 'vote:cast', { boardId: board(), roomId: north(), cardId }));
    await refusedWithoutChange([
      { actor: adaScreen, name: 'vote:cast', payload: { boardId: board(), roomId: north(), cardId: one }, code: 'conflict' }
    ]);
    expect((await controlView(adaScreen)).myVotes[0]).toMatchObject({ used: 3, left: 0 });
    // Cai's budget is Cai's own.
    expect(dataOf<MyVotes>(await command(caiScreen, 'vote:cast', { boardId: board(), roomId: central(), cardId: caisCard }))).toMatchObject({ used: 1 });
  });

  it('the cap per card refuses one dot too many on a card, not on another card', async () => {
    const [one, two] = [await cardOf(ada, 'One'), await cardOf(ada, 'Two')];
    await steer('vote:configure', { budget: 4, perCardCap: 2, hideUntilShown: true });
    await steer('phase:set', { boardId: board(), phase: 'vote' });
    for (let i = 0; i < 2; i++) dataOf(await command(adaScreen, 'vote:cast', { boardId: board(), roomId: north(), cardId: one }));
    await refusedWithoutChange([
      { actor: adaScreen, name: 'vote:cast', payload: { boardId: board(), roomId: north(), cardId: one }, code: 'conflict' }
    ]);
    expect(dataOf<MyVotes>(await command(adaScreen, 'vote:cast', { boardId: board(), roomId: north(), cardId: two }))).toMatchObject({ used: 3, left: 1 });
  });

  it('vote:configure refuses a cap above the budget, and a smaller budget once dots are on a board', async () => {
    const cardId = await cardOf(ada, 'Voted');
    await steer('phase:set', { boardId: board(), phase: 'vote' });
    dataOf(await command(adaScreen, 'vote:cast', { boardId: board(), roomId: north(), cardId }));
    await refusedWithoutChange([
      { actor: facilitator, name: 'vote:configure', payload: { budget: 3, perCardCap: 4, hideUntilShown: true }, code: 'validation_failed' },
      { actor: facilitator, name: 'vote:configure', payload: { budget: 2, perCardCap: null, hideUntilShown: true }, code: 'conflict' }
    ]);
    expect((await steer('vote:configure', { budget: 6, perCardCap: null, hideUntilShown: true })).voting.budget).toBe(6);
  });

  it('timer:start with no time left is refused with conflict', async () => {
    await steer('timer:set', { durationMs: 1000 });
    await steer('timer:add', { ms: -5000 });
    await refusedWithoutChange([{ actor: facilitator, name: 'timer:start', payload: {}, code: 'conflict' }]);
  });

  // A refused command must leave no hidden trace either, such as an empty record of the voter's dots.
  it('a refused vote:retract leaves no trace: the budget may still shrink while no dot was ever cast', async () => {
    const cardId = await cardOf(ada, 'Never voted');
    await steer('phase:set', { boardId: board(), phase: 'vote' });
    await refusedWithoutChange([
      { actor: adaScreen, name: 'vote:retract', payload: { boardId: board(), roomId: north(), cardId }, code: 'conflict' }
    ]);
    expect(dataOf<ControlState>(await command(facilitator, 'vote:configure', { budget: 2, perCardCap: null, hideUntilShown: true })).voting.budget).toBe(2);
  });

  it('once every dot is taken back the budget may shrink again', async () => {
    const cardId = await cardOf(ada, 'Voted, then not');
    await steer('phase:set', { boardId: board(), phase: 'vote' });
    dataOf(await command(adaScreen, 'vote:cast', { boardId: board(), roomId: north(), cardId }));
    dataOf(await command(adaScreen, 'vote:retract', { boardId: board(), roomId: north(), cardId }));
    expect(dataOf<ControlState>(await command(facilitator, 'vote:configure', { budget: 2, perCardCap: null, hideUntilShown: true })).voting.budget).toBe(2);
  });
});

describe('malformed payloads are answered validation_failed and change nothing', () => {
  type Kind =
    | 'id'
    | 'nullableId'
    | 'optionalId'
    | 'bool'
    | 'phase'
    | 'duration'
    | 'delta'
    | 'count'
    | 'nullableCount'
    | 'spotlight'
    | 'outcomeKind'
    | 'text'
    | 'optionalText'
    | 'optionalOwner'
    | 'optionalDueDate'
    | 'optionalStatus'
    | 'optionalLink'
    | 'secret';
  const FIELDS: Record<CommandName, Record<string, Kind>> = {
    'session:get': {},
    'control:get': {},
    'phase:set': { boardId: 'id', phase: 'phase' },
    'board:private': { boardId: 'id', private: 'bool' },
    'board:reveal': { boardId: 'id' },
    'board:lock': { boardId: 'id', locked: 'bool' },
    'board:focus': { boardId: 'nullableId' },
    'spotlight:set': { spotlight: 'spotlight' },
    'timer:set': { durationMs: 'duration' },
    'timer:start': {},
    'timer:pause': {},
    'timer:add': { ms: 'delta' },
    'vote:configure': { budget: 'count', perCardCap: 'nullableCount', hideUntilShown: 'bool' },
    'vote:cast': { boardId: 'id', roomId: 'id', cardId: 'id', onBehalfOf: 'optionalId' },
    'vote:retract': { boardId: 'id', roomId: 'id', cardId: 'id', onBehalfOf: 'optionalId' },
    'vote:results': { boardId: 'id', shown: 'bool' },
    'joining:set': { open: 'bool' },
    'notes:share': { shared: 'bool' },
    'plenary:combine': { boardId: 'id' },
    'themes:compare': { boardId: 'id' },
    'participant:done': { boardId: 'id', done: 'bool' },
    'outcome:add': { kind: 'outcomeKind', text: 'text', owner: 'optionalOwner', dueDate: 'optionalDueDate', status: 'optionalStatus', link: 'optionalLink' },
    'outcome:update': { id: 'id', text: 'optionalText', owner: 'optionalOwner', dueDate: 'optionalDueDate', status: 'optionalStatus' },
    'outcome:remove': { id: 'id' },
    'outcome:carry': { workshopId: 'id', facilitatorKey: 'secret' }
  };
  const huge = [1e308, -1e308, 2 ** 53 + 2, Number.MAX_VALUE];
  const WRONG: Record<Kind, unknown[]> = {
    id: [42, '', 'x'.repeat(65), null, {}, ['b'], true, ...huge],
    nullableId: [42, '', 'x'.repeat(65), {}, ['b'], false],
    optionalId: [42, '', 'x'.repeat(65), null, {}, ['b'], true],
    bool: ['true', 1, 0, null, {}, []],
    phase: ['voting', 'VOTE', '', 3, null, ['vote']],
    duration: [999, 4 * 3600_000 + 1, 1500.5, '60000', null, true, ...huge],
    delta: [3600_001, -3600_001, 0.5, '60000', null, ...huge],
    count: [0, -1, 21, 2.5, '3', null, ...huge],
    nullableCount: [0, 21, 2.5, '3', false, ...huge],
    spotlight: [
      'card',
      42,
      [],
      { kind: 'nope', roomId: 'r', cardId: 'c' },
      { kind: 'card', roomId: 'r' },
      { kind: 'card', roomId: 'r', cardId: 'c', themeId: 't' },
      { kind: 'theme', roomId: 'r', cardId: 'c' },
      { kind: 'card', roomId: '', cardId: 'c' },
      { kind: 'card', roomId: 'r', cardId: 'x'.repeat(65) }
    ],
    outcomeKind: ['promise', 'Action', '', 3, null],
    text: ['', '   ', 'x'.repeat(1001), 42, null, ['text']],
    optionalText: ['', '   ', 'x'.repeat(1001), 42, null],
    optionalOwner: ['o'.repeat(121), 'o'.repeat(10_000), 42, {}],
    optionalDueDate: ['31/01/2027', '2027-02-30', '2027-1-5', 'next week', '', 20270131],
    optionalStatus: ['finished', 'Open', '', 1, null],
    optionalLink: ['north', 42, { roomId: '' }, { cardId: 'c' }, { roomId: 'r', cardId: 'c', themeId: 't' }, { roomId: 'r', label: 'mine' }],
    secret: ['', 42, null, 'k'.repeat(201)]
  };

  function malformed(name: CommandName): { what: string; payload: unknown }[] {
    const valid = validPayload(name) as Record<string, unknown>;
    const cases: { what: string; payload: unknown }[] = [
      { what: 'a string', payload: 'phase:set' },
      { what: 'a number', payload: 42 },
      { what: 'a huge number', payload: 1e308 },
      { what: 'true', payload: true },
      { what: 'an array', payload: [] },
      { what: 'the valid payload in an array', payload: [valid] },
      { what: 'an extra key', payload: { ...valid, extra: 1 } },
      { what: 'an own __proto__ key', payload: { ...valid, ...(JSON.parse('{"__proto__":{"isAdmin":true}}') as object) } },
      { what: 'a huge string key', payload: { ...valid, ['k'.repeat(10_000)]: 'v' } }
    ];
    const fields = FIELDS[name];
    // A null payload counts as "no payload" (like a bare callback), so it is malformed only where fields are required.
    if (Object.keys(fields).length > 0) cases.push({ what: 'null', payload: null }, { what: 'an empty object', payload: {} });
    for (const [field, kind] of Object.entries(fields)) {
      const { [field]: _dropped, ...rest } = valid;
      if (!kind.startsWith('optional')) cases.push({ what: `no ${field}`, payload: rest });
      for (const wrong of WRONG[kind]) cases.push({ what: `${field}: ${JSON.stringify(wrong)?.slice(0, 40)}`, payload: { ...valid, [field]: wrong } });
    }
    return cases;
  }

  it.each(COMMANDS)('%s', async (name) => {
    const actor = PARTICIPANT_ONLY.includes(name) ? adaScreen : facilitator;
    await refusedWithoutChange(malformed(name).map(({ what, payload }) => ({ actor, name, payload, what, code: 'validation_failed' as const })));
  });
});

describe('the timer', () => {
  it('a timer set to its minimum runs out by itself: every screen gets control:state with running false and endedCount + 1', async () => {
    await steer('timer:set', { durationMs: 1000 });
    const ended = [adaScreen, projector, facilitator].map((socket) =>
      nextEvent(socket, 'control:state', (s) => !s.timer.running && s.timer.endedCount === 1, 5000, 'the timer to end')
    );
    const started = await steer('timer:start', {});
    expect(started.timer).toMatchObject({ running: true, endedCount: 0 });
    const [[state]] = await Promise.all(ended);
    expect(state.timer).toEqual({ durationMs: 1000, running: false, endsAt: null, remainingMs: 0, endedCount: 1 });
    expect(state.serverTime).toBeGreaterThanOrEqual(started.timer.endsAt!);
    expect(state.revision).toBe(started.revision + 1);
  });
});

describe('voting', () => {
  it('results stay hidden from participants and the projector until vote:results shows them; the facilitator sees them live', async () => {
    const cardId = await cardOf(ada, 'Library');
    const caisCard = await cardOf(cai, 'Bus route');
    await steer('phase:set', { boardId: board(), phase: 'vote' });
    const heardBeforeShown = [record<VoteResults>(adaScreen, 'votes:results'), record<VoteResults>(projector, 'votes:results'), record<VoteResults>(caiScreen, 'votes:results')];
    const expected = { boardId: board(), tallies: [{ roomId: north(), cardId, votes: 1 }] };

    const live = nextEvent(facilitator, 'votes:results', (r) => r.tallies[0]?.votes === 1, 5000, 'live results at the facilitator');
    dataOf(await command(adaScreen, 'vote:cast', { boardId: board(), roomId: north(), cardId }));
    expect((await live)[0]).toEqual(expected);
    await Promise.all([adaScreen, projector, caiScreen].map((socket) => command(socket, 'session:get', {})));
    expect(heardBeforeShown).toEqual([[], [], []]);
    expect((await controlView(adaScreen)).results).toEqual([]);
    expect((await controlView(projector)).results).toEqual([]);

    const shown = [adaScreen, projector, caiScreen].map((socket) => nextEvent(socket, 'votes:results', () => true, 5000, 'results once shown'));
    await steer('vote:results', { boardId: board(), shown: true });
    for (const [results] of await Promise.all(shown)) expect(results).toEqual(expected);
    expect((await controlView(adaScreen)).results).toEqual([expected]);

    // Once shown, later dots reach everyone live.
    const again = nextEvent(adaScreen, 'votes:results', (r) => r.tallies.length === 2, 5000, 'live results after showing');
    dataOf(await command(caiScreen, 'vote:cast', { boardId: board(), roomId: central(), cardId: caisCard }));
    expect((await again)[0].tallies).toHaveLength(2);
  });

  it('results rank cards by dots, most first, across rooms', async () => {
    const bo = await joinRoom(server.url, workshop, 'North', 'Bo');
    const boScreen = open(bo.token);
    await connected(boScreen);
    const [a1, a2, c1] = [await cardOf(ada, 'A1'), await cardOf(ada, 'A2'), await cardOf(cai, 'C1')];
    await steer('vote:configure', { budget: 5, perCardCap: null, hideUntilShown: false });
    await steer('phase:set', { boardId: board(), phase: 'vote' });
    const cast = async (screen: ControlClient, roomId: string, cardId: string, times: number) => {
      for (let i = 0; i < times; i++) dataOf(await command(screen, 'vote:cast', { boardId: board(), roomId, cardId }));
    };
    await cast(adaScreen, north(), a2, 1);
    await cast(boScreen, north(), a1, 1);
    await cast(caiScreen, central(), c1, 4);
    await cast(adaScreen, north(), a1, 2);

    const results = (await controlView(projector)).results.find((r) => r.boardId === board())!;
    expect(results.tallies).toEqual([
      { roomId: central(), cardId: c1, votes: 4 },
      { roomId: north(), cardId: a1, votes: 3 },
      { roomId: north(), cardId: a2, votes: 1 }
    ]);
  });

  it('a dot on a card whose id holds a colon is tallied under that card', async () => {
    // Card ids come from the Yjs document, where a client picks them; the tally must not mistake them.
    const client = connectProvider(server.wsUrl, workshop.id, north(), ada.token);
    const watcher = connectProvider(server.wsUrl, workshop.id, north(), tokens.facilitator);
    providers.push(client, watcher);
    await within(Promise.all([client.synced, watcher.synced]), 5000, 'sync');
    const cardId = addCard(client.doc, { boardId: board(), text: 'Colon', authorId: ada.participantId, authorName: 'Ada' }, 'idea:1');
    await waitForDoc(watcher.doc, (doc) => readCards(doc).some((card) => card.id === cardId), 5000, 'the card at the server');
    await steer('phase:set', { boardId: board(), phase: 'vote' });
    const reply = await command(adaScreen, 'vote:cast', { boardId: board(), roomId: north(), cardId });
    // Refusing such an id outright is sound too; what must not happen is a tally under another id.
    if (isErrorBody(reply)) {
      expectRefused(reply, ['validation_failed', 'not_found']);
      return;
    }
    const results = (await controlView(facilitator)).results.find((r) => r.boardId === board())!;
    expect(results.tallies).toEqual([{ roomId: north(), cardId: 'idea:1', votes: 1 }]);
  });
});

describe('frozen boards', () => {
  /** Ada's and a watching facilitator's y-websocket clients in North. */
  async function northClients() {
    const adaClient = connectProvider(server.wsUrl, workshop.id, north(), ada.token);
    const watcher = connectProvider(server.wsUrl, workshop.id, north(), tokens.facilitator);
    providers.push(adaClient, watcher);
    await within(Promise.all([adaClient.synced, watcher.synced]), 5000, 'sync');
    const seen = new Set<string>();
    watcher.doc.on('update', () => readCards(watcher.doc).forEach((card) => seen.add(card.text)));
    const texts = (doc: Y.Doc) => readCards(doc).map((card) => card.text);
    /** Ada adds a card; resolves once the watcher has it (accepted) or Ada's copy is reverted (refused). */
    const adaAdds = async (boardIndex: number, text: string, outcome: 'accepted' | 'refused') => {
      addCard(adaClient.doc, { boardId: board(boardIndex), text, authorId: ada.participantId, authorName: 'Ada' });
      if (outcome === 'accepted') await waitForDoc(watcher.doc, (doc) => texts(doc).includes(text), 5000, `"${text}" at the watcher`);
      else await waitForDoc(adaClient.doc, (doc) => !texts(doc).includes(text), 5000, `"${text}" to be reverted`);
    };
    return { adaAdds, seen };
  }

  it("board:lock refuses a participant's new card on that board (reverted), other boards stay open, and unlocking re-opens it", async () => {
    const { adaAdds, seen } = await northClients();
    await steer('board:lock', { boardId: board(), locked: true });
    await adaAdds(0, 'While locked', 'refused');
    await adaAdds(1, 'On an open board', 'accepted');
    expect(seen.has('While locked')).toBe(false);
    await steer('board:lock', { boardId: board(), locked: false });
    await adaAdds(0, 'After unlocking', 'accepted');
  });

  it.each(['vote', 'closed'] as const)("phase:set to '%s' freezes the board's cards, and going back to brainstorm re-opens it", async (phase) => {
    const { adaAdds, seen } = await northClients();
    await steer('phase:set', { boardId: board(), phase: 'brainstorm' });
    await adaAdds(0, 'While brainstorming', 'accepted');
    await steer('phase:set', { boardId: board(), phase });
    await adaAdds(0, `During ${phase}`, 'refused');
    await adaAdds(1, 'On an open board', 'accepted');
    expect(seen.has(`During ${phase}`)).toBe(false);
    await steer('phase:set', { boardId: board(), phase: 'brainstorm' });
    await adaAdds(0, 'Back to brainstorming', 'accepted');
  });
});

describe('restarts', () => {
  it('control state, dots and "I\'m done" survive a server restart', async () => {
    const [one, two] = [await cardOf(ada, 'One'), await cardOf(ada, 'Two')];
    await steer('vote:configure', { budget: 4, perCardCap: 2, hideUntilShown: true });
    await steer('phase:set', { boardId: board(), phase: 'vote' });
    await steer('board:lock', { boardId: board(1), locked: true });
    await steer('board:focus', { boardId: board() });
    await steer('spotlight:set', { spotlight: { kind: 'card', roomId: north(), cardId: one } });
    await steer('timer:set', { durationMs: 600_000 });
    await steer('timer:start', {});
    await steer('joining:set', { open: false });
    for (const cardId of [one, one, two]) dataOf(await command(adaScreen, 'vote:cast', { boardId: board(), roomId: north(), cardId }));
    dataOf(await command(adaScreen, 'participant:done', { boardId: board(), done: true }));
    const before = await everything();
    expect(before.ada.myVotes[0]).toMatchObject({ used: 3, left: 1 });

    for (const socket of sockets.splice(0)) socket.disconnect();
    await server.close();
    server = await newServer({ dataDir: server.dataDir });
    await connectScreens();

    expect(await everything()).toEqual(before);
    // The rules still hold with the restored dots: the cap on "one", then the budget.
    expectRefused(await command(adaScreen, 'vote:cast', { boardId: board(), roomId: north(), cardId: one }), 'conflict');
    dataOf(await command(adaScreen, 'vote:cast', { boardId: board(), roomId: north(), cardId: two }));
    expectRefused(await command(adaScreen, 'vote:cast', { boardId: board(), roomId: north(), cardId: two }), 'conflict');
    const counts = nextEvent(facilitator, 'done:counts', () => true, 5000, 'done:counts after the restart');
    dataOf(await command(caiScreen, 'participant:done', { boardId: board(), done: true }));
    expect((await counts)[0].rooms).toEqual({ [north()]: { done: 1 }, [central()]: { done: 1 } });
  });
});
