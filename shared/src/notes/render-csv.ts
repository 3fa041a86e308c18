import type { NotesBoardSection, NotesCardEntry, NotesDocument } from './document.js';
import { actionStatusLabel, outcomeSubject } from './outcome-labels.js';

/**
 * The CSV header, in column order. Columns were added at the end: `proxy_votes`, `proxy` and
 * `section` for cards entered for people without a device and the plenary; `kind` (`card`,
 * `decision` or `action`), `owner`, `due` (`YYYY-MM-DD`) and `status` for decisions and actions.
 */
export const NOTES_CSV_COLUMNS = [
  'workshop',
  'date',
  'room',
  'board',
  'theme',
  'text',
  'author',
  'votes',
  'proxy_votes',
  'proxy',
  'section',
  'kind',
  'owner',
  'due',
  'status'
] as const;

export interface RenderCsvOptions {
  /**
   * Start with a UTF-8 byte order mark (default true): without it Excel on Windows reads the
   * file as ANSI and mangles names with accents and emoji.
   */
  bom?: boolean;
}

/**
 * Keeps a spreadsheet from reading a cell as a formula (CSV injection): a cell starting with
 * `=`, `+`, `-`, `@`, tab or carriage return gets a leading `'`.
 */
export function neutraliseCsvFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** One RFC 4180 field: quoted when it holds a comma, quote or line break; quotes doubled. */
function field(value: string): string {
  const safe = neutraliseCsvFormula(value);
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** One card's row; `section` says whether it sits on its room's board or on the plenary. */
function cardRow(card: NotesCardEntry, section: 'room' | 'plenary'): string {
  const voted = card.votes !== undefined;
  return [
    card.workshopTitle,
    card.isoDate,
    card.room.name,
    card.boardTitle,
    card.themeName ?? '',
    card.text,
    card.author,
    voted ? String(card.votes) : '',
    voted ? String(card.proxyVotes ?? 0) : '',
    card.proxy ? 'yes' : '',
    section,
    'card',
    '',
    '',
    ''
  ]
    .map(field)
    .join(',');
}

const cardsOf = (board: NotesBoardSection) => [...board.themes.flatMap((theme) => theme.cards), ...board.otherCards];

/**
 * One row per card, room by room and board by board, then the plenary's: workshop, date, room
 * (on the plenary, the room the card came from), board, theme, text, author (or Anonymous),
 * votes (blank when not voted on), proxy_votes (of those, cast by the facilitator for someone
 * without a device), proxy ("yes" when the facilitator entered the card), and section
 * ("room" or "plenary"), kind `card`; then one row per decision and action (see `outcomeRows`).
 * RFC 4180 with CRLF line ends.
 */
export function renderCsv(doc: NotesDocument, options: RenderCsvOptions = {}): string {
  const rows: string[] = [NOTES_CSV_COLUMNS.join(',')];
  for (const section of doc.rooms) {
    for (const board of section.boards) for (const card of cardsOf(board)) rows.push(cardRow(card, 'room'));
  }
  for (const plenary of doc.plenaries) {
    for (const board of plenary.boards) for (const card of cardsOf(board)) rows.push(cardRow(card, 'plenary'));
  }
  rows.push(...outcomeRows(doc).map((row) => row.map(field).join(',')));
  return `${options.bom === false ? '' : '\uFEFF'}${rows.join('\r\n')}\r\n`;
}

/**
 * Decisions, then actions: the room column says where (a room, the plenary or the whole
 * workshop), the theme column what it relates to, the author column is blank.
 */
function outcomeRows(doc: NotesDocument): string[][] {
  return [...doc.decisions, ...doc.actions].map((entry) => {
    const workshop = doc.workshops.find((w) => w.id === entry.workshopId);
    const action = entry.kind === 'action';
    return [
      workshop?.title ?? '',
      workshop?.isoDate ?? doc.isoDate,
      entry.where,
      entry.boardTitle ?? '',
      outcomeSubject(entry),
      entry.text,
      '',
      '',
      '',
      '',
      '',
      entry.kind,
      action ? (entry.owner ?? '') : '',
      action ? (entry.dueDate ?? '') : '',
      action ? actionStatusLabel(entry) : ''
    ];
  });
}
