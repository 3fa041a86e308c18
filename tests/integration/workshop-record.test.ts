import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  PLENARY_ROOM_ID,
  addCard,
  addTheme,
  moveCardToTheme,
  readCards,
  readThemes,
  type CreateWorkshopResponse,
  type VoteResults
} from '@goldthread/shared';
import { AtomicJsonFile } from '../../server/src/store/atomic-json-file.js';
import { api, facilitatorToken, newServer, type TestServer } from './support/server.js';
import { connectProvider, waitForDoc, within, type ProviderClient } from './support/yjs-clients.js';
import { connected, controlClient, type ControlClient } from './support/control-client.js';
import { command, controlView, dataOf } from './support/control-commands.js';
import { expectErrorBody } from './support/error-bodies.js';
import { AWKWARD, buildNotesWorkshop, type NotesWorkshop } from './support/notes-workshop.js';
import {
  NOTES_FORMAT_NAMES,
  csvNeutralised,
  csvRecords,
  docxParts,
  docxVisibleText,
  download,
  htmlDocument,
  markdownDocument,
  squash,
  type Download,
  type NotesFormatName
} from './support/notes-files.js';
import { normaliseRecord, recordCards } from './support/record-files.js';

const TITLE = 'Northshire partnership: Priorities, Vision and Barriers';
const PROXY_NAME = 'Mrs Patel';
const PROXY_CARD = 'Benches at every bus stop on the high street';
const PLENARY_THEME = 'Getting around';
/** How every format marks what the facilitator entered for someone without a device. */
const PROXY_MARK = 'entered by the facilitator for someone without a device';

let server: TestServer;
let riverside: NotesWorkshop;
let facilitator: ControlClient;
const clients: ProviderClient[] = [];
const sockets: ControlClient[] = [];
let proxyId: string;
let proxyCardId: string;
/** Plenary copy id of a room card. */
let copyOf: (text: string) => string;
/** What the plenary's Priorities copies should hold: votes, and of those entered by the facilitator. */
const plenaryVotes = new Map<string, { votes: number; proxy: number }>();

const boardId = (title: string) => riverside.workshop.boards.find((b) => b.title === title)!.id;
const roomId = (name: string) => riverside.workshop.rooms.find((r) => r.name === name)!.id;
const cardId = (text: string) => (text === PROXY_CARD ? proxyCardId : riverside.cards.find((c) => c.text === text)!.id);
const steer = async (socket: ControlClient, name: string, payload: unknown) =>
  dataOf(await command(socket, name, payload), `${name} ${JSON.stringify(payload)}`);
const screen = async (token: string) => {
  const socket = controlClient(server.url, { token }, ['websocket']);
  sockets.push(socket);
  await connected(socket);
  return socket;
};
const provider = async (workshopId: string, room: string, token: string) => {
  const client = connectProvider(server.wsUrl, workshopId, room, token);
  clients.push(client);
  await within(client.synced, 5000, `${room} to sync`);
  return client;
};

beforeAll(async () => {
  server = await newServer();
  // Three rooms write cards and vote on Priorities in their rooms (see buildNotesWorkshop).
  riverside = await buildNotesWorkshop(server, TITLE);
  const { workshop, facilitatorToken: token } = riverside;
  facilitator = await screen(token);
  const priorities = boardId('Priorities');

  // Someone without a device in North: the facilitator writes her card and casts her votes.
  const proxy = await api<{ participantId: string }>(server.url, 'POST', `/api/workshops/${workshop.id}/proxies`, { name: PROXY_NAME, roomId: roomId('North') }, { authorization: `Bearer ${token}` });
  expect(proxy.status).toBe(201);
  proxyId = proxy.body.participantId;
  const north = await provider(workshop.id, roomId('North'), token);
  const ada = riverside.people.get('Ada Lovelace')!;
  const adaView = await provider(workshop.id, ada.roomId, ada.token);
  proxyCardId = addCard(north.doc, { boardId: priorities, text: PROXY_CARD, authorId: proxyId, authorName: PROXY_NAME, proxy: true });
  await waitForDoc(adaView.doc, (doc) => readCards(doc).some((c) => c.id === proxyCardId), 5000, 'the proxy card in North');

  // Voting opens again with a bigger budget: one more room vote (for Mrs Patel), then the plenary's.
  await steer(facilitator, 'phase:set', { boardId: priorities, phase: 'vote' });
  await steer(facilitator, 'vote:configure', { budget: 6, perCardCap: 3, hideUntilShown: true });
  await steer(facilitator, 'vote:cast', { boardId: priorities, roomId: roomId('North'), cardId: proxyCardId, onBehalfOf: proxyId });

  await steer(facilitator, 'plenary:combine', { boardId: priorities });
  await steer(facilitator, 'plenary:combine', { boardId: boardId('Vision') });
  const roomOfText = (text: string) => (text === PROXY_CARD ? 'North' : riverside.cards.find((c) => c.text === text)!.room);
  copyOf = (text: string) => `${roomId(roomOfText(text))}-${cardId(text)}`;

  // The facilitator groups two copies on the plenary; a participant's view shows it has landed.
  const plenary = await provider(workshop.id, PLENARY_ROOM_ID, token);
  const devView = await provider(workshop.id, PLENARY_ROOM_ID, riverside.people.get('Dev Patel')!.token);
  await waitForDoc(plenary.doc, (doc) => readCards(doc).some((c) => c.id === copyOf(PROXY_CARD)), 5000, 'the combined cards');
  const theme = addTheme(plenary.doc, priorities, PLENARY_THEME);
  moveCardToTheme(plenary.doc, copyOf(AWKWARD.emoji), theme);
  moveCardToTheme(plenary.doc, copyOf(AWKWARD.plus), theme);
  await waitForDoc(devView.doc, (doc) => readThemes(doc).some((t) => t.id === theme && t.cardIds.length === 2), 5000, 'the plenary theme');

  const plenaryVote = async (by: string | null, text: string) => {
    const payload = { boardId: priorities, roomId: PLENARY_ROOM_ID, cardId: copyOf(text) };
    if (by === null) await steer(facilitator, 'vote:cast', { ...payload, onBehalfOf: proxyId });
    else await steer(await screen(riverside.people.get(by)!.token), 'vote:cast', payload);
    const entry = plenaryVotes.get(text) ?? { votes: 0, proxy: 0 };
    plenaryVotes.set(text, { votes: entry.votes + 1, proxy: entry.proxy + (by === null ? 1 : 0) });
  };
  await plenaryVote('Ada Lovelace', AWKWARD.quotedComma);
  await plenaryVote('Ada Lovelace', AWKWARD.quotedComma);
  await plenaryVote('Dev Patel', AWKWARD.emoji);
  await plenaryVote('Priya Shah', PROXY_CARD);
  await plenaryVote(null, AWKWARD.quotedComma);
  await steer(facilitator, 'vote:results', { boardId: priorities, shown: true });
  await steer(facilitator, 'phase:set', { boardId: priorities, phase: 'discuss' });
}, 60_000);

afterAll(async () => {
  for (const client of clients.splice(0)) client.destroy();
  for (const socket of sockets.splice(0)) socket.close();
  riverside?.close();
  await server?.close({ removeData: true });
});

const notesOf = (workshopId: string, format: string) => `/api/workshops/${workshopId}/notes.${format}`;
async function notes(format: NotesFormatName, workshop: Pick<CreateWorkshopResponse, 'id' | 'facilitatorKey'> = riverside.workshop): Promise<Download> {
  const file = await download(server.url, notesOf(workshop.id, format), workshop.facilitatorKey);
  expect(file.status, `notes.${format}: ${file.text.slice(0, 300)}`).toBe(200);
  return file;
}
const csvRows = async () => {
  const [header, ...rows] = csvRecords((await notes('csv')).text);
  return rows.map((row) => Object.fromEntries(header!.map((column, i) => [column, row[i]!])));
};
/** Every dot the server counts, on every board, in the rooms and on the plenary. */
async function votesCast(): Promise<number> {
  const results: VoteResults[] = (await controlView(facilitator)).results;
  return results.flatMap((board) => board.tallies).reduce((sum, tally) => sum + tally.votes, 0);
}
const workshopFiles = async () => (await readdir(path.join(server.dataDir, 'workshops'))).filter((name) => name.endsWith('.json'));
const importRecord = (body: string) => api<CreateWorkshopResponse>(server.url, 'POST', '/api/import', body);

describe('the plenary in the notes', () => {
  it('the JSON record holds the plenary: its boards, every room card copied with its room, its theme and its votes', async () => {
    const record = (await notes('json')).json as { workshops: { plenary?: { boardIds: string[]; themes?: { name: string; cardIds: string[] }[] } }[] };
    const plenary = record.workshops[0]!.plenary!;
    expect(plenary.boardIds).toEqual([boardId('Priorities'), boardId('Vision')]);
    expect(plenary.themes?.map((t) => ({ name: t.name, cardIds: t.cardIds }))).toEqual([
      { name: PLENARY_THEME, cardIds: [copyOf(AWKWARD.emoji), copyOf(AWKWARD.plus)] }
    ]);
    const copies = recordCards(record).filter((card) => card.space === 'plenary');
    const combined = [...riverside.cards.filter((c) => c.board !== 'Barriers').map((c) => c.text), PROXY_CARD];
    expect(copies.map((c) => c.text).sort()).toEqual(combined.sort());
    for (const text of combined) {
      const copy = copies.find((c) => c.id === copyOf(text))!;
      const original = riverside.cards.find((c) => c.text === text);
      expect(copy.sourceRoomId, text).toBe(roomId(original?.room ?? 'North'));
      if (copy.boardId === boardId('Vision')) expect(copy.votes, text).toBeUndefined();
      else expect({ votes: copy.votes, proxy: copy.proxyVotes ?? 0 }, text).toEqual(plenaryVotes.get(text) ?? { votes: 0, proxy: 0 });
    }
  });

  it.each(['md', 'html', 'docx'] as const)('%s has a Plenary section naming each card’s room and its plenary votes', async (format) => {
    const file = await notes(format);
    const south = `South · 3 votes (1 entered by the facilitator)`;
    if (format === 'html') {
      const section = htmlDocument(file.text).querySelector('section.plenary')!;
      expect(section.querySelector('h2')?.textContent).toBe('Plenary');
      const cards = [...section.querySelectorAll('li.card')].map((li) => ({
        text: li.querySelector('.card-text')?.textContent,
        meta: li.querySelector('.meta')?.textContent
      }));
      expect(cards).toContainEqual({ text: AWKWARD.quotedComma, meta: south });
      expect(cards).toContainEqual({ text: AWKWARD.emoji, meta: 'North · 1 vote' });
      expect(section.textContent).toContain(PLENARY_THEME);
      return;
    }
    const text = format === 'md' ? squash(markdownDocument(file.text).body.textContent ?? '') : docxVisibleText(docxParts(file.bytes)['word/document.xml']!);
    const start = text.indexOf("Plenary Every room's cards");
    expect(start, 'a Plenary heading followed by its introduction').toBeGreaterThan(-1);
    const plenary = text.slice(start);
    expect(plenary).toContain(`${squash(AWKWARD.quotedComma)} (${south})`);
    expect(plenary).toContain(`${squash(AWKWARD.emoji)} (North · 1 vote)`);
    expect(plenary).toContain(PLENARY_THEME);
  });

  it('the CSV adds the plenary’s rows, each with the room its card came from and its votes', async () => {
    const rows = (await csvRows()).filter((row) => row.section === 'plenary');
    expect(rows).toHaveLength(riverside.cards.filter((c) => c.board !== 'Barriers').length + 1);
    expect(rows.find((row) => row.text === csvNeutralised(AWKWARD.quotedComma))).toMatchObject({ room: 'South', board: 'Priorities', votes: '3', proxy_votes: '1' });
    expect(rows.find((row) => row.text === AWKWARD.emoji)).toMatchObject({ room: 'North', theme: PLENARY_THEME, votes: '1', proxy_votes: '0' });
    expect(rows.find((row) => row.board === 'Vision')).toMatchObject({ votes: '', proxy_votes: '' });
  });

  it('the top priorities follow the plenary vote, the decision of the whole workshop', async () => {
    const dom = htmlDocument((await notes('html')).text);
    const section = [...dom.querySelectorAll('section')].find((s) => s.querySelector('h2')?.textContent === 'Top priorities')!;
    expect(section.textContent).toContain('Ranked by the plenary vote on the Priorities board.');
    expect(section.querySelector('ol li .card-text')?.textContent).toBe(AWKWARD.quotedComma);
  });

  it('a room’s own notes leave the plenary out', async () => {
    const file = await download(server.url, `${notesOf(riverside.workshop.id, 'json')}?room=${roomId('North')}`, riverside.workshop.facilitatorKey);
    expect((file.json as { workshops: { plenary?: unknown }[] }).workshops[0]).not.toHaveProperty('plenary');
  });

  it('series notes use the plenary too: its votes rank the series’ top priorities', async () => {
    const file = await download(server.url, `/api/notes.md?workshops=${riverside.workshop.id}`, riverside.workshop.facilitatorKey);
    expect(file.status).toBe(200);
    const text = squash(markdownDocument(file.text).body.textContent ?? '');
    expect(text).toContain('Ranked by the plenary vote on the Priorities board.');
    expect(text).toContain('Plenary (');
  });
});

describe('every vote cast on any board of the workshop appears in the notes', () => {
  it('the JSON and the CSV count exactly the votes the server counted, rooms and plenary together', async () => {
    const cast = await votesCast();
    const roomVotes = riverside.cards.reduce((sum, card) => sum + (card.votes ?? 0), 0) + 1;
    const plenary = [...plenaryVotes.values()].reduce((sum, entry) => sum + entry.votes, 0);
    expect(cast).toBe(roomVotes + plenary);
    const record = recordCards((await notes('json')).json);
    expect(record.reduce((sum, card) => sum + (card.votes ?? 0), 0)).toBe(cast);
    expect((await csvRows()).reduce((sum, row) => sum + Number(row.votes || 0), 0)).toBe(cast);
  });

  it('the HTML shows every voted card with its count, in the rooms and on the plenary', async () => {
    const dom = htmlDocument((await notes('html')).text);
    const shown = (selector: string) => [...dom.querySelectorAll(selector)].map((li) => squash(li.textContent ?? ''));
    const onRoomBoards = shown('main > section.board li.card');
    const onPlenary = shown('section.plenary li.card');
    const voted = recordCards((await notes('json')).json).filter((card) => (card.votes ?? 0) > 0);
    expect(voted.length).toBeGreaterThan(5);
    for (const card of voted) {
      const label = `${card.votes} vote${card.votes === 1 ? '' : 's'}`;
      const where = card.space === 'plenary' ? onPlenary : onRoomBoards;
      expect(where.some((li) => li.startsWith(squash(card.text)) && li.includes(label)), `${card.space}: ${card.text} with ${label}`).toBe(true);
    }
  });
});

describe('proxy entries are marked', () => {
  it('the JSON record marks the card, its plenary copy, the votes cast for her, and the participant', async () => {
    const json = (await notes('json')).json as { workshops: { participants: { name: string; proxy?: boolean }[] }[] };
    const cards = recordCards(json).filter((card) => card.text === PROXY_CARD);
    expect(cards.map((card) => ({ space: card.space, proxy: card.proxy, votes: card.votes, proxyVotes: card.proxyVotes }))).toEqual([
      { space: roomId('North'), proxy: true, votes: 1, proxyVotes: 1 },
      { space: 'plenary', proxy: true, votes: 1, proxyVotes: undefined }
    ]);
    expect(recordCards(json).filter((card) => card.proxy).map((card) => card.text)).toEqual([PROXY_CARD, PROXY_CARD]);
    expect(json.workshops[0]!.participants.filter((p) => p.proxy).map((p) => p.name)).toEqual([PROXY_NAME]);
  });

  it('the CSV marks the card on its room’s board and on the plenary, and counts the votes entered for her', async () => {
    const rows = (await csvRows()).filter((row) => row.proxy === 'yes');
    expect(rows.map((row) => [row.text, row.section, row.votes, row.proxy_votes])).toEqual([
      [PROXY_CARD, 'room', '1', '1'],
      [PROXY_CARD, 'plenary', '1', '0']
    ]);
  });

  it.each(['md', 'html', 'docx'] as const)('%s marks the card wherever it is shown', async (format) => {
    const file = await notes(format);
    const text = format === 'docx' ? docxVisibleText(docxParts(file.bytes)['word/document.xml']!) : squash(format === 'md' ? markdownDocument(file.text).body.textContent ?? '' : htmlDocument(file.text).body.textContent ?? '');
    const marked = text.split(PROXY_CARD).slice(1).filter((after) => after.slice(0, 120).includes(PROXY_MARK));
    // The room's board, the plenary, and the room-by-room appendix.
    expect(marked).toHaveLength(3);
    expect(text).toContain('1 vote (1 entered by the facilitator)');
  });
});

describe('one lossless record: export, import, export again', () => {
  let original: Download;
  let imported: CreateWorkshopResponse;

  beforeAll(async () => {
    original = await notes('json');
    const reply = await importRecord(original.text);
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    imported = reply.body;
  });

  it('gives the same record apart from ids and times: plenary, themes, votes and proxy marks included', async () => {
    const again = await notes('json', imported);
    expect((again.json as { version: number }).version).toBe(2);
    expect(normaliseRecord(again.json)).toEqual(normaliseRecord(original.json));
    const cards = recordCards(again.json);
    expect(cards.filter((card) => card.proxy)).toHaveLength(2);
    expect(cards.reduce((sum, card) => sum + (card.proxyVotes ?? 0), 0)).toBe(2);
  });

  it('every notes format of the import reads as the original’s, apart from ids', async () => {
    for (const format of NOTES_FORMAT_NAMES.filter((f) => f !== 'json' && f !== 'docx')) {
      const before = (await notes(format)).text;
      const after = (await notes(format, imported)).text;
      expect(after, format).toBe(before);
    }
  });

  it('the imported workshop knows its plenary: combining again updates the copies instead of doubling them', async () => {
    const token = await facilitatorToken(server.url, imported);
    const socket = await screen(token);
    expect((await controlView(socket)).state.plenaryBoardIds).toEqual([imported.boards[0]!.id, imported.boards[1]!.id]);
    await steer(socket, 'plenary:combine', { boardId: imported.boards[0]!.id });
    const again = await notes('json', imported);
    expect(normaliseRecord(again.json)).toEqual(normaliseRecord(original.json));
  });

  it('an import writes 2,000 participants to the workshop file in one write, not one write each', async () => {
    const record = structuredClone(original.json) as { workshops: { workshop: { title: string }; participants: object[] }[] };
    const title = 'Two thousand people';
    record.workshops[0]!.workshop.title = title;
    const people = Array.from({ length: 2000 }, (_, i) => ({ id: `person${i}`, name: `Person ${i}`, roomId: roomId(['North', 'Central', 'South'][i % 3]!) }));
    record.workshops[0]!.participants = people;
    const writes = vi.spyOn(AtomicJsonFile.prototype, 'write');
    const reply = await importRecord(JSON.stringify(record));
    const written = writes.mock.calls
      .map(([data]) => data as { workshop?: { title: string }; participants?: unknown[] })
      .filter((data) => data.workshop?.title === title)
      .map((data) => data.participants!.length);
    writes.mockRestore();
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    // The file is written when the workshop is created (nobody yet), then once with everyone.
    expect(written.filter((count) => count > 0 && count < people.length)).toEqual([]);
    expect(written.indexOf(people.length)).toBe(1);
    const again = (await notes('json', reply.body)).json as { workshops: { participants: { id: string }[] }[] };
    expect(again.workshops[0]!.participants.map((p) => p.id)).toEqual(people.map((p) => p.id));
  });
});

describe('the record with the workshop’s snapshots', () => {
  type Timeline = { workshops: { snapshots?: { label: string; reason: string; createdAt: number; rooms: { cards: unknown[] }[] }[] }[] };
  const withSnapshots = async (workshop: Pick<CreateWorkshopResponse, 'id' | 'facilitatorKey'>) => {
    const file = await download(server.url, `${notesOf(workshop.id, 'json')}?snapshots=1`, workshop.facilitatorKey);
    expect(file.status, file.text.slice(0, 300)).toBe(200);
    return file;
  };
  /** The record with its timeline limited to the snapshots taken at the given times. */
  const takenAt = (record: unknown, times: Set<number>) => {
    const copy = structuredClone(record) as Timeline;
    for (const w of copy.workshops) w.snapshots = w.snapshots?.filter((s) => times.has(s.createdAt));
    return copy;
  };

  it('?snapshots=1 adds the timeline, and an import brings it back: the same snapshots apart from ids', async () => {
    const taken = await api(server.url, 'POST', `/api/workshops/${riverside.workshop.id}/snapshots`, { label: 'After the plenary vote' }, { authorization: `Bearer ${riverside.facilitatorToken}` });
    expect(taken.status).toBe(201);
    const original = await withSnapshots(riverside.workshop);
    const timeline = (original.json as Timeline).workshops[0]!.snapshots!;
    const manual = timeline.find((s) => s.label === 'After the plenary vote')!;
    expect(manual.rooms.flatMap((room) => room.cards)).toHaveLength(riverside.cards.length + 1);
    expect((await notes('json')).json).not.toHaveProperty('workshops.0.snapshots');

    const reply = await importRecord(original.text);
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    const again = await withSnapshots(reply.body);
    // The import's own saves may add automatic entries of its own; everything the file held is back.
    const imported = (again.json as Timeline).workshops[0]!.snapshots!;
    const times = new Set(timeline.map((s) => s.createdAt));
    expect(imported.filter((s) => !times.has(s.createdAt)).every((s) => s.reason === 'auto')).toBe(true);
    expect(normaliseRecord(takenAt(again.json, times))).toEqual(normaliseRecord(original.json));
    const listed = await api<{ label: string; cardCount: number }[]>(server.url, 'GET', `/api/workshops/${reply.body.id}/snapshots`, undefined, { authorization: `Bearer ${await facilitatorToken(server.url, reply.body)}` });
    expect(listed.body.find((s) => s.label === 'After the plenary vote')?.cardCount).toBe(riverside.cards.length + 1);
  });

  it('a participant may not export the snapshots, even once the notes are shared', async () => {
    await steer(facilitator, 'notes:share', { shared: true });
    const ada = riverside.people.get('Ada Lovelace')!;
    const file = await download(server.url, `${notesOf(riverside.workshop.id, 'json')}?snapshots=1`, ada.token);
    await steer(facilitator, 'notes:share', { shared: false });
    expectErrorBody({ status: file.status, body: file.json, headers: file.headers }, { status: 403, code: 'forbidden' });
  });
});

describe('files of an earlier version, a newer one, and bad fields', () => {
  it('a version-1 export (the format before the record) still imports, and exports as version 2 with the same content, crediting people as the default level allows', async () => {
    const fixture = await readFile(new URL('./fixtures/notes-record-v1.json', import.meta.url), 'utf8');
    const reply = await importRecord(fixture);
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    type Exported = { version: number; workshops: { workshop: { attribution?: string }; rooms: { name: string; cards: { text: string; votes?: number; authorName: string }[] }[]; participants?: { name?: string }[] }[] };
    const again = (await notes('json', reply.body)).json as Exported;
    const before = JSON.parse(fixture) as Exported;
    expect(again.version).toBe(2);
    // A version-1 file names no attribution level, so it comes in at the default: organisation, never names.
    expect(again.workshops[0]!.workshop.attribution).toBe('organisation');
    const content = (record: Exported) => record.workshops[0]!.rooms.map((room) => ({ room: room.name, cards: room.cards.map((card) => [card.text, card.votes]) }));
    expect(content(again)).toEqual(content(before));
    const text = JSON.stringify(again);
    const names = new Set([...(before.workshops[0]!.participants ?? []).map((p) => p.name), ...before.workshops[0]!.rooms.flatMap((room) => room.cards.map((card) => card.authorName))]);
    for (const name of names) if (name && name !== 'Anonymous' && name !== 'Facilitator') expect(text).not.toContain(name);
  });

  it.each([
    ['a newer version', (r: Record<string, unknown>) => (r.version = 3), /version 3, from a newer Goldthread/],
    ['an unknown version', (r: Record<string, unknown>) => (r.version = 'two'), /unknown version/],
    ['no version', (r: Record<string, unknown>) => delete r.version, /unknown version/]
  ])('%s is refused with 400 and a clear message, and nothing is created', async (_, change, message) => {
    const record = (await notes('json')).json as Record<string, unknown>;
    change(record);
    const before = await workshopFiles();
    const reply = await importRecord(JSON.stringify(record));
    expectErrorBody(reply, { status: 400, code: 'validation_failed' });
    expect((reply.body as unknown as { error: { message: string } }).error.message).toMatch(message);
    expect(await workshopFiles()).toEqual(before);
  });

  type Mutable = { workshops: { rooms: { cards: Record<string, unknown>[] }[]; participants: Record<string, unknown>[]; plenary: Record<string, unknown> }[] };
  it.each([
    ['a card text that is a number', (r: Mutable) => (r.workshops[0]!.rooms[0]!.cards[0]!.text = 42), /rooms\[0\]\.cards\[0\]\.text/],
    ['a proxy mark that is a word', (r: Mutable) => (r.workshops[0]!.participants[0]!.proxy = 'yes'), /participants\[0\]\.proxy/],
    ['plenary cards that are not a list', (r: Mutable) => (r.workshops[0]!.plenary.cards = {}), /plenary\.cards/],
    ['more proxy votes than votes', (r: Mutable) => (r.workshops[0]!.rooms[0]!.cards[0]!.proxyVotes = 99), /proxyVotes/],
    ['a plenary card from a room the file lacks', (r: Mutable) => ((r.workshops[0]!.plenary.cards as Record<string, unknown>[])[0]!.sourceRoomId = 'gone'), /no room gone/]
  ])('%s is refused with 400 naming the field, and nothing is created', async (_, change, message) => {
    const record = (await notes('json')).json as Mutable;
    change(record);
    const before = await workshopFiles();
    const reply = await importRecord(JSON.stringify(record));
    expectErrorBody(reply, { status: 400, code: 'validation_failed' });
    expect((reply.body as unknown as { error: { message: string } }).error.message).toMatch(message);
    expect(await workshopFiles()).toEqual(before);
  });
});

