import { CARD_COLORS, DEFAULT_CARD_COLOR, isCardColor } from '../model/defaults.js';
import type { NotesActionEntry, NotesBoardSection, NotesCardEntry, NotesCount, NotesDocument } from './document.js';
import {
  EMPTY_SECTION_TEXT,
  SECTION_TITLES,
  cardMeta,
  metaLines,
  plenaryIntro,
  priorityBasisSentence,
  priorityMeta,
  roomsLabel,
  showsRooms,
  themeMeta
} from './notes-labels.js';
import { ACTION_COLUMNS, DECISION_COLUMNS, OUTCOME_TITLES, actionCells, decisionCells, outcomeLabel } from './outcome-labels.js';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ENTITIES[char]);
}

/** Escapes user text for display: other line separators become newlines, control characters go. */
function e(text: string): string {
  return escapeHtml(text.replace(/[\v\f\u2028\u2029]/g, '\n').replace(/[\u0000-\u0008\u000E-\u001F\u007F]/g, ''));
}

const CARD_COLOR_CSS = CARD_COLORS.map((c) => `.card-${c.id}{border-left-color:${c.background}}`).join('');

// Print first: A4 pages, the appendix on a new page, no card or table row split across pages.
const STYLE = `
:root{color-scheme:light}
body{font-family:"Segoe UI",Arial,Helvetica,sans-serif;font-size:12pt;line-height:1.45;color:#1a1a1a;max-width:48rem;margin:2rem auto;padding:0 1rem}
h1{font-size:1.9em;margin:0 0 .2em}
h2{font-size:1.45em;margin:1.6em 0 .4em;border-bottom:2px solid #8a6d1f;padding-bottom:.15em}
h3{font-size:1.2em;margin:1.2em 0 .3em}
h4{font-size:1.05em;margin:1em 0 .3em}
h5{font-size:1em;margin:.8em 0 .2em}
.subtitle{font-size:1.1em;margin:0 0 .8em;color:#444}
.facts{display:grid;grid-template-columns:max-content 1fr;gap:.15em 1em;margin:0 0 1em}
.facts dt{font-weight:600}.facts dd{margin:0}
.prompt{font-style:italic;border-left:3px solid #ccc;margin:.3em 0 .8em;padding:.1em .8em;white-space:pre-line}
.meta,.note{color:#444;font-size:.92em}
.note{font-style:italic}
ul.cards{list-style:none;padding:0;margin:.3em 0 .8em}
.card{border:1px solid #c8c8c8;border-left:8px solid ${CARD_COLORS[0].background};border-radius:3px;padding:.35em .6em;margin:0 0 .4em}
${CARD_COLOR_CSS}
.card-text{margin:0;white-space:pre-line;overflow-wrap:anywhere}
.card .meta{margin:.15em 0 0}
.card-actions{margin:.3em 0 0;padding-left:1.2em}
table{border-collapse:collapse;width:100%;margin:.4em 0 1em}
caption{text-align:left;font-weight:600;padding:.2em 0}
th,td{border:1px solid #bbb;padding:.3em .5em;text-align:left;vertical-align:top;overflow-wrap:break-word}
tbody th{font-weight:400}
table.counts{width:auto;min-width:50%}
thead th{background:#f1ede3}
td.number,th.number{text-align:right}
@page{size:A4;margin:18mm 16mm 20mm}
@media print{
body{font-size:11pt;max-width:none;margin:0;padding:0}
.appendix{break-before:page}
h2,h3,h4,h5{break-after:avoid}
.card,tr,.prompt,ol.priorities li{break-inside:avoid}
thead{display:table-header-group}
.card,thead th{-webkit-print-color-adjust:exact;print-color-adjust:exact}
}`;

type Show = { room: boolean; author: boolean };
type Column = { label: string; numeric?: boolean };

/** A table whose first cell heads each row; every value is escaped here. */
function table(
  columns: Column[],
  rows: (string | number)[][],
  options: { caption?: string; total?: number; className?: string } = {}
): string {
  const cls = (column: Column | undefined) => (column?.numeric ? ' class="number"' : '');
  const row = (cells: (string | number)[]) =>
    `<tr>${cells
      .map((cell, i) =>
        i === 0 ? `<th scope="row">${e(String(cell))}</th>` : `<td${cls(columns[i])}>${e(String(cell))}</td>`
      )
      .join('')}</tr>`;
  const head = columns.map((column) => `<th scope="col"${cls(column)}>${e(column.label)}</th>`).join('');
  return [
    options.className ? `<table class="${options.className}">` : '<table>',
    options.caption ? `<caption>${e(options.caption)}</caption>` : '',
    `<thead><tr>${head}</tr></thead>`,
    `<tbody>${rows.map(row).join('')}</tbody>`,
    options.total === undefined ? '' : `<tfoot>${row(['Total', options.total])}</tfoot>`,
    '</table>'
  ].join('');
}

function countTable(caption: string, heading: string, counts: NotesCount[]): string {
  const rows = counts.map((c) => [c.name, c.count]);
  return table([{ label: heading }, { label: 'People', numeric: true }], rows, { caption, className: 'counts' });
}

function actionItems(actions: NotesActionEntry[]): string {
  return actions.map((action) => `<li>${e(outcomeLabel(action))}</li>`).join('');
}

function cardList(cards: NotesCardEntry[], show: Show): string {
  const items = cards.map((card) => {
    const color = isCardColor(card.color) ? card.color : DEFAULT_CARD_COLOR;
    const meta = cardMeta(card, show);
    const actions = card.actions.length ? `<ul class="card-actions">${actionItems(card.actions)}</ul>` : '';
    const metaLine = meta ? `<p class="meta">${e(meta)}</p>` : '';
    return `<li class="card card-${color}"><p class="card-text">${e(card.text)}</p>${metaLine}${actions}</li>`;
  });
  return `<ul class="cards">${items.join('')}</ul>`;
}

function boardSection(board: NotesBoardSection, level: number, show: Show): string {
  const h = `h${level}`;
  const sub = `h${level + 1}`;
  const parts = [`<${h}>${e(board.title)}</${h}>`];
  for (const prompt of board.prompts) parts.push(`<p class="prompt">${e(prompt)}</p>`);
  if (board.cardCount === 0 && board.themes.length === 0) parts.push(`<p class="note">${EMPTY_SECTION_TEXT.board}</p>`);
  for (const theme of board.themes) {
    parts.push(`<${sub}>${e(theme.name)}</${sub}>`, `<p class="meta">${e(themeMeta(theme, show.room))}</p>`);
    if (theme.cards.length) parts.push(cardList(theme.cards, show));
  }
  if (board.otherCards.length) {
    if (board.themes.length) parts.push(`<${sub}>${SECTION_TITLES.otherCards}</${sub}>`);
    parts.push(cardList(board.otherCards, show));
  }
  if (board.actions.length) {
    parts.push(`<p><strong>${OUTCOME_TITLES.onBoard}</strong></p><ul>${actionItems(board.actions)}</ul>`);
  }
  return `<section class="board">${parts.join('\n')}</section>`;
}

function attendanceSection(doc: NotesDocument): string {
  const { attendance } = doc;
  const parts = [`<h2>${SECTION_TITLES.attendance}</h2>`];
  if (attendance.total === 0) parts.push(`<p class="note">${EMPTY_SECTION_TEXT.attendance}</p>`);
  else {
    const rows = attendance.byRoom.map((row) => [row.room.label, row.count]);
    const columns = [{ label: 'Room' }, { label: 'People', numeric: true }];
    parts.push(table(columns, rows, { caption: 'People by room', total: attendance.total, className: 'counts' }));
    if (attendance.bySector.length) parts.push(countTable('People by sector', 'Sector', attendance.bySector));
    if (attendance.byOrganisation.length) {
      parts.push(countTable('People by organisation', 'Organisation', attendance.byOrganisation));
    }
  }
  return `<section>${parts.join('\n')}</section>`;
}

function crossRoomSection(doc: NotesDocument): string {
  const cross = doc.crossRoom;
  if (!cross || cross.shared.length + cross.unique.length === 0) return '';
  const columns = [
    { label: 'Theme' },
    { label: 'Board' },
    { label: 'Rooms' },
    { label: 'Cards', numeric: true },
    { label: 'Votes', numeric: true }
  ];
  const themeTable = (heading: string, themes: typeof cross.shared, empty: string) => {
    if (!themes.length) return `<h3>${heading}</h3><p class="note">${empty}</p>`;
    const rows = themes.map((t) => [t.name, t.boardTitle, roomsLabel(t.rooms), t.cardCount, t.votes ?? '']);
    return `<h3>${heading}</h3>${table(columns, rows)}`;
  };
  return [
    `<section><h2>${SECTION_TITLES.crossRoom}</h2>`,
    themeTable(SECTION_TITLES.shared, cross.shared, EMPTY_SECTION_TEXT.shared),
    themeTable(SECTION_TITLES.unique, cross.unique, EMPTY_SECTION_TEXT.unique),
    '</section>'
  ].join('\n');
}

function actionsSection(doc: NotesDocument): string {
  const parts: string[] = [];
  if (doc.decisions.length) {
    const columns = DECISION_COLUMNS.map((label) => ({ label }));
    parts.push(`<section><h2>${OUTCOME_TITLES.decisions}</h2>${table(columns, doc.decisions.map(decisionCells))}</section>`);
  }
  if (doc.actions.length) {
    const columns = ACTION_COLUMNS.map((label) => ({ label }));
    parts.push(`<section><h2>${OUTCOME_TITLES.actions}</h2>${table(columns, doc.actions.map(actionCells))}</section>`);
  }
  return parts.join('\n');
}

function topPrioritiesSection(doc: NotesDocument, rooms: boolean): string {
  if (!doc.topPriorities) return '';
  const items = doc.topPriorities.items.map((item) => {
    const meta = priorityMeta(item, rooms);
    return `<li><span class="card-text">${e(item.text)}</span>${meta ? ` <span class="meta">(${e(meta)})</span>` : ''}</li>`;
  });
  return [
    `<section><h2>${SECTION_TITLES.topPriorities}</h2>`,
    `<p class="note">${e(priorityBasisSentence(doc.topPriorities, rooms))}</p>`,
    items.length
      ? `<ol class="priorities">${items.join('')}</ol>`
      : `<p class="note">${EMPTY_SECTION_TEXT.priorities}</p>`,
    '</section>'
  ].join('\n');
}

function plenarySections(doc: NotesDocument): string[] {
  return doc.plenaries.map((plenary) =>
    [
      `<section class="plenary"><h2>${e(plenary.label)}</h2><p class="note">${e(plenaryIntro(plenary.boards.length))}</p>`,
      ...plenary.boards.map((board) => boardSection(board, 3, { room: true, author: false })),
      '</section>'
    ].join('\n')
  );
}

function appendixSection(doc: NotesDocument): string {
  const sections = doc.rooms.map((section) => {
    const facts = [`People: ${section.participantCount}`];
    if (section.organisations.length) facts.push(`Organisations: ${section.organisations.join(', ')}`);
    const boards = section.boards.map((board) => boardSection(board, 4, { room: false, author: true }));
    return [
      `<section class="room"><h3>${e(section.room.label)}</h3><p class="meta">${e(facts.join('. '))}</p>`,
      ...boards,
      '</section>'
    ].join('\n');
  });
  return `<section class="appendix"><h2>${SECTION_TITLES.appendix}</h2>\n${sections.join('\n')}</section>`;
}

/**
 * Session notes as one standalone HTML5 page (en-GB) with inline print CSS, so the browser's
 * Print to PDF gives clean A4 pages. All user text is escaped; a CSP forbids any script.
 */
export function renderHtml(doc: NotesDocument): string {
  const rooms = showsRooms(doc);
  const facts = metaLines(doc)
    .map((line) => `<dt>${e(line.label)}</dt><dd>${e(line.value)}</dd>`)
    .join('');
  const body = [
    `<header><h1>${e(doc.title)}</h1><p class="subtitle">${e(doc.subtitle)}</p><dl class="facts">${facts}</dl></header>`,
    '<main>',
    attendanceSection(doc),
    topPrioritiesSection(doc, rooms),
    ...doc.boards.map((board) => boardSection(board, 2, { room: rooms, author: false })),
    ...plenarySections(doc),
    crossRoomSection(doc),
    actionsSection(doc),
    rooms ? appendixSection(doc) : '',
    '</main>'
  ];

  return `<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${e(doc.title)} – session notes</title>
<style>${STYLE}
</style>
</head>
<body>
${body.filter(Boolean).join('\n')}
</body>
</html>
`;
}
