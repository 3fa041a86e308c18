import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCard, addTheme, moveCardToTheme, readCards, type CreateWorkshopResponse, type JoinResponse } from '@goldthread/shared';
import { api, createWorkshop, facilitatorToken, joinRoom, newServer, type TestServer } from './support/server.js';
import { connectProvider, waitForDoc, within, type ProviderClient } from './support/yjs-clients.js';
import { connected, controlClient, type ControlClient } from './support/control-client.js';
import { addCardOverHttp, command, dataOf, projectorToken } from './support/control-commands.js';
import { expectErrorBody } from './support/error-bodies.js';
import { AWKWARD, buildNotesWorkshop, londonDate, type NotesWorkshop } from './support/notes-workshop.js';
import {
  NOTES_FORMAT_NAMES,
  NOTES_MEDIA_TYPES,
  csvNeutralised,
  csvRecords,
  docxParts,
  docxVisibleText,
  download,
  htmlDocument,
  markdownDocument,
  normaliseNotesJson,
  readableText,
  asWritten,
  squash,
  xmlUnescape,
  type Download,
  type NotesFormatName
} from './support/notes-files.js';

const TITLE = 'Riverside "Health & Housing" partnership — Café 🚌';
const SLUG = 'goldthread-riverside-health-housing-partnership-cafe';
const CSV_HEADER = ['workshop', 'date', 'room', 'board', 'theme', 'text', 'author', 'votes', 'proxy_votes', 'proxy', 'section', 'kind', 'owner', 'due', 'status'];

let server: TestServer;
let riverside: NotesWorkshop;
let date: string;

beforeAll(async () => {
  server = await newServer();
  riverside = await buildNotesWorkshop(server, TITLE);
  date = londonDate(riverside.createdAt);
}, 60_000);

afterAll(async () => {
  riverside?.close();
  await server?.close({ removeData: true });
});

const notesOf = (workshopId: string, format: string, query = '') => `/api/workshops/${workshopId}/notes.${format}${query}`;
const asFacilitator = (format: NotesFormatName, query = '') =>
  download(server.url, notesOf(riverside.workshop.id, format, query), riverside.workshop.facilitatorKey);
const roomId = (workshop: CreateWorkshopResponse, name: string) => workshop.rooms.find((r) => r.name === name)!.id;

/** Asserts a 200 download and says which request failed, with the body, when it is not. */
function expectOk(file: Download, what: string): Download {
  expect(file.status, `${what}: ${file.text.slice(0, 300)}`).toBe(200);
  return file;
}

/** Asserts a refused download carries the JSON error body. */
function expectRefusal(file: Download, status: number, code: 'unauthorized' | 'forbidden' | 'not_found' | 'validation_failed') {
  expectErrorBody({ status: file.status, body: file.json ?? file.text, headers: file.headers }, { status, code });
}

describe('session notes of one workshop, in every format', () => {
  it('Word: the .docx unzips, and word/document.xml holds every card text and the title, markup escaped', async () => {
    const file = expectOk(await asFacilitator('docx'), 'notes.docx');
    const parts = docxParts(file.bytes);
    expect(Object.keys(parts)).toEqual(expect.arrayContaining(['[Content_Types].xml', 'word/document.xml', 'docProps/core.xml']));
    const xml = parts['word/document.xml']!;
    const text = docxVisibleText(xml);
    expect(text).toContain(squash(TITLE));
    for (const card of riverside.cards) expect(text, card.text).toContain(squash(card.text));
    expect(xml).not.toContain('<script>');
    expect(xml).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/);
    expect(xmlUnescape(/<dc:title>([^<]*)<\/dc:title>/.exec(parts['docProps/core.xml']!)?.[1] ?? '')).toBe(TITLE);
  });

  it('CSV: a byte order mark, the agreed header, then one row per card with its room, board, exact text, author or "Anonymous", and votes', async () => {
    const file = expectOk(await asFacilitator('csv'), 'notes.csv');
    // A byte order mark first, so Excel reads UTF-8 (names with accents, emoji).
    expect([...file.bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [header, ...rows] = csvRecords(file.text);
    expect(header).toEqual(CSV_HEADER);
    const expected = riverside.cards.map((card) => [
      TITLE,
      date,
      card.room,
      card.board,
      '',
      csvNeutralised(card.text),
      card.author,
      card.votes === undefined ? '' : String(card.votes),
      card.votes === undefined ? '' : '0',
      '',
      'room',
      'card',
      '',
      '',
      ''
    ]);
    const sorted = (table: string[][]) => table.map((row) => JSON.stringify(row)).sort();
    expect(sorted(rows)).toEqual(sorted(expected));
    // Room by room, in the workshop's order.
    const order = riverside.workshop.rooms.map((room) => room.name);
    const roomIndexes = rows.map((row) => order.indexOf(row[2]!));
    expect(roomIndexes).toEqual([...roomIndexes].sort((a, b) => a - b));
  });

  it('CSV: commas, quotes, line breaks (LF and CRLF) and emoji survive exactly; formula starts are neutralised', async () => {
    const rows = csvRecords(expectOk(await asFacilitator('csv'), 'notes.csv').text).slice(1);
    const texts = rows.map((row) => row[5]);
    for (const text of [AWKWARD.commasAndQuotes, AWKWARD.newlines, AWKWARD.crlf, AWKWARD.emoji, AWKWARD.quotedComma, AWKWARD.accents]) {
      expect(texts).toContain(text);
    }
    expect(texts).toEqual(expect.arrayContaining(["'=SUM(A1)", "'+44 20 7946 0000 helpline nobody answers", "'-5", "'@home care for older people"]));
    // No cell of any column opens with a character a spreadsheet would run as a formula.
    for (const row of rows) for (const cell of row) expect(cell, JSON.stringify(row)).not.toMatch(/^[=+\-@\t\r]/);
    expect(rows.find((row) => row[5] === "'=SUM(A1)")?.[6]).toBe('Anonymous');
  });

  it('Markdown: renders with every card shown literally, and no card becomes a heading, HTML, a link or emphasis', async () => {
    const source = expectOk(await asFacilitator('md'), 'notes.md').text;
    const dom = markdownDocument(source);
    const text = squash(dom.body.textContent ?? '');
    for (const card of riverside.cards) expect(text, card.text).toContain(squash(card.text));
    expect(dom.querySelectorAll('script, b')).toHaveLength(0);
    expect([...dom.querySelectorAll('h1')].map((h) => squash(h.textContent ?? ''))).toEqual([squash(TITLE)]);
    const headings = [...dom.querySelectorAll('h1,h2,h3,h4,h5,h6')].map((h) => h.textContent ?? '');
    // Compared without leading marks: "# not a heading" would become the heading "not a heading".
    for (const card of riverside.cards.filter((c) => c.text.length > 3)) {
      const words = squash(card.text).replace(/^[^\p{L}\p{N}]+/u, '').slice(0, 12);
      expect(headings.filter((h) => h.includes(words)), card.text).toEqual([]);
    }
    expect(headings.some((h) => h.includes('not a heading'))).toBe(false);
    expect([...dom.querySelectorAll('a')].every((a) => a.textContent === a.getAttribute('href'))).toBe(true);
    expect(text).toContain('*everyone*');
  });

  it("HTML: a page with the title, every card, the script shown as text, and each voted card's count", async () => {
    const html = expectOk(await asFacilitator('html'), 'notes.html').text;
    const document = htmlDocument(html);
    expect(squash(document.querySelector('h1')?.textContent ?? '')).toBe(squash(TITLE));
    expect(document.querySelectorAll('script, b')).toHaveLength(0);
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    const text = squash(document.body.textContent ?? '');
    for (const card of riverside.cards) expect(text, card.text).toContain(squash(card.text));
    for (const card of riverside.cards.filter((c) => c.votes !== undefined)) {
      const items = [...document.querySelectorAll('li.card')].filter(
        (li) => squash(li.querySelector('.card-text')?.textContent ?? '') === squash(card.text)
      );
      expect(items.length, card.text).toBeGreaterThan(0);
      const label = `${card.votes} ${card.votes === 1 ? 'vote' : 'votes'}`;
      for (const li of items) expect(li.querySelector('.meta')?.textContent ?? '', card.text).toContain(label);
    }
  });

  it('JSON: holds every card with its author and votes; importing it and exporting again gives the same notes apart from ids and times', async () => {
    const original = expectOk(await asFacilitator('json'), 'notes.json');
    const notes = original.json as { format: string; version: number; workshops: { rooms: { name: string; cards: { id: string; text: string; authorName: string; votes?: number }[] }[] }[] };
    expect(notes).toMatchObject({ format: 'goldthread-notes', version: 2 });
    const exported = notes.workshops[0]!.rooms.flatMap((room) => room.cards.map((card) => ({ ...card, room: room.name })));
    expect(exported).toHaveLength(riverside.cards.length);
    for (const card of riverside.cards) {
      const found = exported.find((c) => c.id === card.id);
      expect(found, card.text).toMatchObject({ text: card.text, room: card.room, authorName: card.author });
      expect(found?.votes, card.text).toBe(card.votes);
    }

    const imported = await api<CreateWorkshopResponse>(server.url, 'POST', '/api/import', original.text);
    expect(imported.status, JSON.stringify(imported.body)).toBe(201);
    expect(imported.body).toEqual({
      id: expect.any(String),
      title: TITLE,
      joinCode: expect.any(String),
      facilitatorKey: expect.any(String),
      rooms: riverside.workshop.rooms.map((room) => ({ id: expect.any(String), name: room.name })),
      boards: riverside.workshop.boards.map(({ id: _id, ...board }) => ({ id: expect.any(String), ...board })),
      details: riverside.workshop.details,
      attribution: 'named'
    });
    expect(imported.body.id).not.toBe(riverside.workshop.id);

    const again = expectOk(await download(server.url, notesOf(imported.body.id, 'json'), imported.body.facilitatorKey), 'the import’s notes.json');
    expect(normaliseNotesJson(again.json)).toEqual(normaliseNotesJson(original.json));
  });
});

describe('how the notes are sent', () => {
  it.each(NOTES_FORMAT_NAMES)('%s comes as an attachment with a safe ASCII file name, its media type, and no caching', async (format) => {
    const file = expectOk(await asFacilitator(format), `notes.${format}`);
    expect(file.headers.get('content-type') ?? '').toMatch(new RegExp(`^${NOTES_MEDIA_TYPES[format].replace(/[.+]/g, '\\$&')}\\b`));
    const disposition = file.headers.get('content-disposition') ?? '';
    expect(disposition).toBe(`attachment; filename="${SLUG}-${date}.${format}"`);
    expect(disposition).toMatch(/^[\x20-\x7e]+$/);
    expect(file.headers.get('cache-control')).toBe('no-store');
  });

  it('?room= limits every format to that room, and names the room in the file name', async () => {
    const central = riverside.cards.filter((card) => card.room === 'Central');
    // Short texts such as "-5" occur inside dates and labels, so only distinctive ones are looked for as absent.
    const elsewhere = riverside.cards.filter((card) => card.room !== 'Central' && card.text.length >= 12);
    const query = `?room=${roomId(riverside.workshop, 'Central')}`;
    for (const format of NOTES_FORMAT_NAMES) {
      const file = expectOk(await asFacilitator(format, query), `notes.${format}${query}`);
      expect(file.headers.get('content-disposition')).toBe(`attachment; filename="${SLUG}-central-${date}.${format}"`);
      if (format === 'csv') expect(csvRecords(file.text).slice(1).map((row) => row[2])).toEqual(central.map(() => 'Central'));
      if (format === 'json') {
        expect((file.json as { workshops: { rooms: { name: string }[] }[] }).workshops[0]!.rooms.map((room) => room.name)).toEqual(['Central']);
      }
      const text = readableText(format, file);
      for (const card of central) expect(text, `${format}: ${card.text}`).toContain(asWritten(format, card.text));
      for (const card of elsewhere) expect(text, `${format}: ${card.text}`).not.toContain(asWritten(format, card.text));
    }
  });

  it('?room= naming no room of the workshop answers 404 with a JSON error', async () => {
    expectRefusal(await asFacilitator('md', '?room=no-such-room'), 404, 'not_found');
  });

  it('an unknown format answers 404 with a JSON error', async () => {
    for (const format of ['pdf', 'exe', 'MD', 'docx.exe']) {
      expectRefusal(await asFacilitator(format as NotesFormatName), 404, 'not_found');
    }
    const combined = await download(server.url, `/api/notes.pdf?workshops=${riverside.workshop.id}`, riverside.workshop.facilitatorKey);
    expectRefusal(combined, 404, 'not_found');
  });
});

describe('who may download the notes', () => {
  let workshop: CreateWorkshopResponse;
  let facilitator: string;
  let participant: JoinResponse;
  let other: { workshop: CreateWorkshopResponse; facilitator: string; participant: JoinResponse };
  let screen: ControlClient;
  const get = (credential?: string, format: NotesFormatName = 'md') => download(server.url, notesOf(workshop.id, format), credential);

  beforeAll(async () => {
    workshop = await createWorkshop(server.url, { title: 'Access rules workshop' });
    facilitator = await facilitatorToken(server.url, workshop);
    participant = await joinRoom(server.url, workshop, 'North', 'Ada');
    await addCardOverHttp(server.url, workshop.id, participant.roomId, participant.token, workshop.boards[0]!.id, 'Only for the people here');
    const otherWorkshop = await createWorkshop(server.url, { title: 'Another workshop' });
    other = {
      workshop: otherWorkshop,
      facilitator: await facilitatorToken(server.url, otherWorkshop),
      participant: await joinRoom(server.url, otherWorkshop, 'North', 'Eve')
    };
    screen = controlClient(server.url, { token: facilitator }, ['websocket']);
    await connected(screen);
  });
  afterAll(() => {
    screen?.close();
  });

  it('without a credential, or with one that is not a token, the answer is 401 with a JSON error', async () => {
    expectRefusal(await get(), 401, 'unauthorized');
    expectRefusal(await get('not-a-real-token'), 401, 'unauthorized');
  });

  it('the facilitator key and a facilitator session token both download', async () => {
    for (const credential of [workshop.facilitatorKey, facilitator]) {
      for (const format of NOTES_FORMAT_NAMES) {
        const file = expectOk(await get(credential, format), `notes.${format}`);
        expect(file.text.length).toBeGreaterThan(0);
      }
    }
  });

  it('a participant gets 403 until the facilitator shares the notes, 200 after, and 403 again once sharing stops', async () => {
    expectRefusal(await get(participant.token), 403, 'forbidden');
    dataOf(await command(screen, 'notes:share', { shared: true }), 'notes:share');
    for (const format of NOTES_FORMAT_NAMES) expectOk(await get(participant.token, format), `shared notes.${format}`);
    expect(squash(markdownDocument((await get(participant.token)).text).body.textContent ?? '')).toContain('Only for the people here');
    dataOf(await command(screen, 'notes:share', { shared: false }), 'notes:share');
    expectRefusal(await get(participant.token), 403, 'forbidden');
  });

  it('the projector never downloads the notes, shared or not', async () => {
    const projector = await projectorToken(server.url, workshop.id, facilitator);
    expectRefusal(await get(projector), 403, 'forbidden');
    dataOf(await command(screen, 'notes:share', { shared: true }), 'notes:share');
    try {
      expectRefusal(await get(projector), 403, 'forbidden');
    } finally {
      dataOf(await command(screen, 'notes:share', { shared: false }), 'notes:share');
    }
  });

  it("another workshop's tokens get 403, and its facilitator key does not open this workshop", async () => {
    expectRefusal(await get(other.facilitator), 403, 'forbidden');
    expectRefusal(await get(other.participant.token), 403, 'forbidden');
    const key = await get(other.workshop.facilitatorKey);
    expect([401, 403]).toContain(key.status);
    expectRefusal(key, key.status, key.status === 401 ? 'unauthorized' : 'forbidden');
  });
});

describe('combined notes of a series', () => {
  let eastside: CreateWorkshopResponse;
  let eastsideToken: string;
  let eastsideParticipant: JoinResponse;
  const eastsideCards = ['Eastside: skate park, "lit" at night', '=HYPERLINK("http://x.test")'];
  const ids = () => `${riverside.workshop.id},${eastside.id}`;

  beforeAll(async () => {
    eastside = await createWorkshop(server.url, { title: 'Eastside youth forum' });
    eastsideToken = await facilitatorToken(server.url, eastside);
    eastsideParticipant = await joinRoom(server.url, eastside, 'South', 'Sam Green');
    for (const text of eastsideCards) {
      await addCardOverHttp(server.url, eastside.id, eastsideParticipant.roomId, eastsideParticipant.token, eastside.boards[1]!.id, text);
    }
  });

  it("with both facilitator keys, every format holds both workshops' cards", async () => {
    const keys = `${riverside.workshop.facilitatorKey},${eastside.facilitatorKey}`;
    const csv = expectOk(await download(server.url, `/api/notes?workshops=${ids()}&format=csv`, keys), 'combined csv');
    const [header, ...rows] = csvRecords(csv.text);
    expect(header).toEqual(CSV_HEADER);
    expect(rows).toHaveLength(riverside.cards.length + eastsideCards.length);
    expect(new Set(rows.map((row) => row[0]))).toEqual(new Set([TITLE, 'Eastside youth forum']));
    const texts = rows.map((row) => row[5]);
    for (const text of [...riverside.cards.map((c) => c.text), ...eastsideCards]) expect(texts).toContain(csvNeutralised(text));

    for (const format of NOTES_FORMAT_NAMES) {
      const file = expectOk(await download(server.url, `/api/notes.${format}?workshops=${ids()}`, keys), `combined ${format}`);
      expect(file.headers.get('content-disposition') ?? '').toMatch(/^attachment; filename="goldthread-[a-z0-9-]+\.[a-z]+"$/);
      expect(file.headers.get('cache-control')).toBe('no-store');
      if (format === 'json') expect((file.json as { workshops: unknown[] }).workshops).toHaveLength(2);
      const text = readableText(format, file);
      for (const card of [...riverside.cards.map((c) => c.text), ...eastsideCards]) expect(text, `${format}: ${card}`).toContain(asWritten(format, card));
    }
  });

  it('facilitator session tokens work too, in any order', async () => {
    const tokens = `${eastsideToken},${riverside.facilitatorToken}`;
    const md = expectOk(await download(server.url, `/api/notes.md?workshops=${ids()}`, tokens), 'combined md with tokens');
    const text = squash(markdownDocument(md.text).body.textContent ?? '');
    expect(text).toContain(squash(TITLE));
    expect(text).toContain('Eastside youth forum');
  });

  it("without the key of every workshop the answer is 403 with a JSON error", async () => {
    const route = `/api/notes?workshops=${ids()}&format=md`;
    for (const credential of [
      riverside.workshop.facilitatorKey,
      eastside.facilitatorKey,
      `${riverside.workshop.facilitatorKey},${eastsideParticipant.token}`,
      `${riverside.workshop.facilitatorKey},not-a-key`,
      `${riverside.facilitatorToken},${riverside.workshop.facilitatorKey}`
    ]) {
      expectRefusal(await download(server.url, route, credential), 403, 'forbidden');
    }
  });
});

describe('importing a notes export', () => {
  it.each([
    ['text that is not JSON', 'definitely, not JSON'],
    ['an empty body', ''],
    ['JSON that is not a notes export', '{"hello":"world"}'],
    ['a JSON array', '[1,2,3]'],
    ['JSON null', 'null']
  ])('%s is refused with 400 and a JSON error', async (_what, body) => {
    const reply = await api(server.url, 'POST', '/api/import', body);
    expectErrorBody(reply, { status: 400, code: ['validation_failed', 'invalid_json', 'bad_request'] });
  });

  it('a notes export with a wrong version, a broken reference, or several workshops is refused with 400', async () => {
    const original = (await asFacilitator('json')).json as Record<string, unknown> & { workshops: { rooms: { cards: { boardId: string }[] }[] }[] };
    const newer = { ...original, version: 99 };
    const broken = structuredClone(original);
    broken.workshops[0]!.rooms[0]!.cards[0]!.boardId = 'no-such-board';
    const twice = { ...original, scope: { kind: 'series' }, workshops: [original.workshops[0], original.workshops[0]] };
    for (const body of [newer, broken, twice]) {
      const reply = await api(server.url, 'POST', '/api/import', JSON.stringify(body));
      expectErrorBody(reply, { status: 400, code: ['validation_failed', 'invalid_json', 'bad_request'] });
    }
  });
});

describe('cards grouped into themes', () => {
  let workshop: CreateWorkshopResponse;
  const clients: ProviderClient[] = [];
  let screen: ControlClient;
  const THEME = 'Transport, "buses" & trains';
  const grouped = 'Night buses after 11pm';
  const loose = 'A youth council with a budget';

  beforeAll(async () => {
    workshop = await createWorkshop(server.url, { title: 'Themes workshop' });
    const token = await facilitatorToken(server.url, workshop);
    screen = controlClient(server.url, { token }, ['websocket']);
    await connected(screen);
    const board = workshop.boards[0]!.id;
    const ada = await joinRoom(server.url, workshop, 'North', 'Ada');
    const adaDoc = connectProvider(server.wsUrl, workshop.id, ada.roomId, ada.token);
    const watcher = connectProvider(server.wsUrl, workshop.id, ada.roomId, token);
    clients.push(adaDoc, watcher);
    await within(Promise.all([adaDoc.synced, watcher.synced]), 5000, 'sync');
    const cardId = addCard(adaDoc.doc, { boardId: board, text: grouped, authorId: ada.participantId, authorName: 'Ada' });
    addCard(adaDoc.doc, { boardId: board, text: loose, authorId: ada.participantId, authorName: 'Ada' });
    dataOf(await command(screen, 'phase:set', { boardId: board, phase: 'group' }), 'phase:set group');
    const themeId = addTheme(adaDoc.doc, board, THEME);
    moveCardToTheme(adaDoc.doc, cardId, themeId);
    await waitForDoc(watcher.doc, (doc) => readCards(doc).some((c) => c.themeId === themeId), 5000, 'the grouped card at the facilitator');
  });
  afterAll(() => {
    for (const client of clients.splice(0)) client.destroy();
    screen?.close();
  });

  const get = (format: NotesFormatName) => download(server.url, notesOf(workshop.id, format), workshop.facilitatorKey);

  it("the CSV names a grouped card's theme, and leaves it blank for a loose card", async () => {
    const rows = csvRecords(expectOk(await get('csv'), 'notes.csv').text).slice(1);
    expect(rows.find((row) => row[5] === grouped)?.[4]).toBe(THEME);
    expect(rows.find((row) => row[5] === loose)?.[4]).toBe('');
  });

  it('the Markdown shows the theme as a heading over its card', async () => {
    const dom = markdownDocument(expectOk(await get('md'), 'notes.md').text);
    expect([...dom.querySelectorAll('h3,h4')].map((h) => h.textContent)).toContain(THEME);
  });

  it('the JSON export of a grouped workshop imports, and the import keeps the card in its theme', async () => {
    const original = expectOk(await get('json'), 'notes.json');
    const imported = await api<CreateWorkshopResponse>(server.url, 'POST', '/api/import', original.text);
    expect(imported.status, JSON.stringify(imported.body)).toBe(201);
    const again = await download(server.url, notesOf(imported.body.id, 'json'), imported.body.facilitatorKey);
    expect(normaliseNotesJson(again.json)).toEqual(normaliseNotesJson(original.json));
  });
});
