import { strFromU8, unzipSync } from 'fflate';
import { parse } from 'csv-parse/sync';
import MarkdownIt from 'markdown-it';
import { parseHTML } from 'linkedom';

/** The notes formats the server offers, with the media types it must send. */
export const NOTES_MEDIA_TYPES = {
  md: 'text/markdown',
  html: 'text/html',
  csv: 'text/csv',
  json: 'application/json',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'
} as const;
export type NotesFormatName = keyof typeof NOTES_MEDIA_TYPES;
export const NOTES_FORMAT_NAMES = Object.keys(NOTES_MEDIA_TYPES) as NotesFormatName[];

/** A downloaded file: status, headers, raw bytes, and the bytes as UTF-8 text. */
export interface Download {
  status: number;
  headers: Headers;
  bytes: Uint8Array;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
}

/** GETs a route with an optional `Authorization: Bearer` credential and keeps the body as bytes. */
export async function download(base: string, route: string, credential?: string): Promise<Download> {
  const response = await fetch(`${base}${route}`, {
    headers: credential === undefined ? {} : { authorization: `Bearer ${credential}` }
  });
  const bytes = new Uint8Array(await response.arrayBuffer());
  const text = new TextDecoder().decode(bytes);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, bytes, text, json };
}

/** Collapses runs of whitespace, for comparing text whose line breaks a format reflows. */
export function squash(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Undoes XML escaping: the five named entities and numeric character references. */
export function xmlUnescape(text: string): string {
  return text.replace(/&(?:#x([0-9a-f]+)|#(\d+)|(amp|lt|gt|quot|apos));/gi, (_, hex: string, dec: string, name: string) =>
    hex ? String.fromCodePoint(parseInt(hex, 16)) : dec ? String.fromCodePoint(Number(dec)) : XML_ENTITIES[name.toLowerCase()]!
  );
}

/** The parts of a .docx package, as text by name; throws when the bytes are not a zip. */
export function docxParts(bytes: Uint8Array): Record<string, string> {
  return Object.fromEntries(Object.entries(unzipSync(bytes)).map(([name, data]) => [name, strFromU8(data)]));
}

/** The visible text of word/document.xml: the runs' text, with breaks and paragraph ends as spaces. */
export function docxVisibleText(documentXml: string): string {
  const text = documentXml
    .replace(/<w:br\/>|<w:tab\/>|<\/w:p>/g, ' ')
    .replace(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>|<[^>]+>/g, (_, t: string | undefined) => (t === undefined ? '' : xmlUnescape(t)));
  return squash(text);
}

/** CSV records as a standard parser reads them (a leading byte order mark is allowed). */
export function csvRecords(csv: string): string[][] {
  return parse(csv, { bom: true, relax_column_count: false }) as string[][];
}

/** What a spreadsheet-safe CSV writes for a cell: a leading `'` before a formula-like start. */
export function csvNeutralised(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

// The most permissive CommonMark renderer: raw HTML allowed, so the notes' escaping alone must keep it out.
const markdown = new MarkdownIt({ html: true, linkify: true });

/** Markdown rendered to HTML and parsed into a DOM. */
export function markdownDocument(source: string) {
  return htmlDocument(`<!doctype html><html><body>${markdown.render(source)}</body></html>`);
}

/** An HTML page parsed into a DOM (no scripts run). */
export function htmlDocument(html: string) {
  return parseHTML(html).document;
}

/**
 * A notes JSON export with what differs between two copies of the same workshop replaced by
 * stable names: the workshop, room and board ids (by position, so references keep matching)
 * and the workshop's creation time and date. Card ids, authors, texts, times and votes stay.
 */
export function normaliseNotesJson(value: unknown): unknown {
  const notes = structuredClone(value) as {
    scope: { workshopId?: string; roomId?: string };
    workshops: {
      workshop: { id: string; createdAt: number; date?: string };
      boards: { id: string }[];
      rooms: { id: string; cards: { boardId: string }[]; themes?: { boardId: string }[]; actions?: { boardId?: string }[] }[];
      participants?: { roomId: string }[];
    }[];
  };
  notes.workshops.forEach((entry, w) => {
    const boards = new Map(entry.boards.map((board, i) => [board.id, `workshop-${w}/board-${i}`]));
    const rooms = new Map(entry.rooms.map((room, i) => [room.id, `workshop-${w}/room-${i}`]));
    const board = (id: string) => boards.get(id) ?? `unknown board ${id}`;
    const room = (id: string) => rooms.get(id) ?? `unknown room ${id}`;
    if (notes.scope.workshopId === entry.workshop.id) notes.scope.workshopId = `workshop-${w}`;
    if (notes.scope.roomId && rooms.has(notes.scope.roomId)) notes.scope.roomId = room(notes.scope.roomId);
    entry.workshop.id = `workshop-${w}`;
    entry.workshop.createdAt = 0;
    delete entry.workshop.date;
    for (const b of entry.boards) b.id = board(b.id);
    for (const r of entry.rooms) {
      r.id = room(r.id);
      for (const card of r.cards) card.boardId = board(card.boardId);
      for (const theme of r.themes ?? []) theme.boardId = board(theme.boardId);
      for (const action of r.actions ?? []) if (action.boardId) action.boardId = board(action.boardId);
    }
    for (const person of entry.participants ?? []) person.roomId = room(person.roomId);
  });
  return notes;
}

/**
 * What a downloaded notes file says, squashed, as a reader of that format sees it: the rendered
 * text of Word, Markdown and HTML; the text column of the CSV; every card text of the JSON.
 */
export function readableText(format: NotesFormatName, file: Download): string {
  switch (format) {
    case 'docx':
      return docxVisibleText(docxParts(file.bytes)['word/document.xml'] ?? '');
    case 'md':
      return squash(markdownDocument(file.text).body.textContent ?? '');
    case 'html':
      return squash(htmlDocument(file.text).body.textContent ?? '');
    case 'csv':
      return squash(csvRecords(file.text).slice(1).map((row) => row[5]).join(' '));
    case 'json': {
      const json = file.json as { workshops: { rooms: { cards: { text: string }[] }[] }[] };
      return squash(json.workshops.flatMap((w) => w.rooms.flatMap((room) => room.cards.map((card) => card.text))).join(' '));
    }
  }
}

/** A card text as a format holds it: a CSV cell neutralises a formula start, the others keep it as written. */
export function asWritten(format: NotesFormatName, text: string): string {
  return squash(format === 'csv' ? csvNeutralised(text) : text);
}
