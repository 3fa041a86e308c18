import { describe, expect, it } from 'vitest';
import { Packer } from 'docx';
import { strFromU8, unzipSync } from 'fflate';
import { parse } from 'csv-parse/sync';
import { parseHTML } from 'linkedom';
import {
  buildNotes,
  notesActionsOf,
  parseNotesJson,
  renderCsv,
  renderHtml,
  renderJson,
  renderMarkdown,
  type NotesDocument,
  type Outcome,
  type WorkshopNotesInput
} from '@goldthread/shared';
import { buildDocx } from '@goldthread/shared/notes-docx';
import { makeWorkshopFixture, squash } from './support/notes-fixture.js';

const at = 1_790_000_000_000;
const outcome = (fields: Partial<Outcome> & Pick<Outcome, 'id' | 'kind' | 'text'>): Outcome => ({ link: null, createdAt: at, updatedAt: at, ...fields });

/** The fixture workshop with decisions and actions recorded in the console. */
function withOutcomes(input: WorkshopNotesInput = makeWorkshopFixture()): WorkshopNotesInput {
  const outcomes: Outcome[] = [
    outcome({ id: 'o1', kind: 'decision', text: 'Transport is the partnership’s first priority' }),
    outcome({ id: 'o2', kind: 'action', text: 'Ask the bus company for usage data', owner: 'Leeds City Council', dueDate: '2027-01-31', status: 'open' }),
    outcome({
      id: 'o3',
      kind: 'action',
      text: 'Map step-free routes',
      owner: 'Dev Patel',
      status: 'done',
      link: { roomId: 'r-central', cardId: 'c1', boardId: 'b-priorities', label: 'Transport to GP surgeries' }
    }),
    outcome({ id: 'o4', kind: 'decision', text: 'Mental health gets its own working group', link: { roomId: 'r-central', themeId: 't-c-mental', boardId: 'b-priorities', label: 'Mental health' } }),
    outcome({ id: 'o5', kind: 'action', text: 'Write to the trust', status: 'dropped' })
  ];
  return { ...input, actions: notesActionsOf(outcomes) };
}

async function docxText(doc: NotesDocument): Promise<string> {
  const files = unzipSync(new Uint8Array(await Packer.toBuffer(buildDocx(doc))));
  const xml = strFromU8(files['word/document.xml']!);
  return squash(xml.replace(/<\/w:p>/g, ' ').replace(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>|<[^>]+>/g, (_, t: string | undefined) => t ?? '').replace(/&amp;/g, '&'));
}

describe('decisions and actions in the notes', () => {
  const doc = buildNotes([withOutcomes()], { kind: 'workshop' });

  it('builds decisions and actions apart, the whole workshop’s first, with owners, due dates, statuses and what they are about', () => {
    expect(doc.decisions.map((d) => [d.text, d.where, d.themeName ?? d.cardText ?? ''])).toEqual([
      ['Transport is the partnership’s first priority', 'Whole workshop', ''],
      ['Mental health gets its own working group', 'Central', 'Mental health']
    ]);
    const recorded = doc.actions;
    expect(recorded.find((a) => a.text === 'Ask the bus company for usage data')).toMatchObject({
      owner: 'Leeds City Council',
      dueDate: '2027-01-31',
      dueLabel: '31 January 2027',
      status: 'open',
      where: 'Whole workshop'
    });
    expect(recorded.find((a) => a.text === 'Map step-free routes')).toMatchObject({ cardText: 'Transport to GP surgeries', boardTitle: 'Priorities', where: 'Central', status: 'done' });
    // The action linked to a card also sits under that card.
    const card = doc.boards[0]!.themes.flatMap((t) => t.cards).find((c) => c.text === 'Transport to GP surgeries');
    expect(card?.actions.map((a) => a.text)).toEqual(['Map step-free routes']);
  });

  it('Markdown has a Decisions table and an Actions table with owner, due date and status', () => {
    const md = renderMarkdown(doc);
    expect(md).toContain('## Decisions\n\n| Decision | Room | Relates to |');
    expect(md).toContain('| Ask the bus company for usage data | Leeds City Council | 31 January 2027 | Open | Whole workshop |   |');
    expect(md).toContain('| Map step-free routes | Dev Patel |   | Done | Central | Transport to GP surgeries |');
    expect(md).toContain('| Write to the trust | Not recorded |   | Dropped | Whole workshop |   |');
    expect(md).toContain('- Action: Map step-free routes (owner: Dev Patel; done)');
  });

  it('HTML has both tables, with a header row and the action’s cells', () => {
    const { document } = parseHTML(renderHtml(doc));
    const tables = [...document.querySelectorAll('section')].filter((s) => ['Decisions', 'Actions'].includes(s.querySelector('h2')?.textContent ?? ''));
    expect(tables.map((s) => s.querySelector('h2')?.textContent)).toEqual(['Decisions', 'Actions']);
    const rows = [...tables[1]!.querySelectorAll('tr')].map((tr) => [...tr.children].map((cell) => cell.textContent));
    expect(rows[0]).toEqual(['Action', 'Owner', 'Due', 'Status', 'Room', 'Relates to']);
    expect(rows).toContainEqual(['Ask the bus company for usage data', 'Leeds City Council', '31 January 2027', 'Open', 'Whole workshop', '']);
  });

  it('Word has the Decisions and Actions headings and every owner, due date and status', async () => {
    const text = await docxText(doc);
    expect(text).toContain('Decisions Decision Room Relates to Transport is the partnership’s first priority Whole workshop');
    expect(text).toContain('Ask the bus company for usage data Leeds City Council 31 January 2027 Open Whole workshop');
    expect(text).toContain('Map step-free routes Dev Patel Done Central Transport to GP surgeries');
  });

  it('CSV has a row for each decision and action after the cards, with kind, owner, due date and status', () => {
    const rows = parse(renderCsv(doc), { bom: true }) as string[][];
    const kind = rows[0]!.indexOf('kind');
    const outcomes = rows.filter((row) => row[kind] === 'decision' || row[kind] === 'action');
    expect(rows.slice(1).findIndex((row) => row[kind] !== 'card')).toBe(rows.slice(1).length - outcomes.length);
    expect(outcomes.find((row) => row[5] === 'Ask the bus company for usage data')).toEqual([
      'Partnership Workshop',
      '2026-11-23',
      'Whole workshop',
      '',
      '',
      'Ask the bus company for usage data',
      '',
      '',
      '',
      '',
      '',
      'action',
      'Leeds City Council',
      '2027-01-31',
      'Open'
    ]);
    expect(outcomes.find((row) => row[5] === 'Mental health gets its own working group')?.slice(2, 15)).toEqual([
      'Central',
      'Priorities',
      'Mental health',
      'Mental health gets its own working group',
      '',
      '',
      '',
      '',
      '',
      'decision',
      '',
      '',
      ''
    ]);
  });

  it('JSON carries every field of the decisions and actions, and reads back as the same notes', () => {
    const json = renderJson(doc);
    const parsed = parseNotesJson(json);
    expect(parsed.workshops[0]!.actions).toEqual(withOutcomes().actions);
    expect(buildNotes(parsed.workshops, parsed.scope).actions).toEqual(doc.actions);
  });

  it('a due date that is not a date or an unknown status in a JSON file is refused on import', () => {
    const json = JSON.parse(renderJson(doc)) as { workshops: { actions: Record<string, unknown>[] }[] };
    json.workshops[0]!.actions[1]!.dueDate = '31/01/2027';
    expect(() => parseNotesJson(JSON.stringify(json))).toThrow(/actions.*dueDate/);
    json.workshops[0]!.actions[1]!.dueDate = '2027-01-31';
    json.workshops[0]!.actions[1]!.status = 'finished';
    expect(() => parseNotesJson(JSON.stringify(json))).toThrow(/status/);
  });

  it('room notes hold that room’s decisions and actions and the whole workshop’s, not another room’s', () => {
    const north = buildNotes([withOutcomes()], { kind: 'room', roomId: 'r-north' });
    expect(north.decisions.map((d) => d.text)).toEqual(['Transport is the partnership’s first priority']);
    expect(north.actions.map((a) => a.text)).not.toContain('Map step-free routes');
    expect(north.actions.map((a) => a.text)).toContain('Ask the bus company for usage data');
  });
});

describe('actions carried forward in a series', () => {
  const first = withOutcomes();
  const second: WorkshopNotesInput = {
    ...makeWorkshopFixture({ id: 'ws-2', title: 'Partnership Workshop 2', date: '2026-12-07', prefix: 'w2-' }),
    actions: notesActionsOf([
      outcome({
        id: 'c1',
        kind: 'action',
        text: 'Ask the bus company for usage data',
        owner: 'Leeds City Council',
        dueDate: '2027-01-31',
        status: 'done',
        carriedFrom: { workshopId: 'ws-partnership', workshopTitle: 'Partnership Workshop', outcomeId: 'o2' }
      }),
      outcome({ id: 'c2', kind: 'action', text: 'Carried from a workshop outside the series', status: 'open', carriedFrom: { workshopId: 'ws-0', workshopTitle: 'Pilot', outcomeId: 'x' } })
    ])
  };

  it('the second workshop’s notes say where a carried action came from', () => {
    const doc = buildNotes([second], { kind: 'workshop' });
    expect(renderMarkdown(doc)).toContain('| Done | Whole workshop | Carried forward from Partnership Workshop |');
  });

  it('series notes list a carried action once, where it was agreed, with the status given at its review', () => {
    const doc = buildNotes([second, first], { kind: 'series' });
    const bus = doc.actions.filter((a) => a.text === 'Ask the bus company for usage data');
    expect(bus).toHaveLength(1);
    expect(bus[0]).toMatchObject({ workshopId: 'ws-partnership', status: 'done', reviewedIn: ['Partnership Workshop 2'], where: 'Partnership Workshop' });
    expect(renderMarkdown(doc)).toContain('| Ask the bus company for usage data | Leeds City Council | 31 January 2027 | Done (reviewed in Partnership Workshop 2) | Partnership Workshop |   |');
    // One carried from outside the series stays, saying where it came from.
    expect(doc.actions.find((a) => a.text === 'Carried from a workshop outside the series')).toMatchObject({ carriedFrom: 'Pilot', workshopId: 'ws-2' });
    // The JSON export keeps each workshop as recorded.
    const json = parseNotesJson(renderJson(doc));
    expect(json.workshops.find((w) => w.workshop.id === 'ws-2')?.actions?.[0]?.status).toBe('done');
    expect(json.workshops.find((w) => w.workshop.id === 'ws-partnership')?.actions?.[1]?.status).toBe('open');
  });
});
