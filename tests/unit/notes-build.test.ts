import { describe, expect, it } from 'vitest';
import { buildNotes, type NotesDocument, type WorkshopNotesInput } from '@goldthread/shared';
import { allCardTexts, makeWorkshopFixture } from './support/notes-fixture.js';

const everyCardText = (doc: NotesDocument) =>
  doc.rooms
    .flatMap((room) => room.boards.flatMap((b) => [...b.themes.flatMap((t) => t.cards), ...b.otherCards]))
    .map((c) => c.text);

const withoutVotes = (input: WorkshopNotesInput): WorkshopNotesInput => ({
  ...input,
  rooms: input.rooms.map((room) => ({
    ...room,
    cards: room.cards.map(({ votes: _votes, ...card }) => card)
  }))
});

describe('buildNotes for a whole workshop', () => {
  const input = makeWorkshopFixture();
  const doc = buildNotes([input], { kind: 'workshop' });

  it('carries the title, date, facilitator and boards with their prompts in order', () => {
    expect(doc.title).toBe('Partnership Workshop');
    expect(doc.dateLabel).toBe('23 November 2026');
    expect(doc.isoDate).toBe('2026-11-23');
    expect(doc.facilitators).toEqual(['Sam Okafor']);
    expect(doc.boards.map((b) => b.title)).toEqual(['Priorities', 'Vision', 'Barriers']);
    expect(doc.boards[0].prompts).toEqual(['What should our three shared priorities be?']);
  });

  it('keeps every card exactly once, room by room', () => {
    expect(everyCardText(doc).sort()).toEqual(allCardTexts(input).sort());
    expect(doc.boards.reduce((sum, b) => sum + b.cardCount, 0)).toBe(allCardTexts(input).length);
  });

  it('counts attendance by room and by sector, merging spellings and counting the unrecorded', () => {
    expect(doc.attendance.total).toBe(10);
    expect(doc.attendance.byRoom.map((r) => [r.room.name, r.count])).toEqual([
      ['North', 3],
      ['Central', 3],
      ['South', 4]
    ]);
    expect(doc.attendance.bySector).toEqual([
      { name: 'Council', count: 3 },
      { name: 'Voluntary and community', count: 3 },
      { name: 'Health', count: 2 },
      { name: 'Police', count: 1 },
      { name: 'Not recorded', count: 1 }
    ]);
    expect(doc.attendance.byOrganisation[0]).toEqual({ name: 'Northshire County Council', count: 3 });
  });

  it('marks a theme named in two rooms as shared and a theme named in one as unique', () => {
    const shared = doc.crossRoom!.shared.map((t) => [t.name, t.rooms.map((r) => r.name)]);
    expect(shared).toContainEqual(['Transport', ['North', 'Central']]);
    expect(shared).toContainEqual(['Mental health', ['Central', 'South']]);
    const unique = doc.crossRoom!.unique.map((t) => [t.name, t.rooms.map((r) => r.name)]);
    expect(unique).toContainEqual(['Housing', ['North']]);
    expect(unique).toContainEqual(['Data sharing', ['North']]);
    expect(doc.crossRoom!.roomCount).toBe(3);
  });

  it('merges themes across rooms by normalised name and adds up their votes', () => {
    const transport = doc.boards[0].themes.find((t) => t.name === 'Transport')!;
    expect(transport.cards.map((c) => c.room.name)).toEqual(['North', 'Central']);
    expect(transport.votes).toBe(9);
    expect(transport.rank).toBe(1);
  });

  it('lists the highest-voted priorities, themes and loose cards alike', () => {
    expect(doc.topPriorities!.basis).toBe('votes');
    expect(doc.topPriorities!.items.map((i) => [i.text, i.votes])).toEqual([
      ['Transport', 9],
      ['Mental health', 8],
      ['Housing', 3]
    ]);
  });

  it('ranks the cards of a voted board without themes, sharing ranks on ties', () => {
    const unthemed = {
      ...input,
      rooms: input.rooms.map((room) => ({ ...room, themes: room.themes?.filter((t) => t.boardId !== 'b-barriers') }))
    };
    const barriers = buildNotes([unthemed], { kind: 'workshop' }).boards[2];
    expect(barriers.otherCards.map((c) => [c.text, c.votes, c.rank])).toEqual([
      ['Data sharing between NHS, council & police', 4, 1],
      ['Staff turnover', 2, 2],
      ['-5', 1, 3],
      ['Pasted from Word\u000bsecond line', undefined, 4],
      ['\tTabbed in from a spreadsheet', undefined, 4]
    ]);
  });

  it('does not rank loose cards beside ranked themes', () => {
    expect(doc.boards[2].themes[0].rank).toBe(1);
    expect(doc.boards[2].otherCards.map((c) => c.rank)).toEqual([undefined, undefined, undefined, undefined]);
  });

  it('puts actions on the card they answer, on the board, and in one list with owners', () => {
    const data = doc.boards[2].themes.find((t) => t.name === 'Data sharing')!;
    expect(data.cards[0].actions).toEqual([
      expect.objectContaining({ text: 'Draft a data-sharing agreement', owner: 'Priya Shah, NHS IG lead' })
    ]);
    expect(doc.boards[2].actions.map((a) => a.text)).toEqual(['=raise at partnership board']);
    expect(doc.actions.map((a) => [a.text, a.owner, a.room?.name])).toEqual([
      ['Draft a data-sharing agreement', 'Priya Shah, NHS IG lead', 'North'],
      ['Ask HR leads for turnover figures', 'Iris Chen', 'South'],
      ['=raise at partnership board', undefined, 'South']
    ]);
  });

  it('labels cards with no author name as Anonymous', () => {
    const card = doc.boards[0].otherCards.find((c) => c.text.startsWith('Youth services'))!;
    expect(card.author).toBe('Anonymous');
  });
});

describe('buildNotes without the optional parts', () => {
  it('dates a workshop with no recorded date by the London day it was created', () => {
    const input = makeWorkshopFixture();
    const { date: _date, ...meta } = input.workshop;
    const lateJune = { ...input, workshop: { ...meta, createdAt: Date.UTC(2026, 5, 30, 23, 30) } };
    const doc = buildNotes([lateJune], { kind: 'workshop' });
    expect(doc.isoDate).toBe('2026-07-01');
    expect(doc.dateLabel).toBe('1 July 2026');
  });

  it('falls back to the first card of each room when nothing was themed or voted', () => {
    const doc = buildNotes([makeWorkshopFixture({ plain: true })], { kind: 'workshop' });
    expect(doc.topPriorities!.basis).toBe('cards');
    expect(doc.topPriorities!.items.map((i) => i.rooms[0].name)).toEqual(['North', 'Central', 'South']);
    expect(doc.crossRoom).toEqual({ roomCount: 3, shared: [], unique: [] });
    expect(doc.attendance.bySector).toEqual([]);
    expect(doc.attendance.total).toBe(9);
    expect(doc.actions).toEqual([]);
    expect(doc.facilitators).toEqual([]);
    expect(doc.boards.every((b) => !b.hasVotes && b.themes.length === 0)).toBe(true);
  });

  it('falls back to the themes with most cards when nothing was voted', () => {
    const doc = buildNotes([withoutVotes(makeWorkshopFixture())], { kind: 'workshop' });
    expect(doc.topPriorities!.basis).toBe('themes');
    expect(doc.topPriorities!.items.map((i) => [i.text, i.cardCount])).toEqual([
      ['Transport', 2],
      ['Mental health', 2],
      ['Housing', 1]
    ]);
    expect(doc.boards[0].otherCards.every((c) => c.rank === undefined)).toBe(true);
  });

  it('has no top priorities when there is no Priorities board', () => {
    const input = makeWorkshopFixture();
    const doc = buildNotes([{ ...input, boards: input.boards.filter((b) => b.kind !== 'priorities') }], {
      kind: 'workshop'
    });
    expect(doc.topPriorities).toBeNull();
  });
});

describe('buildNotes scopes', () => {
  it('room notes hold only that room: its cards, attendance and nothing to compare', () => {
    const input = makeWorkshopFixture();
    const central = input.rooms[1];
    const doc = buildNotes([input], { kind: 'room', roomId: central.id });
    expect(doc.subtitle).toBe('Room: Central');
    expect(everyCardText(doc).sort()).toEqual(central.cards.map((c) => c.text).sort());
    expect(
      doc.boards
        .flatMap((b) => [...b.otherCards, ...b.themes.flatMap((t) => t.cards)])
        .every((c) => c.room.name === 'Central')
    ).toBe(true);
    expect(doc.attendance.total).toBe(3);
    expect(doc.crossRoom).toBeNull();
    expect(doc.source[0].rooms.map((r) => r.name)).toEqual(['Central']);
    expect(doc.source[0].participants!.every((p) => p.roomId === central.id)).toBe(true);
  });

  it('series notes combine workshops in date order and label rooms with their workshop', () => {
    const first = makeWorkshopFixture();
    const second = makeWorkshopFixture({
      id: 'ws-2',
      title: 'Partnership Workshop 2',
      date: '2026-12-07',
      prefix: 'w2-'
    });
    const doc = buildNotes([second, first], { kind: 'series', title: 'Northshire partnership series' });
    expect(doc.title).toBe('Northshire partnership series');
    expect(doc.workshops.map((w) => w.id)).toEqual(['ws-partnership', 'ws-2']);
    expect(doc.dateLabel).toBe('23 November 2026 to 7 December 2026');
    expect(everyCardText(doc).sort()).toEqual(allCardTexts(first, second).sort());
    expect(doc.rooms).toHaveLength(6);
    expect(doc.rooms[3].room.label).toBe('North (Partnership Workshop 2, 7 Dec 2026)');
    expect(doc.boards.map((b) => b.title)).toEqual(['Priorities', 'Vision', 'Barriers']);
    const transport = doc.crossRoom!.shared.find((t) => t.name === 'Transport')!;
    expect(transport.rooms).toHaveLength(4);
    expect(doc.attendance.total).toBe(20);
  });

  it('refuses a scope the input does not hold', () => {
    const a = makeWorkshopFixture();
    const b = makeWorkshopFixture({ id: 'ws-2', prefix: 'w2-' });
    expect(() => buildNotes([a, b], { kind: 'workshop' })).toThrow(/one workshop/);
    expect(buildNotes([a, b], { kind: 'workshop', workshopId: 'ws-2' }).workshops[0].id).toBe('ws-2');
    expect(() => buildNotes([a], { kind: 'room', roomId: 'nowhere' })).toThrow(/No room nowhere/);
    expect(() => buildNotes([], { kind: 'series' })).toThrow(/at least one workshop/);
  });
});
