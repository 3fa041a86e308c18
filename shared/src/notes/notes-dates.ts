import type { NotesWorkshopMeta } from './model.js';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

const londonParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit'
});
const longFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'UTC',
  day: 'numeric',
  month: 'long',
  year: 'numeric'
});
const shortFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'UTC',
  day: 'numeric',
  month: 'short',
  year: 'numeric'
});

/** True for a real calendar date written `YYYY-MM-DD`. */
export function isIsoDate(value: string): boolean {
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.toISOString().slice(0, 10) === value;
}

/** The London date (`YYYY-MM-DD`) of a moment in epoch milliseconds. */
export function londonIsoDate(epochMs: number): string {
  const parts = londonParts.formatToParts(new Date(epochMs));
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/** The day a workshop was held: its recorded date, else the London date of its creation. */
export function workshopIsoDate(meta: Pick<NotesWorkshopMeta, 'createdAt' | 'date'>): string {
  if (meta.date && isIsoDate(meta.date)) return meta.date;
  return londonIsoDate(meta.createdAt);
}

/** The `YYYY-MM-DD` that is `days` after another. */
export function addDays(iso: string, days: number): string {
  const date = utcDate(iso);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

function utcDate(iso: string): Date {
  const [year, month, day] = iso.split('-').map(Number);
  return new Date(Date.UTC(year, month - 1, day));
}

/** "23 November 2026". */
export function longDate(iso: string): string {
  return longFormat.format(utcDate(iso));
}

/** "23 Nov 2026". */
export function shortDate(iso: string): string {
  return shortFormat.format(utcDate(iso));
}

/** One date, or "first to last" for a series held on several days. */
export function dateRangeLabel(isoDates: string[]): string {
  const sorted = [...new Set(isoDates)].sort();
  if (sorted.length === 0) return '';
  if (sorted.length === 1) return longDate(sorted[0]);
  return `${longDate(sorted[0])} to ${longDate(sorted[sorted.length - 1])}`;
}
