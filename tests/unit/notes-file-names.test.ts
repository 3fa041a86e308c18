import { describe, expect, it } from 'vitest';
import { buildNotes, notesFileName, notesFileNameFor } from '@goldthread/shared';
import { makeWorkshopFixture } from './support/notes-fixture.js';

const SAFE = /^[a-z0-9]+(-[a-z0-9]+)*\.[a-z0-9]+$/;

describe('notesFileName', () => {
  it('names notes goldthread-<title>-<date>.<ext>', () => {
    expect(notesFileName('Partnership Workshop', 'md', '2026-11-23')).toBe(
      'goldthread-partnership-workshop-2026-11-23.md'
    );
  });

  it.each([
    ['../../etc/passwd <script>', 'goldthread-etc-passwd-script-2026-11-23.docx'],
    ['Café & Co: Año Nuevo 🚌', 'goldthread-cafe-co-ano-nuevo-2026-11-23.docx'],
    ['CON', 'goldthread-con-2026-11-23.docx'],
    ['   ', 'goldthread-notes-2026-11-23.docx'],
    ['Goldthread pilot', 'goldthread-pilot-2026-11-23.docx'],
    ['"quoted"\r\nname\u0000', 'goldthread-quoted-name-2026-11-23.docx']
  ])('makes %j safe', (title, expected) => {
    expect(notesFileName(title, 'docx', '2026-11-23')).toBe(expected);
  });

  it('cleans the extension, drops an invalid date, and reads epoch milliseconds as a London date', () => {
    expect(notesFileName('Notes', '.HTML', '2026-11-23')).toBe('goldthread-notes-2026-11-23.html');
    expect(notesFileName('Notes', 'csv', '2026-02-30')).toBe('goldthread-notes.csv');
    expect(notesFileName('Notes', 'csv', '23/11/2026; rm -rf')).toBe('goldthread-notes.csv');
    expect(notesFileName('Notes', 'csv', Date.UTC(2026, 5, 30, 23, 30))).toBe('goldthread-notes-2026-07-01.csv');
  });

  it('keeps long titles short, cut at a word', () => {
    const name = notesFileName('A very long workshop title '.repeat(10), 'md', '2026-11-23');
    expect(name).toMatch(SAFE);
    expect(name.length).toBeLessThanOrEqual('goldthread-'.length + 60 + '-2026-11-23.md'.length);
    expect(name).toMatch(/-title-2026|-long-2026|-workshop-2026|-very-2026|-a-2026/);
  });

  it('names room notes after the room and series notes after their first date', () => {
    const first = makeWorkshopFixture();
    expect(notesFileNameFor(buildNotes([first], { kind: 'room', roomId: 'r-central' }), 'html')).toBe(
      'goldthread-partnership-workshop-central-2026-11-23.html'
    );
    const second = makeWorkshopFixture({ id: 'ws-2', date: '2026-12-07', prefix: 'w2-' });
    expect(notesFileNameFor(buildNotes([second, first], { kind: 'series' }), 'csv')).toBe(
      'goldthread-combined-workshop-notes-2026-11-23.csv'
    );
  });
});
