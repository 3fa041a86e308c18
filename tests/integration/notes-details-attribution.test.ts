import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AttributionLevel, CreateWorkshopResponse } from '@goldthread/shared';
import { api, createWorkshop, facilitatorToken, newServer, type TestServer } from './support/server.js';
import { addCardOverHttp } from './support/control-commands.js';
import { buildNotesWorkshop, type NotesWorkshop } from './support/notes-workshop.js';
import {
  NOTES_FORMAT_NAMES,
  docxParts,
  docxVisibleText,
  download,
  htmlDocument,
  markdownDocument,
  squash,
  type Download,
  type NotesFormatName
} from './support/notes-files.js';

/** Surnames of everyone the notes workshop admits (see support/notes-workshop.ts). */
const SURNAMES = ['Lovelace', "O'Neill", 'Clarke', 'Patel', 'Shah'];

const DETAILS = {
  date: '2027-01-07',
  startTime: '18:00',
  endTime: '20:00',
  venue: 'Riverside Community Centre',
  facilitators: ['Sam Lee'],
  purpose: 'What should the partnership do first about loneliness?',
  partners: ['Riverside Council', 'NHS Riverside'],
  links: [{ title: 'Loneliness survey results', url: 'https://example.org/survey' }]
};

let server: TestServer;
const built = new Map<AttributionLevel, NotesWorkshop>();

beforeAll(async () => {
  server = await newServer();
  for (const level of ['named', 'organisation', 'anonymous'] as const) {
    const workshop = await buildNotesWorkshop(server, `Attribution ${level}`, { ...DETAILS, attribution: level });
    built.set(level, workshop);
  }
  // The rooms met on three successive Thursdays, each somewhere else.
  const named = built.get('named')!;
  const token = named.facilitatorToken;
  const [north, central, south] = named.workshop.rooms;
  const rooms = [
    { id: north!.id, date: '2027-01-07', venue: 'North Library', host: 'Amir Khan' },
    { id: central!.id, date: '2027-01-14', venue: 'Town Hall' },
    { id: south!.id, date: '2027-01-21', venue: 'South Leisure Centre' }
  ];
  const patched = await api(server.url, 'PATCH', `/api/workshops/${named.workshop.id}`, { rooms }, { authorization: `Bearer ${token}` });
  if (patched.status !== 200) throw new Error(`setting the rooms' details failed: ${patched.status} ${JSON.stringify(patched.body)}`);
}, 120_000);

afterAll(async () => {
  for (const workshop of built.values()) workshop.close();
  await server?.close({ removeData: true });
});

const notes = (workshop: CreateWorkshopResponse, format: NotesFormatName) =>
  download(server.url, `/api/workshops/${workshop.id}/notes.${format}`, workshop.facilitatorKey);

/** Everything a reader of the file can see: the rendered text of Word, Markdown and HTML; all of a CSV or JSON file. */
function everything(format: NotesFormatName, file: Download): string {
  switch (format) {
    case 'docx':
      return docxVisibleText(docxParts(file.bytes)['word/document.xml'] ?? '');
    case 'md':
      return squash(markdownDocument(file.text).body.textContent ?? '');
    case 'html':
      return squash(htmlDocument(file.text).body.textContent ?? '');
    case 'csv':
    case 'json':
      return file.text;
  }
}

async function allFormats(workshop: CreateWorkshopResponse): Promise<[NotesFormatName, string][]> {
  const files: [NotesFormatName, string][] = [];
  for (const format of NOTES_FORMAT_NAMES) {
    const file = await notes(workshop, format);
    expect(file.status, `notes.${format}: ${file.text.slice(0, 200)}`).toBe(200);
    files.push([format, everything(format, file)]);
  }
  return files;
}

describe('the workshop’s details in the notes', () => {
  it('every notes format but CSV carries the date, time, venue, facilitator, purpose, partners and material shared', async () => {
    for (const [format, text] of await allFormats(built.get('organisation')!.workshop)) {
      if (format === 'csv') {
        // One row a card: the date column is the day the card's room met.
        expect(text).toContain('2027-01-07');
        continue;
      }
      for (const expected of [
        format === 'json' ? '2027-01-07' : '7 January 2027',
        DETAILS.venue,
        'Sam Lee',
        DETAILS.purpose,
        'Riverside Council',
        'NHS Riverside',
        'Loneliness survey results',
        'https://example.org/survey'
      ]) {
        expect(text, `${expected} in notes.${format}`).toContain(format === 'json' ? JSON.stringify(expected).slice(1, -1) : expected);
      }
      if (format !== 'json') expect(text, `notes.${format}`).toMatch(/18:00 to 20:00/);
    }
  });

  it('says which room met when and where, and the CSV dates each card by its room', async () => {
    const named = built.get('named')!;
    for (const [format, text] of await allFormats(named.workshop)) {
      if (format === 'csv') {
        const south = text.split('\r\n').filter((row) => row.includes(',South,'));
        expect(south.length).toBeGreaterThan(0);
        for (const row of south) expect(row).toContain('2027-01-21');
        continue;
      }
      if (format === 'json') {
        const json = JSON.parse(text) as { workshops: { rooms: { name: string; details?: unknown }[] }[] };
        expect(json.workshops[0]!.rooms.map((room) => room.details)).toEqual([
          { date: '2027-01-07', venue: 'North Library', host: 'Amir Khan' },
          { date: '2027-01-14', venue: 'Town Hall' },
          { date: '2027-01-21', venue: 'South Leisure Centre' }
        ]);
        continue;
      }
      expect(text, `notes.${format}`).toContain('North: 7 January 2027, North Library, hosted by Amir Khan');
      expect(text, `notes.${format}`).toContain('Central: 14 January 2027, Town Hall');
      expect(text, `notes.${format}`).toContain('South: 21 January 2027, South Leisure Centre');
      expect(text, `notes.${format}`).toContain('7 January 2027 to 21 January 2027');
    }
  });
});

describe('attribution in every kept output', () => {
  it('under "named", people’s names appear on their cards in every format', async () => {
    for (const [format, text] of await allFormats(built.get('named')!.workshop)) {
      for (const surname of ['Lovelace', 'Shah']) expect(text, `${surname} in notes.${format}`).toContain(surname);
    }
  });

  it.each(['organisation', 'anonymous'] as const)('under "%s", no participant’s name appears in any notes format, CSV or JSON', async (level) => {
    const workshop = built.get(level)!;
    for (const [format, text] of await allFormats(workshop.workshop)) {
      for (const surname of SURNAMES) expect(text, `${surname} in notes.${format} under ${level}`).not.toContain(surname);
      expect(text, `notes.${format}`).toContain(workshop.cards[0]!.text.slice(0, 20));
    }
  });

  it('under "organisation" a card shows its author’s organisation and sector; under "anonymous" neither', async () => {
    for (const level of ['organisation', 'anonymous'] as const) {
      const workshop = await createWorkshop(server.url, { title: `Credited by ${level}`, attribution: level });
      const board = workshop.boards[1]!;
      const joined = await api<{ token: string; roomId: string }>(server.url, 'POST', '/api/join', {
        code: workshop.joinCode,
        name: 'Halima Begum',
        organisation: 'Riverside Youth Trust',
        sector: 'Voluntary & community',
        roomId: workshop.rooms[0]!.id
      });
      // Cards may be added over HTTP while the board has not started.
      await addCardOverHttp(server.url, workshop.id, joined.body.roomId, joined.body.token, board.id, 'More youth workers after school');
      for (const [format, text] of await allFormats(workshop)) {
        expect(text, `notes.${format}`).not.toContain('Halima');
        expect(text, `notes.${format}`).not.toContain('Begum');
        if (level === 'organisation' && format !== 'json') {
          expect(text, `notes.${format} under organisation`).toContain('Riverside Youth Trust (Voluntary & community)');
        } else if (level === 'organisation') expect(text).toContain('Riverside Youth Trust');
        else expect(text, `notes.${format} under anonymous`).not.toContain('Riverside Youth Trust');
      }
    }
  });

  it('a change of level applies from then on: someone who joined under "organisation" is not named later', async () => {
    const workshop = await createWorkshop(server.url, { title: 'Level changes', attribution: 'organisation' });
    const token = await facilitatorToken(server.url, workshop);
    const board = workshop.boards[0]!;
    const join = (name: string) =>
      api<{ token: string; roomId: string }>(server.url, 'POST', '/api/join', { code: workshop.joinCode, name, roomId: workshop.rooms[0]!.id });
    const early = (await join('Early Arrival')).body;
    await addCardOverHttp(server.url, workshop.id, early.roomId, early.token, board.id, 'Written before the change');
    const changed = await api(server.url, 'PATCH', `/api/workshops/${workshop.id}`, { attribution: 'named' }, { authorization: `Bearer ${token}` });
    expect(changed.status).toBe(200);
    const late = (await join('Late Comer')).body;
    await addCardOverHttp(server.url, workshop.id, late.roomId, late.token, board.id, 'Written after the change');
    await addCardOverHttp(server.url, workshop.id, early.roomId, early.token, board.id, 'Early again, after the change');
    for (const [format, text] of await allFormats(workshop)) {
      expect(text, `notes.${format}`).toContain('Late Comer');
      expect(text, `notes.${format}`).not.toContain('Early Arrival');
    }
  });
});
