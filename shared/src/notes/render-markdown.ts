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

const SPECIAL = /[\\`*_[\]<>#|~&]/g;

function escapeLine(line: string): string {
  return line
    .trim()
    .replace(SPECIAL, '\\$&')
    .replace(/^[-+=]/, '\\$&')
    .replace(/^(\d+)([.)])/, '$1\\$2');
}

/**
 * Escapes user text so Markdown shows it literally: no headings, lists, links, HTML or
 * emphasis. Line breaks become hard breaks, continued with `indent` (to stay in a list item).
 */
export function escapeMarkdown(text: string, indent = ''): string {
  return text
    .split(/\r\n|\r|\n|\v|\f|\u2028|\u2029/)
    .map(escapeLine)
    .filter((line) => line !== '')
    .join(`\\\n${indent}`);
}

/** Escapes user text for a place that must stay on one line (headings, table cells). */
function md(text: string): string {
  return escapeLine(text.replace(/\s+/g, ' '));
}

function table(headers: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.map((cell) => cell || ' ').join(' | ')} |`;
  return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n');
}

function countTable(heading: string, counts: NotesCount[]): string {
  return table(
    [heading, 'People'],
    counts.map((count) => [md(count.name), String(count.count)])
  );
}

function cardList(cards: NotesCardEntry[], show: { room: boolean; author: boolean }): string {
  return cards
    .map((card) => {
      const meta = cardMeta(card, show);
      const actions = card.actions.map((action) => `\n  - ${md(outcomeLabel(action))}`).join('');
      return `- ${escapeMarkdown(card.text, '  ') || ' '}${meta ? ` _(${md(meta)})_` : ''}${actions}`;
    })
    .join('\n');
}

function actionList(actions: NotesActionEntry[]): string {
  return actions.map((action) => `- ${md(outcomeLabel(action))}`).join('\n');
}

function boardBlocks(board: NotesBoardSection, level: number, show: { room: boolean; author: boolean }): string[] {
  const h = '#'.repeat(level);
  const blocks = [`${h} ${md(board.title)}`];
  for (const prompt of board.prompts) blocks.push(`> ${escapeMarkdown(prompt, '> ')}`);
  if (board.cardCount === 0 && board.themes.length === 0) blocks.push(`_${EMPTY_SECTION_TEXT.board}_`);
  for (const theme of board.themes) {
    blocks.push(`${h}# ${md(theme.name)}`, `_${md(themeMeta(theme, show.room))}_`);
    if (theme.cards.length) blocks.push(cardList(theme.cards, show));
  }
  if (board.otherCards.length) {
    if (board.themes.length) blocks.push(`${h}# ${SECTION_TITLES.otherCards}`);
    blocks.push(cardList(board.otherCards, show));
  }
  if (board.actions.length) blocks.push(`**${OUTCOME_TITLES.onBoard}**`, actionList(board.actions));
  return blocks;
}

/** Session notes as Markdown (CommonMark with GFM tables); all user text is escaped. */
export function renderMarkdown(doc: NotesDocument): string {
  const rooms = showsRooms(doc);
  const blocks: string[] = [`# ${md(doc.title)}`, `_${md(doc.subtitle)}_`];
  blocks.push(
    metaLines(doc)
      .map((line) => `- **${line.label}:** ${md(line.value)}`)
      .join('\n')
  );

  const { attendance } = doc;
  blocks.push(`## ${SECTION_TITLES.attendance}`);
  if (attendance.total === 0) blocks.push(`_${EMPTY_SECTION_TEXT.attendance}_`);
  else {
    const rows = attendance.byRoom.map((row) => [md(row.room.label), String(row.count)]);
    blocks.push(table(['Room', 'People'], [...rows, ['**Total**', `**${attendance.total}**`]]));
    if (attendance.bySector.length)
      blocks.push(`### ${SECTION_TITLES.bySector}`, countTable('Sector', attendance.bySector));
    if (attendance.byOrganisation.length) {
      blocks.push(`### ${SECTION_TITLES.byOrganisation}`, countTable('Organisation', attendance.byOrganisation));
    }
  }

  if (doc.topPriorities) {
    blocks.push(`## ${SECTION_TITLES.topPriorities}`, `_${md(priorityBasisSentence(doc.topPriorities, rooms))}_`);
    const items = doc.topPriorities.items.map((item, index) => {
      const meta = priorityMeta(item, rooms);
      return `${index + 1}. ${escapeMarkdown(item.text, '   ') || ' '}${meta ? ` _(${md(meta)})_` : ''}`;
    });
    blocks.push(items.length ? items.join('\n') : `_${EMPTY_SECTION_TEXT.priorities}_`);
  }

  for (const board of doc.boards) blocks.push(...boardBlocks(board, 2, { room: rooms, author: false }));

  for (const plenary of doc.plenaries) {
    blocks.push(`## ${md(plenary.label)}`, `_${md(plenaryIntro(plenary.boards.length))}_`);
    for (const board of plenary.boards) blocks.push(...boardBlocks(board, 3, { room: true, author: false }));
  }

  const cross = doc.crossRoom;
  if (cross && cross.shared.length + cross.unique.length > 0) {
    blocks.push(`## ${SECTION_TITLES.crossRoom}`);
    const themeRows = (themes: typeof cross.shared) =>
      table(
        ['Theme', 'Board', 'Rooms', 'Cards', 'Votes'],
        themes.map((t) => [
          md(t.name),
          md(t.boardTitle),
          md(roomsLabel(t.rooms)),
          String(t.cardCount),
          t.votes === undefined ? '' : String(t.votes)
        ])
      );
    blocks.push(
      `### ${SECTION_TITLES.shared}`,
      cross.shared.length ? themeRows(cross.shared) : `_${EMPTY_SECTION_TEXT.shared}_`
    );
    blocks.push(
      `### ${SECTION_TITLES.unique}`,
      cross.unique.length ? themeRows(cross.unique) : `_${EMPTY_SECTION_TEXT.unique}_`
    );
  }

  if (doc.decisions.length) {
    blocks.push(`## ${OUTCOME_TITLES.decisions}`, table([...DECISION_COLUMNS], doc.decisions.map((d) => decisionCells(d).map(md))));
  }
  if (doc.actions.length) {
    blocks.push(`## ${OUTCOME_TITLES.actions}`, table([...ACTION_COLUMNS], doc.actions.map((a) => actionCells(a).map(md))));
  }

  if (rooms) {
    blocks.push(`## ${SECTION_TITLES.appendix}`);
    for (const section of doc.rooms) {
      const facts = [`People: ${section.participantCount}`];
      if (section.organisations.length) facts.push(`Organisations: ${section.organisations.join(', ')}`);
      blocks.push(`### ${md(section.room.label)}`, md(facts.join('. ')));
      for (const board of section.boards) blocks.push(...boardBlocks(board, 4, { room: false, author: true }));
    }
  }
  return `${blocks.join('\n\n')}\n`;
}
