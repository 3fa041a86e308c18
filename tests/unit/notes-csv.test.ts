import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { buildNotes, renderCsv } from '@goldthread/shared';
import { TRICKY_TEXTS, allCardTexts, makeWorkshopFixture } from './support/notes-fixture.js';

const HEADER = ['workshop', 'date', 'room', 'board', 'theme', 'text', 'author', 'votes', 'proxy_votes', 'proxy', 'section', 'kind', 'owner', 'due', 'status'];
const neutralised = (text: string) => (/^[=+\-@\t\r]/.test(text) ? `'${text}` : text);
const records = (csv: string) => parse(csv, { bom: true }) as string[][];
const cardRows = (rows: string[][]) => rows.filter((row) => row[HEADER.indexOf('kind')] === 'card');

describe('renderCsv', () => {
  const input = makeWorkshopFixture();
  const csv = renderCsv(buildNotes([input], { kind: 'workshop' }));
  const [header, ...rows] = records(csv);
  const rowFor = (text: string) => rows.find((row) => row[5] === neutralised(text));

  it('starts with a byte order mark and exactly the agreed header, and ends lines with CRLF', () => {
    expect(csv.startsWith('\uFEFFworkshop,date,room,board,theme,text,author,votes,proxy_votes,proxy,section,kind,owner,due,status\r\n')).toBe(true);
    expect(header).toEqual(HEADER);
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(renderCsv(buildNotes([input], { kind: 'workshop' }), { bom: false }).startsWith('workshop,')).toBe(true);
  });

  it('has one row per card, and every card text survives a real CSV parser', () => {
    expect(cardRows(rows)).toHaveLength(allCardTexts(input).length);
    expect(rows.every((row) => row.length === HEADER.length)).toBe(true);
    for (const text of allCardTexts(input)) expect(rowFor(text), text).toBeDefined();
  });

  it('round-trips commas, quotes, line breaks and emoji exactly', () => {
    for (const text of [
      TRICKY_TEXTS.commasAndQuotes,
      TRICKY_TEXTS.newlines,
      TRICKY_TEXTS.crlf,
      TRICKY_TEXTS.emoji,
      TRICKY_TEXTS.accents
    ]) {
      expect(rowFor(text)?.[5]).toBe(text);
    }
  });

  it('neutralises cells a spreadsheet would read as formulas', () => {
    const texts = rows.map((row) => row[5]);
    expect(texts).toContain("'=SUM(A1)");
    expect(texts).toContain("'+44 20 7946 0000 helpline nobody answers");
    expect(texts).toContain("'-5");
    expect(texts).toContain("'@home care for older people");
    expect(texts).toContain("'\tTabbed in from a spreadsheet");
    expect(rows.flat().every((cell) => !/^[=+\-@\t\r]/.test(cell))).toBe(true);
  });

  it('fills workshop, date, room, board, theme, author (or Anonymous) and votes', () => {
    expect(rowFor(TRICKY_TEXTS.emoji)).toEqual([
      'Partnership Workshop',
      '2026-11-23',
      'North',
      'Priorities',
      'Transport',
      TRICKY_TEXTS.emoji,
      'Ada Lovelace',
      '5',
      '0',
      '',
      'room',
      'card',
      '',
      '',
      ''
    ]);
    expect(rowFor(TRICKY_TEXTS.newlines)?.[6]).toBe('Anonymous');
    expect(rowFor(TRICKY_TEXTS.script)?.[7]).toBe('');
    expect(rowFor('Transport to GP surgeries')?.[4]).toBe('transport');
  });

  it('neutralises formulas in names as well as card text', () => {
    const hostile = makeWorkshopFixture();
    hostile.workshop.title = '=HYPERLINK("http://evil.test","Click")';
    hostile.rooms[0].name = '@North';
    hostile.rooms[0].cards[0].authorName = '-2+3';
    const [, first] = records(renderCsv(buildNotes([hostile], { kind: 'workshop' })));
    expect(first.slice(0, 3)).toEqual([`'=HYPERLINK("http://evil.test","Click")`, '2026-11-23', "'@North"]);
    expect(first[6]).toBe("'-2+3");
  });

  it('covers only the room for room notes, and both workshops for a series', () => {
    const room = cardRows(records(renderCsv(buildNotes([input], { kind: 'room', roomId: 'r-central' }))).slice(1));
    expect(room.map((row) => row[2])).toEqual(Array(input.rooms[1].cards.length).fill('Central'));
    const second = makeWorkshopFixture({
      id: 'ws-2',
      title: 'Partnership Workshop 2',
      date: '2026-12-07',
      prefix: 'w2-'
    });
    const series = cardRows(records(renderCsv(buildNotes([input, second], { kind: 'series' }))).slice(1));
    expect(series).toHaveLength(allCardTexts(input, second).length);
    expect(new Set(series.map((row) => `${row[0]} ${row[1]}`))).toEqual(
      new Set(['Partnership Workshop 2026-11-23', 'Partnership Workshop 2 2026-12-07'])
    );
  });
});
