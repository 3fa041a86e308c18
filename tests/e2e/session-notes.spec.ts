import { readFile } from 'node:fs/promises';
import type { Download, Locator, Page } from '@playwright/test';
import { expect, test, serverForThisFile } from './support/fixtures';
import { strFromU8, unzipSync } from 'fflate';
import { expectNoAxeViolations } from './support/accessibility';
import { createWorkshop, expectNoPageErrors, facilitatorCards, openBrowserFor } from './support/goldthread';
import { addCardByApi, createWorkshopByApi, joinByApi, openFacilitator } from './support/facilitation';

const server = serverForThisFile();

function notesPanel(page: Page): Locator {
  return page.getByRole('region', { name: 'Session notes' });
}

/** Clicks a button that saves a file and resolves to the download. */
async function downloadBy(page: Page, button: Locator): Promise<Download> {
  const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
  return download;
}

/** A downloaded file's text; for Word, the text of its document part. */
async function textOf(download: Download): Promise<string> {
  const bytes = await readFile(await download.path());
  if (download.suggestedFilename().endsWith('.docx')) {
    const part = unzipSync(new Uint8Array(bytes))['word/document.xml'];
    if (!part) throw new Error('the Word file has no word/document.xml');
    return strFromU8(part);
  }
  return bytes.toString('utf8');
}

test('the facilitator downloads the notes in every format, for the whole workshop or one room, under the server’s file names', async ({
  browser,
  people
}) => {
  const workshop = await createWorkshopByApi(server.url, 'Harbour partnership day');
  const priorities = workshop.boards.find((b) => b.title === 'Priorities')!.id;
  await addCardByApi(server.url, await joinByApi(server.url, workshop, 'Sam Patel', 'North'), priorities, 'North: a walk-in advice hub');
  await addCardByApi(server.url, await joinByApi(server.url, workshop, 'Alex Morgan', 'South'), priorities, 'South: cheaper ferry passes');
  const facilitator = await openFacilitator(browser, server.url, workshop);
  people.push(facilitator);
  const f = facilitator.page;
  const notes = notesPanel(f);
  await expect(facilitatorCards(f, 'South', 'Priorities')).toHaveText([/cheaper ferry passes/]);

  for (const [label, extension] of [
    ['Word document (.docx)', 'docx'],
    ['Printable web page (.html)', 'html'],
    ['Plain text, Markdown (.md)', 'md'],
    ['Spreadsheet, CSV (.csv)', 'csv'],
    ['Data for re-importing, JSON (.json)', 'json']
  ] as const) {
    await test.step(`${extension}: the whole workshop`, async () => {
      await notes.getByLabel('Format').selectOption({ label });
      const download = await downloadBy(f, notes.getByRole('button', { name: 'Download notes' }));
      expect(download.suggestedFilename()).toMatch(new RegExp(`^goldthread-harbour-partnership-day-\\d{4}-\\d{2}-\\d{2}\\.${extension}$`));
      const text = await textOf(download);
      expect(text).toContain('North: a walk-in advice hub');
      expect(text).toContain('South: cheaper ferry passes');
      await expect(notes.getByRole('status')).toHaveText(`Downloaded ${download.suggestedFilename()}.`);
    });
  }

  await test.step('one room’s notes hold that room’s cards only, and say which room in the file name', async () => {
    await notes.getByLabel('Notes of').selectOption({ label: 'North only' });
    await notes.getByLabel('Format').selectOption({ label: 'Plain text, Markdown (.md)' });
    const download = await downloadBy(f, notes.getByRole('button', { name: 'Download notes' }));
    expect(download.suggestedFilename()).toMatch(/^goldthread-harbour-partnership-day-north-\d{4}-\d{2}-\d{2}\.md$/);
    const text = await textOf(download);
    expect(text).toContain('North: a walk-in advice hub');
    expect(text).not.toContain('South: cheaper ferry passes');
  });

  await test.step('the printable notes open in a new tab, ready to print', async () => {
    await notes.getByLabel('Notes of').selectOption({ label: 'The whole workshop' });
    const [printable] = await Promise.all([
      facilitator.context.waitForEvent('page'),
      notes.getByRole('button', { name: 'Open printable notes' }).click()
    ]);
    await expect(printable.getByRole('heading', { level: 1 })).toHaveText('Harbour partnership day');
    await expect(printable.getByText('South: cheaper ferry passes').first()).toBeVisible();
    await printable.close();
  });
  expectNoPageErrors(people);
});

test('notes across a series combine two workshops created in the same browser', async ({ browser, people }) => {
  const facilitator = await openBrowserFor(browser, server.url);
  people.push(facilitator);
  const f = facilitator.page;
  const workshops = [];
  for (const [title, text] of [
    ['Series part one: housing', 'Part one: empty homes into use'],
    ['Series part two: transport', 'Part two: a night bus to the hospital']
  ] as const) {
    const created = await createWorkshop(f, title);
    const joined = await post<{ workshopId: string; roomId: string; token: string }>('/api/join', { code: created.joinCode, name: 'Jo Lee' });
    const info = await (await fetch(`${server.url}/api/workshops/${joined.workshopId}`, { headers: { authorization: `Bearer ${joined.token}` } })).json();
    await post(`/api/workshops/${joined.workshopId}/rooms/${joined.roomId}/cards`, { boardId: info.boards[0].id, text }, joined.token);
    workshops.push({ ...created, title, text });
  }

  // The console of the second workshop is open; the first one is in this browser's storage.
  const series = f.getByRole('region', { name: 'Notes across a series' });
  await series.getByRole('button', { name: 'Choose workshops to combine' }).click();
  const choices = series.getByRole('group', { name: 'Workshops to combine' });
  await expect(choices.getByRole('checkbox', { name: /Series part two: transport.*this workshop/ })).toBeChecked();
  await choices.getByRole('checkbox', { name: /Series part one: housing/ }).check();
  await series.getByLabel('Series title (optional)').fill('Town centre series');
  await expectNoAxeViolations(f, 'the console listing workshops for a series');
  await series.getByLabel('Format').selectOption({ label: 'Plain text, Markdown (.md)' });
  const download = await downloadBy(f, series.getByRole('button', { name: 'Download combined notes' }));
  expect(download.suggestedFilename()).toMatch(/^goldthread-town-centre-series-\d{4}-\d{2}-\d{2}\.md$/);
  const text = await textOf(download);
  expect(text).toContain('Town centre series');
  for (const workshop of workshops) {
    expect(text).toContain(workshop.title);
    expect(text).toContain(workshop.text);
  }
  expectNoPageErrors(people);
});

test('importing a downloaded JSON file creates a new workshop with the same cards', async ({ browser, people }) => {
  const workshop = await createWorkshopByApi(server.url, 'Workshop to carry over');
  const vision = workshop.boards.find((b) => b.title === 'Vision')!.id;
  await addCardByApi(server.url, await joinByApi(server.url, workshop, 'Priya Shah', 'Central'), vision, 'Central: a shared community calendar');
  const facilitator = await openFacilitator(browser, server.url, workshop);
  people.push(facilitator);
  const f = facilitator.page;
  await expect(facilitatorCards(f, 'Central', 'Vision')).toHaveText([/shared community calendar/]);

  const notes = notesPanel(f);
  await notes.getByLabel('Format').selectOption({ label: 'Data for re-importing, JSON (.json)' });
  const exported = await downloadBy(f, notes.getByRole('button', { name: 'Download notes' }));

  const importer = f.getByRole('region', { name: 'Import a workshop' });
  await importer.getByLabel('Notes file (.json)').setInputFiles({
    name: exported.suggestedFilename(),
    mimeType: 'application/json',
    buffer: await readFile(await exported.path())
  });
  await importer.getByRole('button', { name: 'Import a workshop' }).click();
  const link = importer.getByRole('link', { name: 'Open Workshop to carry over' });
  await expect(link).toBeVisible();
  await expect(importer.getByRole('status')).toContainText('Imported “Workshop to carry over” as a new workshop');
  await expectNoAxeViolations(f, 'the console after importing a workshop');

  const [copy] = await Promise.all([facilitator.context.waitForEvent('page'), link.click()]);
  await expect(copy.getByRole('heading', { level: 1, name: 'Workshop to carry over' })).toBeVisible();
  expect(new URL(copy.url()).pathname).not.toBe(`/facilitate/${workshop.id}`);
  // The workshop has the default attribution (organisation, no names) and Priya gave no organisation, so the record credits her card to no one.
  await expect(facilitatorCards(copy, 'Central', 'Vision')).toHaveText([/Central: a shared community calendar\s*Added by\s*Anonymous/]);
  await expect(copy.getByText('Priya Shah')).toHaveCount(0);
  expectNoPageErrors(people);
});

async function post<T = unknown>(route: string, body: unknown, bearer?: string): Promise<T> {
  const response = await fetch(`${server.url}${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(bearer && { authorization: `Bearer ${bearer}` }) },
    body: JSON.stringify(body)
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`POST ${route} answered ${response.status}: ${text}`);
  return JSON.parse(text) as T;
}
