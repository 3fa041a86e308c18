import { describe, expect, it } from 'vitest';
import { NotesJsonError, buildNotes, parseNotesJson, renderJson, type NotesScope } from '@goldthread/shared';
import { makeWorkshopFixture } from './support/notes-fixture.js';

const first = makeWorkshopFixture();
const second = makeWorkshopFixture({ id: 'ws-2', title: 'Partnership Workshop 2', date: '2026-12-07', prefix: 'w2-' });
const cases: [string, NotesScope, ReturnType<typeof makeWorkshopFixture>[]][] = [
  ['a workshop', { kind: 'workshop' }, [first]],
  ['one room', { kind: 'room', roomId: 'r-south' }, [first]],
  ['a series', { kind: 'series', title: 'Northshire series' }, [second, first]],
  ['a workshop with nothing optional', { kind: 'workshop' }, [makeWorkshopFixture({ plain: true })]]
];

const mutate = (change: (json: any) => void) => {
  const json = JSON.parse(renderJson(buildNotes([first], { kind: 'workshop' })));
  change(json);
  return JSON.stringify(json);
};

describe('renderJson and parseNotesJson', () => {
  it.each(cases)('render, parse and render again gives the same file for %s', (_, scope, inputs) => {
    const json = renderJson(buildNotes(inputs, scope));
    const parsed = parseNotesJson(json);
    expect(renderJson(buildNotes(parsed.workshops, parsed.scope))).toBe(json);
  });

  it('recreates the workshop: the same notes are built from the import', () => {
    const doc = buildNotes([first], { kind: 'workshop' });
    const parsed = parseNotesJson(renderJson(doc));
    expect(parsed.format).toBe('goldthread-notes');
    expect(parsed.version).toBe(2);
    expect(parsed.workshops).toEqual([first]);
    expect(buildNotes(parsed.workshops, parsed.scope)).toEqual(doc);
  });

  it('keeps authors, colours, times, themes, votes, actions and participants', () => {
    const json = JSON.parse(renderJson(buildNotes([first], { kind: 'workshop' })));
    const north = json.workshops[0].rooms[0];
    expect(north.cards[0]).toEqual({
      id: 'n1',
      boardId: 'b-priorities',
      text: 'Better bus links to the hospital 🚌',
      authorId: 'u-ada-lovelace',
      authorName: 'Ada Lovelace',
      color: 'blue',
      createdAt: Date.UTC(2026, 10, 23, 9, 31),
      themeId: 't-n-transport',
      votes: 5
    });
    expect(north.themes[1]).toEqual({ id: 't-n-housing', boardId: 'b-priorities', name: 'Housing', cardIds: ['n2'] });
    expect(north.actions[0]).toEqual({
      text: 'Draft a data-sharing agreement',
      owner: 'Priya Shah, NHS IG lead',
      cardId: 'n7'
    });
    expect(json.workshops[0].participants[0]).toEqual({
      id: 'u1',
      name: 'Ada Lovelace',
      roomId: 'r-north',
      organisation: 'Northshire County Council',
      sector: 'Council'
    });
  });

  it.each([
    ['text that is not JSON', '{"format": "goldthread-notes",', /not valid JSON/],
    ['another kind of JSON', '{"hello": "world"}', /not a Goldthread notes file/],
    ['a newer version', mutate((j) => (j.version = 3)), /version 3, from a newer Goldthread/],
    ['a version that is not a number', mutate((j) => (j.version = '2')), /unknown version/],
    [
      'a card on a missing board',
      mutate((j) => (j.workshops[0].rooms[0].cards[0].boardId = 'b-gone')),
      /workshops\[0\]\.rooms\[0\]\.cards\[0\]\.boardId: no board b-gone/
    ],
    [
      'a card without text',
      mutate((j) => delete j.workshops[0].rooms[1].cards[2].text),
      /workshops\[0\]\.rooms\[1\]\.cards\[2\]\.text/
    ],
    ['an unknown colour', mutate((j) => (j.workshops[0].rooms[0].cards[0].color = 'black')), /cards\[0\]\.color/],
    [
      'a theme listing a missing card',
      mutate((j) => j.workshops[0].rooms[0].themes[0].cardIds.push('zz')),
      /no card zz in this room/
    ],
    [
      'a participant in a missing room',
      mutate((j) => (j.workshops[0].participants[0].roomId = 'r-gone')),
      /participants\[0\]\.roomId: no room r-gone/
    ],
    [
      'a scope naming a missing room',
      mutate((j) => (j.scope = { kind: 'room', roomId: 'r-gone' })),
      /scope: names a room or workshop/
    ],
    ['negative votes', mutate((j) => (j.workshops[0].rooms[0].cards[0].votes = -1)), /votes/]
  ])('rejects %s with a clear NotesJsonError', (_, text, message) => {
    expect(() => parseNotesJson(text)).toThrow(NotesJsonError);
    expect(() => parseNotesJson(text)).toThrow(message);
  });

  it('ignores fields it does not know, so later versions can add some', () => {
    const parsed = parseNotesJson(mutate((j) => (j.workshops[0].rooms[0].cards[0].reactions = ['👍'])));
    expect(parsed.workshops[0].rooms[0].cards[0]).not.toHaveProperty('reactions');
  });
});
