import { Document, HeadingLevel, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
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

type Block = Paragraph | Table;
type Show = { room: boolean; author: boolean };

const HEADINGS = [
  HeadingLevel.HEADING_1,
  HeadingLevel.HEADING_2,
  HeadingLevel.HEADING_3,
  HeadingLevel.HEADING_4,
  HeadingLevel.HEADING_5
] as const;

// Word will not open a document whose XML holds control characters or lone surrogates.
const XML_INVALID =
  /[\u0000-\u0008\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text runs for user text: line breaks (including Word's vertical tab) become breaks. */
function runs(text: string, style: { italics?: boolean; bold?: boolean } = {}): TextRun[] {
  return text
    .replace(XML_INVALID, '')
    .split(/\r\n|\r|\n|\v|\f|\u2028|\u2029/)
    .map((line, index) => new TextRun({ text: line, ...style, ...(index ? { break: 1 } : {}) }));
}

function heading(text: string, level: number, pageBreakBefore = false): Paragraph {
  return new Paragraph({ heading: HEADINGS[level - 1], children: runs(text), keepNext: true, pageBreakBefore });
}

function note(text: string): Paragraph {
  return new Paragraph({ children: runs(text, { italics: true }) });
}

function cell(text: string, header = false): TableCell {
  return new TableCell({ children: [new Paragraph({ children: runs(text, { bold: header }) })] });
}

function table(headers: string[], rows: string[][]): Table {
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [
      new TableRow({ tableHeader: true, cantSplit: true, children: headers.map((h) => cell(h, true)) }),
      ...rows.map((row) => new TableRow({ cantSplit: true, children: row.map((text) => cell(text)) }))
    ]
  });
}

function countTable(heading: string, counts: NotesCount[]): Table {
  return table(
    [heading, 'People'],
    counts.map((c) => [c.name, String(c.count)])
  );
}

function actionParagraph(action: NotesActionEntry, level: number): Paragraph {
  return new Paragraph({ bullet: { level }, children: runs(outcomeLabel(action)) });
}

function cardParagraphs(cards: NotesCardEntry[], show: Show): Paragraph[] {
  return cards.flatMap((card) => {
    const meta = cardMeta(card, show);
    const children = [...runs(card.text), ...(meta ? runs(` (${meta})`, { italics: true }) : [])];
    return [
      new Paragraph({ bullet: { level: 0 }, keepLines: true, children }),
      ...card.actions.map((a) => actionParagraph(a, 1))
    ];
  });
}

function boardBlocks(board: NotesBoardSection, level: number, show: Show): Block[] {
  const blocks: Block[] = [heading(board.title, level)];
  for (const prompt of board.prompts) blocks.push(note(prompt));
  if (board.cardCount === 0 && board.themes.length === 0) blocks.push(note(EMPTY_SECTION_TEXT.board));
  for (const theme of board.themes) {
    blocks.push(
      heading(theme.name, level + 1),
      note(themeMeta(theme, show.room)),
      ...cardParagraphs(theme.cards, show)
    );
  }
  if (board.otherCards.length) {
    if (board.themes.length) blocks.push(heading(SECTION_TITLES.otherCards, level + 1));
    blocks.push(...cardParagraphs(board.otherCards, show));
  }
  if (board.actions.length) {
    blocks.push(new Paragraph({ children: runs(OUTCOME_TITLES.onBoard, { bold: true }), keepNext: true }));
    blocks.push(...board.actions.map((a) => actionParagraph(a, 0)));
  }
  return blocks;
}

function bodyBlocks(doc: NotesDocument): Block[] {
  const rooms = showsRooms(doc);
  const blocks: Block[] = [
    new Paragraph({ heading: HeadingLevel.TITLE, children: runs(doc.title) }),
    new Paragraph({ children: runs(doc.subtitle, { italics: true }) }),
    ...metaLines(doc).map(
      (line) => new Paragraph({ children: [...runs(`${line.label}: `, { bold: true }), ...runs(line.value)] })
    )
  ];

  const { attendance } = doc;
  blocks.push(heading(SECTION_TITLES.attendance, 1));
  if (attendance.total === 0) blocks.push(note(EMPTY_SECTION_TEXT.attendance));
  else {
    const rows = attendance.byRoom.map((row) => [row.room.label, String(row.count)]);
    blocks.push(table(['Room', 'People'], [...rows, ['Total', String(attendance.total)]]));
    if (attendance.bySector.length)
      blocks.push(heading(SECTION_TITLES.bySector, 2), countTable('Sector', attendance.bySector));
    if (attendance.byOrganisation.length) {
      blocks.push(heading(SECTION_TITLES.byOrganisation, 2), countTable('Organisation', attendance.byOrganisation));
    }
  }

  if (doc.topPriorities) {
    blocks.push(heading(SECTION_TITLES.topPriorities, 1), note(priorityBasisSentence(doc.topPriorities, rooms)));
    if (!doc.topPriorities.items.length) blocks.push(note(EMPTY_SECTION_TEXT.priorities));
    doc.topPriorities.items.forEach((item, index) => {
      const meta = priorityMeta(item, rooms);
      const children = [
        ...runs(`${index + 1}. `, { bold: true }),
        ...runs(item.text),
        ...(meta ? runs(` (${meta})`, { italics: true }) : [])
      ];
      blocks.push(new Paragraph({ keepLines: true, children }));
    });
  }

  for (const board of doc.boards) blocks.push(...boardBlocks(board, 1, { room: rooms, author: false }));

  for (const plenary of doc.plenaries) {
    blocks.push(heading(plenary.label, 1), note(plenaryIntro(plenary.boards.length)));
    for (const board of plenary.boards) blocks.push(...boardBlocks(board, 2, { room: true, author: false }));
  }

  const cross = doc.crossRoom;
  if (cross && cross.shared.length + cross.unique.length > 0) {
    const themeTable = (themes: typeof cross.shared) =>
      table(
        ['Theme', 'Board', 'Rooms', 'Cards', 'Votes'],
        themes.map((t) => [
          t.name,
          t.boardTitle,
          roomsLabel(t.rooms),
          String(t.cardCount),
          t.votes === undefined ? '' : String(t.votes)
        ])
      );
    blocks.push(heading(SECTION_TITLES.crossRoom, 1));
    blocks.push(
      heading(SECTION_TITLES.shared, 2),
      cross.shared.length ? themeTable(cross.shared) : note(EMPTY_SECTION_TEXT.shared)
    );
    blocks.push(
      heading(SECTION_TITLES.unique, 2),
      cross.unique.length ? themeTable(cross.unique) : note(EMPTY_SECTION_TEXT.unique)
    );
  }

  if (doc.decisions.length) {
    blocks.push(heading(OUTCOME_TITLES.decisions, 1), table([...DECISION_COLUMNS], doc.decisions.map(decisionCells)));
  }
  if (doc.actions.length) {
    blocks.push(heading(OUTCOME_TITLES.actions, 1), table([...ACTION_COLUMNS], doc.actions.map(actionCells)));
  }

  if (rooms) {
    blocks.push(heading(SECTION_TITLES.appendix, 1, true));
    for (const section of doc.rooms) {
      const facts = [`People: ${section.participantCount}`];
      if (section.organisations.length) facts.push(`Organisations: ${section.organisations.join(', ')}`);
      blocks.push(heading(section.room.label, 2), note(facts.join('. ')));
      for (const board of section.boards) blocks.push(...boardBlocks(board, 3, { room: false, author: true }));
    }
  }
  return blocks;
}

/**
 * Session notes as a Word document (the `docx` library's Document: A4, Arial, real headings,
 * lists and tables). Pack it where bytes are needed, e.g. `Packer.toBuffer` on the server.
 */
export function buildDocx(doc: NotesDocument): Document {
  return new Document({
    title: doc.title.replace(XML_INVALID, ''),
    subject: 'Session notes',
    creator: 'Goldthread',
    description: `${doc.subtitle}, ${doc.dateLabel}`.replace(XML_INVALID, ''),
    styles: { default: { document: { run: { font: 'Arial', size: 22 } } } },
    sections: [
      {
        properties: {
          page: { size: { width: 11906, height: 16838 }, margin: { top: 1134, bottom: 1134, left: 1134, right: 1134 } }
        },
        children: bodyBlocks(doc)
      }
    ]
  });
}
