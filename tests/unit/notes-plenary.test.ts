import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { Packer } from 'docx';
import { strFromU8, unzipSync } from 'fflate';
import {
  buildNotes,
  parseNotesJson,
  projectRecord,
  renderCsv,
  renderHtml,
  renderJson,
  renderMarkdown,
  workshopRecordSchema,
  type NotesCardInput,
  type WorkshopNotesInput
} from '@goldthread/shared';
import { buildDocx } from '@goldthread/shared/notes-docx';
import { makeWorkshopFixture, squash } from './support/notes-fixture.js';

const PROXY_MARK = 'entered by the facilitator for someone without a device';

/**
 * The fixture workshop after a plenary: Priorities and Vision combined from the three rooms,
 * a plenary theme, and a plenary vote on Priorities with one vote cast for someone without a
 * device. North's first card was itself entered by the facilitator.
 */
function withPlenary(options: { prefix?: string; title?: string; date?: string; id?: string; voted?: boolean } = {}): WorkshopNotesInput {
  const input = makeWorkshopFixture(options);
  const [priorities, vision] = input.boards;
  input.rooms[0]!.cards[0]!.proxy = true;
  input.participants!.push({ id: `${options.prefix ?? ''}u11`, name: 'Mrs Patel', roomId: input.rooms[0]!.id, proxy: true });
  const voted = options.voted ?? true;
  const votes: Record<string, { votes: number; proxyVotes?: number }> = { n1: { votes: 4, proxyVotes: 1 }, c3: { votes: 2 }, s2: { votes: 7 } };
  const cards: NotesCardInput[] = input.rooms.flatMap((room) =>
    room.cards
      .filter((card) => card.boardId === priorities!.id || card.boardId === vision!.id)
      .map((card) => {
        const { votes: _votes, themeId: _theme, ...rest } = card;
        const copy: NotesCardInput = { ...rest, id: `${room.id}-${card.id}`, sourceRoomId: room.id };
        if (voted && card.boardId === priorities!.id) Object.assign(copy, votes[card.id.replace(options.prefix ?? '', '')] ?? { votes: 0 });
        return copy;
      })
  );
  const transport = cards.filter((card) => /bus links|GP surgeries/.test(card.text));
  for (const card of transport) card.themeId = 'pt-transport';
  input.plenary = {
    boardIds: [priorities!.id, vision!.id],
    cards,
    themes: [{ id: 'pt-transport', boardId: priorities!.id, name: 'Getting around', cardIds: transport.map((c) => c.id) }]
  };
  return input;
}

const docxText = async (input: WorkshopNotesInput) => {
  const bytes = await Packer.toBuffer(buildDocx(buildNotes([input], { kind: 'workshop' })));
  const xml = strFromU8(unzipSync(new Uint8Array(bytes))['word/document.xml']!);
  return squash(xml.replace(/<\/w:p>/g, ' ').replace(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>|<[^>]+>/g, (_, t: string | undefined) => t ?? '').replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&apos;/g, "'"));
};

describe('buildNotes with a plenary', () => {
  const doc = buildNotes([withPlenary()], { kind: 'workshop' });

  it('gives the plenary its own section, one board per combined board, each card tagged with its room', () => {
    expect(doc.plenaries).toHaveLength(1);
    const [plenary] = doc.plenaries;
    expect(plenary!.label).toBe('Plenary');
    expect(plenary!.boards.map((b) => b.title)).toEqual(['Priorities', 'Vision']);
    const priorities = plenary!.boards[0]!;
    const loneliness = priorities.otherCards.find((c) => c.text === 'Tackle loneliness')!;
    expect(loneliness).toMatchObject({ votes: 7, room: { name: 'South' } });
    expect(priorities.themes[0]).toMatchObject({ name: 'Getting around', votes: 4 });
    expect(priorities.themes[0]!.rooms.map((r) => r.name)).toEqual(['North', 'Central']);
    expect(plenary!.boards[1]!.hasVotes).toBe(false);
  });

  it('takes the top priorities from the plenary vote', () => {
    expect(doc.topPriorities).toMatchObject({ basis: 'votes', origin: 'plenary' });
    expect(doc.topPriorities!.items.map((i) => [i.text, i.votes])).toEqual([
      ['Tackle loneliness', 7],
      ['Getting around', 4],
      ['Mental health support for young people', 2]
    ]);
  });

  it('keeps the rooms’ votes for their own boards, and ranks by them when the plenary was not voted on', () => {
    expect(doc.boards[0]!.themes.find((t) => t.name === 'Transport')?.votes).toBe(9);
    const unvoted = buildNotes([withPlenary({ voted: false })], { kind: 'workshop' });
    expect(unvoted.topPriorities).toMatchObject({ basis: 'votes', origin: 'rooms' });
    expect(unvoted.plenaries[0]!.boards[0]!.hasVotes).toBe(false);
  });

  it('in a series, ranks by each workshop’s plenary where it voted and by the rooms elsewhere', () => {
    const a = withPlenary({ prefix: 'a-', id: 'ws-a', title: 'Autumn', date: '2026-10-01' });
    const b = makeWorkshopFixture({ prefix: 'b-', id: 'ws-b', title: 'Winter', date: '2026-12-01' });
    const series = buildNotes([a, b], { kind: 'series' });
    expect(series.topPriorities?.origin).toBe('mixed');
    expect(series.plenaries.map((p) => p.label)).toEqual(['Plenary (Autumn, 1 Oct 2026)']);
    // Winter's rooms count (Transport 9, Mental health 8); Autumn's plenary stands for Autumn's rooms,
    // whose Transport votes would otherwise have doubled Winter's.
    expect(series.topPriorities!.items.map((i) => [i.text, i.votes, i.rooms[0]!.workshopId])).toEqual([
      ['Transport', 9, 'ws-b'],
      ['Mental health', 8, 'ws-b'],
      ['Tackle loneliness', 7, 'ws-a']
    ]);
  });

  it('leaves the plenary out of a room’s notes', () => {
    const room = buildNotes([withPlenary()], { kind: 'room', roomId: 'r-north' });
    expect(room.plenaries).toEqual([]);
    expect(room.source[0]).not.toHaveProperty('plenary');
  });

  it('marks proxy cards and proxy votes on the entries', () => {
    const copy = doc.plenaries[0]!.boards[0]!.themes[0]!.cards.find((c) => c.text.includes('bus links'))!;
    expect(copy).toMatchObject({ proxy: true, votes: 4, proxyVotes: 1 });
  });
});

describe('renderers show the plenary and proxy marks', () => {
  const input = withPlenary();
  const doc = buildNotes([input], { kind: 'workshop' });

  it('Markdown: a Plenary heading, its boards below it, room tags and votes on each card', () => {
    const md = renderMarkdown(doc);
    const plenary = md.slice(md.indexOf('\n## Plenary\n'));
    expect(plenary).toMatch(/^\n## Plenary\n\n_Every room's cards on these boards/);
    expect(plenary).toContain('### Priorities');
    expect(plenary).toContain('- Tackle loneliness _(South · 7 votes)_');
    expect(plenary).toContain(`_(North · ${PROXY_MARK} · 4 votes (1 entered by the facilitator))_`);
    expect(md).toContain('_Ranked by the plenary vote on the Priorities board._');
  });

  it('HTML: a plenary section with its heading and the cards’ room tags', () => {
    const html = renderHtml(doc);
    const section = html.slice(html.indexOf('<section class="plenary">'));
    expect(section).toMatch(/^<section class="plenary"><h2>Plenary<\/h2>/);
    expect(section).toContain('<p class="card-text">Tackle loneliness</p><p class="meta">South · 7 votes</p>');
  });

  it('Word: a Plenary heading with its cards and their votes', async () => {
    const text = await docxText(input);
    const plenary = text.slice(text.indexOf("Plenary Every room's cards"));
    expect(plenary.length).toBeLessThan(text.length);
    expect(plenary).toContain('Tackle loneliness (South · 7 votes)');
    expect(plenary).toContain(`(North · ${PROXY_MARK} · 4 votes (1 entered by the facilitator))`);
  });

  it('CSV: plenary rows after the rooms’, with the source room, proxy columns and section', () => {
    const [header, ...rows] = parse(renderCsv(doc), { bom: true }) as string[][];
    const at = (name: string) => header!.indexOf(name);
    const plenary = rows.filter((row) => row[at('section')] === 'plenary');
    const cards = rows.filter((row) => row[at('kind')] === 'card');
    expect(cards.slice(-plenary.length)).toEqual(plenary);
    const bus = plenary.find((row) => row[at('text')]!.includes('bus links'))!;
    expect([bus[at('room')], bus[at('theme')], bus[at('votes')], bus[at('proxy_votes')], bus[at('proxy')]]).toEqual(['North', 'Getting around', '4', '1', 'yes']);
    const roomRow = rows.find((row) => row[at('section')] === 'room' && row[at('text')]!.includes('bus links'))!;
    expect(roomRow[at('proxy')]).toBe('yes');
    expect(plenary.find((row) => row[at('board')] === 'Vision')![at('votes')]).toBe('');
  });
});

describe('the record (renderJson / parseNotesJson)', () => {
  const input = withPlenary();
  const json = renderJson(buildNotes([input], { kind: 'workshop' }));

  it('writes version 2 with the plenary, proxy marks and proxy votes, and reads it back unchanged', () => {
    const parsed = parseNotesJson(json);
    expect(parsed.version).toBe(2);
    expect(parsed.workshops[0]).toEqual(input);
    expect(renderJson(buildNotes(parsed.workshops, parsed.scope))).toBe(json);
  });

  it('writes only what the schema defines, in the schema’s key order', () => {
    const card = { text: 'x', extra: 'dropped', id: 'c1', boardId: 'b', authorId: 'a', authorName: 'A', color: 'blue', createdAt: 1, proxy: true };
    expect(Object.keys(projectRecord(workshopRecordSchema, { workshop: {}, boards: [], rooms: [{ id: 'r', name: 'R', cards: [card] }] }) as object)).toEqual(['workshop', 'boards', 'rooms']);
    const projected = projectRecord(workshopRecordSchema, { workshop: {}, boards: [], rooms: [{ cards: [card], name: 'R', id: 'r' }] }) as { rooms: { cards: object[] }[] };
    expect(Object.keys(projected.rooms[0]!)).toEqual(['id', 'name', 'cards']);
    expect(Object.keys(projected.rooms[0]!.cards[0]!)).toEqual(['id', 'boardId', 'text', 'authorId', 'authorName', 'color', 'createdAt', 'proxy']);
  });

  it('reads a version-1 file as version 2', () => {
    const v1 = JSON.stringify({ ...JSON.parse(renderJson(buildNotes([makeWorkshopFixture()], { kind: 'workshop' }))), version: 1 });
    expect(parseNotesJson(v1).version).toBe(2);
  });

  it.each([
    ['a plenary board the workshop lacks', (j: any) => j.workshops[0].plenary.boardIds.push('b-gone'), /plenary\.boardIds\[2\]: no board b-gone/],
    ['a plenary card on a board not combined', (j: any) => (j.workshops[0].plenary.cards[0].boardId = 'b-barriers'), /plenary\.cards\[0\]\.boardId: no board b-barriers/],
    ['a plenary card from a missing room', (j: any) => (j.workshops[0].plenary.cards[0].sourceRoomId = 'r-gone'), /no room r-gone/],
    ['a plenary theme listing a missing card', (j: any) => j.workshops[0].plenary.themes[0].cardIds.push('zz'), /no card zz on the plenary/],
    ['more proxy votes than votes', (j: any) => (j.workshops[0].rooms[0].cards[1].proxyVotes = 9), /proxyVotes: must not be more than votes/],
    ['a proxy mark that is not true or false', (j: any) => (j.workshops[0].participants[10].proxy = 'yes'), /participants\[10\]\.proxy/]
  ])('refuses %s', (_, change, message) => {
    const value = JSON.parse(json);
    change(value);
    expect(() => parseNotesJson(JSON.stringify(value))).toThrow(message);
  });
});
