import type { NotesDocument } from './document.js';
import { actionStatusLabel, outcomeSubject } from './outcome-labels.js';

/**
 * The CSV header, in column order. The last four were added for decisions and actions: `kind`
 * is `card`, `decision` or `action`; owner, due date (`YYYY-MM-DD`) and status are the action's.
 */
export const NOTES_CSV_COLUMNS = ['workshop', 'date', 'room', 'board', 'theme', 'text', 'author', 'votes', 'kind', 'owner', 'due', 'status'] as const;

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

/**
 * One row per card (room by room, board by board): workshop, date, room, board, theme, text,
 * author (or Anonymous), votes (blank when not voted on), kind `card`; then one row per
 * decision and action (see `outcomeRows`). RFC 4180 with CRLF line ends.
 */
export function renderCsv(doc: NotesDocument, options: RenderCsvOptions = {}): string {
  const rows: string[] = [NOTES_CSV_COLUMNS.join(',')];
  for (const section of doc.rooms) {
    for (const board of section.boards) {
      const cards = [...board.themes.flatMap((theme) => theme.cards), ...board.otherCards];
      for (const card of cards) {
        rows.push(
          [
            card.workshopTitle,
            card.isoDate,
            card.room.name,
            card.boardTitle,
            card.themeName ?? '',
            card.text,
            card.author,
            card.votes === undefined ? '' : String(card.votes),
            'card',
            '',
            '',
            ''
          ]
            .map(field)
            .join(',')
        );
      }
    }
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
      entry.kind,
      action ? (entry.owner ?? '') : '',
      action ? (entry.dueDate ?? '') : '',
      action ? actionStatusLabel(entry) : ''
    ];
  });
}
