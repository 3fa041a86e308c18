import type { NotesDocument } from './document.js';
import { isIsoDate, londonIsoDate } from './notes-dates.js';

const MAX_SLUG = 60;

/** Lower-case ASCII words joined by hyphens: accents are dropped, everything else is a separator. */
function slug(text: string): string {
  const words = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return words.length > MAX_SLUG ? words.slice(0, MAX_SLUG).replace(/-[^-]*$/, '') || words.slice(0, MAX_SLUG) : words;
}

/**
 * A safe ASCII file name such as `goldthread-partnership-workshop-2026-11-23.md`.
 * `date` is `YYYY-MM-DD` or epoch milliseconds (taken as the London date); an invalid date is left out.
 */
export function notesFileName(title: string, ext: string, date?: string | number): string {
  const extension = ext.toLowerCase().replace(/[^a-z0-9]/g, '') || 'txt';
  const day =
    typeof date === 'number'
      ? Number.isFinite(date)
        ? londonIsoDate(date)
        : ''
      : date && isIsoDate(date)
        ? date
        : '';
  const name = ['goldthread', slug(title.replace(/^\s*goldthread\b/i, '')) || 'notes', day].filter(Boolean).join('-');
  return `${name}.${extension}`;
}

/** The file name for a notes document: its title, the room for room notes, and its first date. */
export function notesFileNameFor(doc: NotesDocument, ext: string): string {
  const room = doc.scope.kind === 'room' ? ` ${doc.rooms[0]?.room.name ?? ''}` : '';
  return notesFileName(`${doc.title}${room}`, ext, doc.isoDate);
}
