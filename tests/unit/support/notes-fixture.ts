import { DEFAULT_BOARDS, type NotesCardInput, type WorkshopNotesInput } from '@goldthread/shared';

/** Card texts that have broken exports before: separators, quotes, line breaks, formulas, markup. */
export const TRICKY_TEXTS = {
  commasAndQuotes: 'Affordable housing, not just "affordable" on paper',
  newlines: 'Youth services\nopen evenings\nand weekends',
  crlf: 'Two lines\r\nfrom Windows',
  emoji: 'Better bus links to the hospital 🚌',
  formula: '=SUM(A1)',
  plus: '+44 20 7946 0000 helpline nobody answers',
  minus: '-5',
  at: '@home care for older people',
  tab: '\tTabbed in from a spreadsheet',
  script: '<script>alert(1)</script>',
  heading: '# not a heading',
  markdown: 'A place where *everyone* feels [welcome](http://x.test) | safe_ish ~ `ok` & <b>bold</b>',
  numbered: '1. Numbered thought',
  verticalTab: 'Pasted from Word\u000bsecond line',
  accents: 'Café culture; £5 lunches — first time'
} as const;

export interface FixtureOptions {
  id?: string;
  title?: string;
  date?: string;
  /** Prefix for room, board, card and participant ids, so two fixtures can form a series. */
  prefix?: string;
  /** Leave out themes, votes, actions, organisations and sectors (what the app records today). */
  plain?: boolean;
}

/**
 * A realistic three-room workshop (North, Central, South) on the default boards, with themes
 * (Transport shared by North and Central, Mental health by Central and South, others unique),
 * votes, actions with owners, participants with organisations and sectors, and tricky card texts.
 */
export function makeWorkshopFixture(options: FixtureOptions = {}): WorkshopNotesInput {
  const p = options.prefix ?? '';
  const plain = options.plain ?? false;
  const [priorities, vision, barriers] = DEFAULT_BOARDS.map((board) => ({ id: `${p}b-${board.kind}`, ...board }));
  const start = Date.UTC(2026, 10, 23, 9, 30);
  let clock = start;
  const card = (
    id: string,
    boardId: string,
    text: string,
    authorName: string,
    extra: Partial<NotesCardInput> = {}
  ): NotesCardInput => {
    clock += 60_000;
    const base: NotesCardInput = {
      id: `${p}${id}`,
      boardId,
      text,
      authorId: authorName ? `${p}u-${authorName.toLowerCase().replace(/\W+/g, '-')}` : '',
      authorName,
      color: 'yellow',
      createdAt: clock
    };
    if (plain) return base;
    return { ...base, ...extra, ...(extra.themeId ? { themeId: `${p}${extra.themeId}` } : {}) };
  };

  const north = {
    id: `${p}r-north`,
    name: 'North',
    cards: [
      card('n1', priorities.id, TRICKY_TEXTS.emoji, 'Ada Lovelace', {
        votes: 5,
        themeId: 't-n-transport',
        color: 'blue'
      }),
      card('n2', priorities.id, TRICKY_TEXTS.commasAndQuotes, "Ben O'Neill", { votes: 3 }),
      card('n3', priorities.id, TRICKY_TEXTS.formula, 'Chloe Smith', { votes: 0 }),
      card('n4', priorities.id, TRICKY_TEXTS.newlines, '', { votes: 2, color: 'green' }),
      card('n5', vision.id, TRICKY_TEXTS.heading, 'Ada Lovelace'),
      card('n6', vision.id, TRICKY_TEXTS.script, "Ben O'Neill", { color: 'pink' }),
      card('n7', barriers.id, 'Data sharing between NHS, council & police', 'Chloe Smith', { votes: 4 }),
      card('n8', barriers.id, TRICKY_TEXTS.minus, 'Ada Lovelace', { votes: 1 })
    ],
    themes: [
      { id: `${p}t-n-transport`, boardId: priorities.id, name: 'Transport', cardIds: [] },
      { id: `${p}t-n-housing`, boardId: priorities.id, name: 'Housing', cardIds: [`${p}n2`] },
      { id: `${p}t-n-data`, boardId: barriers.id, name: 'Data sharing', cardIds: [`${p}n7`] }
    ],
    actions: [{ text: 'Draft a data-sharing agreement', owner: 'Priya Shah, NHS IG lead', cardId: `${p}n7` }]
  };
  const central = {
    id: `${p}r-central`,
    name: 'Central',
    cards: [
      card('c1', priorities.id, 'Transport to GP surgeries', 'Dev Patel', { votes: 4 }),
      card('c2', priorities.id, TRICKY_TEXTS.plus, 'Erin Walsh', { votes: 1 }),
      card('c3', priorities.id, 'Mental health support for young people', 'Fatima Begum', {
        votes: 6,
        color: 'purple'
      }),
      card('c4', vision.id, TRICKY_TEXTS.at, 'Dev Patel'),
      card('c5', vision.id, TRICKY_TEXTS.markdown, 'Erin Walsh'),
      card('c6', vision.id, TRICKY_TEXTS.numbered, 'Fatima Begum'),
      card('c7', barriers.id, TRICKY_TEXTS.verticalTab, 'Dev Patel'),
      card('c8', barriers.id, TRICKY_TEXTS.tab, 'Erin Walsh')
    ],
    themes: [
      { id: `${p}t-c-transport`, boardId: priorities.id, name: 'transport ', cardIds: [`${p}c1`] },
      { id: `${p}t-c-mental`, boardId: priorities.id, name: 'Mental health', cardIds: [`${p}c3`] }
    ]
  };
  const south = {
    id: `${p}r-south`,
    name: 'South',
    cards: [
      card('s1', priorities.id, 'Young people’s mental health in schools', 'Gwen Jones', { votes: 2 }),
      card('s2', priorities.id, 'Tackle loneliness', 'Hamza Ali', { votes: 3 }),
      card('s3', vision.id, TRICKY_TEXTS.accents, 'Gwen Jones', { color: 'orange' }),
      card('s4', vision.id, TRICKY_TEXTS.crlf, 'Hamza Ali'),
      card('s5', barriers.id, 'Staff turnover', 'Iris Chen', { votes: 2 })
    ],
    themes: [{ id: `${p}t-s-mental`, boardId: priorities.id, name: 'Mental Health!', cardIds: [`${p}s1`] }],
    actions: [
      { text: 'Ask HR leads for turnover figures', owner: 'Iris Chen', cardId: `${p}s5` },
      { text: '=raise at partnership board', boardId: barriers.id }
    ]
  };

  const person = (id: string, name: string, roomId: string, organisation: string, sector: string) =>
    plain ? { id: `${p}${id}`, name, roomId } : { id: `${p}${id}`, name, roomId, organisation, sector };
  const participants = [
    person('u1', 'Ada Lovelace', north.id, 'Northshire County Council', 'Council'),
    person('u2', "Ben O'Neill", north.id, 'Northshire ICB', 'Health'),
    person('u3', 'Chloe Smith', north.id, 'Age UK Northshire', 'Voluntary and community'),
    person('u4', 'Dev Patel', central.id, 'Northshire County Council', 'Council'),
    person('u5', 'Erin Walsh', central.id, 'Northshire Police', 'Police'),
    person('u6', 'Fatima Begum', central.id, 'Mind in Northshire', 'Voluntary and community'),
    person('u7', 'Gwen Jones', south.id, 'Northshire ICB', 'health'),
    person('u8', 'Hamza Ali', south.id, 'Southside Food Bank', 'Voluntary and community'),
    person('u9', 'Iris Chen', south.id, 'Northshire County Council', 'Council')
  ];
  if (!plain) participants.push({ id: `${p}u10`, name: 'Jo Bloggs', roomId: south.id });

  const rooms = plain
    ? [north, central, south].map(({ id, name, cards }) => ({ id, name, cards }))
    : [north, central, south];
  return {
    workshop: {
      id: options.id ?? 'ws-partnership',
      title: options.title ?? 'Partnership Workshop',
      createdAt: start,
      ...(plain ? {} : { facilitatorName: 'Sam Okafor' }),
      date: options.date ?? '2026-11-23'
    },
    boards: [priorities, vision, barriers],
    rooms,
    participants
  };
}

/** Every card text of the given workshops. */
export function allCardTexts(...inputs: WorkshopNotesInput[]): string[] {
  return inputs.flatMap((input) => input.rooms.flatMap((room) => room.cards.map((card) => card.text)));
}

/** Collapses runs of whitespace, for comparing text whose line breaks a format may reflow. */
export function squash(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
