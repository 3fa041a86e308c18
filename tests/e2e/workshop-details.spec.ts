import type { Page } from '@playwright/test';
import { expect, test, serverForThisFile } from './support/fixtures';
import { addCard, expectConnected, expectNoPageErrors, openBrowserFor } from './support/goldthread';
import { boardControls, createWorkshopByApi, openFacilitator } from './support/facilitation';

const server = serverForThisFile();

/** The workshop as its facilitator sees it over the API. */
async function workshopOverApi(workshopId: string, facilitatorKey: string) {
  const session = await fetch(`${server.url}/api/workshops/${workshopId}/facilitator-session`, {
    method: 'POST',
    headers: { authorization: `Bearer ${facilitatorKey}` }
  });
  const { workshop } = (await session.json()) as { workshop: { attribution: string; details: Record<string, unknown>; rooms: { details?: unknown }[] } };
  return workshop;
}

/** What this browser keeps for Goldthread: IndexedDB databases, localStorage and sessionStorage keys. */
function storedByGoldthread(page: Page) {
  return page.evaluate(async () => {
    const databases = (await indexedDB.databases()).map((db) => db.name ?? '').filter((name) => name.startsWith('goldthread'));
    const keys = (storage: Storage) => Array.from({ length: storage.length }, (_, i) => storage.key(i) ?? '').filter((key) => key.startsWith('goldthread'));
    return { databases, local: keys(localStorage), session: keys(sessionStorage) };
  });
}

/** Joins from the join link through the form, optionally as "This is a shared computer". */
async function joinThroughForm(page: Page, joinCode: string, name: string, room: string, shared: boolean) {
  await page.goto(`/join/${joinCode}`);
  await expect(page.getByText(/never your name/)).toBeVisible();
  await page.getByLabel('Your name').fill(name);
  if (shared) await page.getByLabel('This is a shared computer').check();
  await page.getByRole('button', { name: 'Join', exact: true }).click();
  await page.getByRole('group', { name: 'Which room are you in?' }).getByRole('radio', { name: room, exact: true }).check();
  await page.getByRole('button', { name: 'Join room' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText(room);
  await expectConnected(page);
}

test('the create form sets the date (today by default), more details and the attribution level', async ({ browser, people }) => {
  const visitor = await openBrowserFor(browser, server.url);
  people.push(visitor);
  const page = visitor.page;
  await page.goto('/');
  await page.getByLabel('Workshop title').fill('Youth voice day');
  const today = await page.evaluate(() => {
    const now = new Date();
    return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
  });
  await expect(page.getByLabel('Date', { exact: true })).toHaveValue(today);
  await expect(page.getByLabel('Attribution')).toHaveValue('organisation');
  await page.getByLabel('Attribution').selectOption('anonymous');

  // The optional details wait behind "More details", opened by keyboard.
  await expect(page.getByLabel('Venue')).toBeHidden();
  await page.getByText('More details').focus();
  await page.keyboard.press('Enter');
  await page.getByLabel('Venue').fill('Riverside Youth Centre');
  await page.getByLabel('Start time').fill('16:00');
  await page.getByLabel('Partners').fill('Riverside Council\nRiverside Youth Trust');
  await page.getByLabel('Material shared on the day').fill('Survey results javascript:alert(1)');
  await page.getByRole('button', { name: 'Create workshop' }).click();
  await expect(page.getByLabel('Material shared on the day')).toBeFocused();
  await expect(page.getByLabel('Material shared on the day')).toHaveAttribute('aria-invalid', 'true');

  await page.getByLabel('Material shared on the day').fill('Survey results https://example.org/survey');
  await page.getByRole('button', { name: 'Create workshop' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Youth voice day' })).toBeVisible();
  const workshopId = /\/facilitate\/([^/#?]+)/.exec(page.url())![1]!;
  const key = await page.evaluate((id) => localStorage.getItem(`goldthread:facilitator:${id}`), workshopId);
  const workshop = await workshopOverApi(workshopId, key!);
  expect(workshop.attribution).toBe('anonymous');
  expect(workshop.details).toEqual({
    date: today,
    startTime: '16:00',
    venue: 'Riverside Youth Centre',
    partners: ['Riverside Council', 'Riverside Youth Trust'],
    links: [{ title: 'Survey results', url: 'https://example.org/survey' }]
  });
  expectNoPageErrors(people);
});

test('the console edits the details and a room’s own date and venue, and says a new attribution applies from then on', async ({ browser, people }) => {
  const workshop = await createWorkshopByApi(server.url, 'Editable details');
  const facilitator = await openFacilitator(browser, server.url, workshop);
  people.push(facilitator);
  const page = facilitator.page;
  const panel = page.getByRole('region', { name: 'Workshop details' });

  await panel.getByLabel('Attribution').selectOption('named');
  await expect(panel.getByRole('status').filter({ hasText: /applies from now on/ })).toBeVisible();

  await panel.getByText('Edit the date, venue').click();
  await panel.getByLabel('Date', { exact: true }).fill('2027-01-07');
  await panel.getByLabel('Venue', { exact: true }).fill('Town Hall');
  await panel.getByLabel('Facilitators').fill('Sam Lee');
  await panel.getByLabel('Date for Central').fill('2027-01-14');
  await panel.getByLabel('Venue for Central').fill('Central Library');
  await panel.getByRole('button', { name: 'Save details' }).click();
  await expect(panel.getByRole('status').filter({ hasText: 'Details saved' })).toBeVisible();

  const saved = await workshopOverApi(workshop.id, workshop.facilitatorKey);
  expect(saved.attribution).toBe('named');
  expect(saved.details).toEqual({ date: '2027-01-07', venue: 'Town Hall', facilitators: ['Sam Lee'] });
  expect(saved.rooms[1]!.details).toEqual({ date: '2027-01-14', venue: 'Central Library' });
  expectNoPageErrors(people);
});

test('the join screen says what is recorded, who sees it and for how long, before the name field and for a screen reader too', async ({
  browser,
  people
}) => {
  const workshop = await createWorkshopByApi(server.url, 'Privacy first');
  const visitor = await openBrowserFor(browser, server.url);
  people.push(visitor);
  const page = visitor.page;

  await page.goto(`/join/${workshop.joinCode}`);
  const privacy = page.getByRole('region', { name: 'What is recorded about you' });
  await expect(privacy).toContainText('organisation and sector, if you give them, but never your name');
  await expect(privacy).toContainText('may share them with everyone who took part');
  await expect(privacy).toContainText(/due to be deleted after \d{1,2} \w+ \d{4}/);

  const name = page.getByLabel('Your name');
  const order = await page.evaluate(() => {
    const text = document.getElementById('join-privacy-text')!;
    const field = document.getElementById('join-name')!;
    return {
      before: Boolean(text.compareDocumentPosition(field) & Node.DOCUMENT_POSITION_FOLLOWING),
      describedBy: field.getAttribute('aria-describedby') ?? ''
    };
  });
  expect(order.before).toBe(true);
  expect(order.describedBy.split(' ')).toContain('join-privacy-text');
  await expect(name).toHaveAccessibleDescription(/never your name/);

  // From the home page the text follows the code once it is typed.
  await page.goto('/');
  await expect(page.getByRole('region', { name: 'What is recorded about you' })).toContainText('Once you enter the join code');
  await page.getByLabel('Join code').fill(workshop.joinCode);
  await page.getByLabel('Join code').press('Tab');
  await expect(page.getByRole('region', { name: 'What is recorded about you' })).toContainText('never your name');
  expectNoPageErrors(people);
});

test('“This is a shared computer” keeps nothing in the browser: no offline copy, no drafts, no saved place', async ({ browser, people }) => {
  const workshop = await createWorkshopByApi(server.url, 'Shared laptop');
  const facilitator = await openFacilitator(browser, server.url, workshop);
  const laptop = await openBrowserFor(browser, server.url);
  people.push(facilitator, laptop);
  await boardControls(facilitator.page, 'Priorities').getByRole('button', { name: 'Start brainstorm' }).click();

  const page = laptop.page;
  await joinThroughForm(page, workshop.joinCode, 'Kai Shared', 'North', true);
  await addCard(page, 'Priorities', 'A youth bus pass');
  await page.getByRole('region', { name: 'Priorities' }).getByLabel('Card text').fill('A draft never kept');
  await expect(facilitator.page.getByText('A youth bus pass').first()).toBeVisible();

  expect(await storedByGoldthread(page)).toEqual({ databases: [], local: [], session: [] });
  expectNoPageErrors(people);
});

test('“Leave workshop” removes the offline copy, drafts and saved place; so does the end of the workshop', async ({ browser, people }) => {
  const workshop = await createWorkshopByApi(server.url, 'Leaving cleanly');
  const facilitator = await openFacilitator(browser, server.url, workshop);
  const leaver = await openBrowserFor(browser, server.url);
  const stayer = await openBrowserFor(browser, server.url);
  people.push(facilitator, leaver, stayer);
  for (const title of ['Priorities', 'Vision', 'Barriers']) {
    await boardControls(facilitator.page, title).getByRole('button', { name: 'Start brainstorm' }).click();
  }

  await test.step('leaving', async () => {
    const page = leaver.page;
    await joinThroughForm(page, workshop.joinCode, 'Lee Leaving', 'North', false);
    await addCard(page, 'Priorities', 'Kept offline until I leave');
    await page.getByRole('region', { name: 'Vision' }).getByLabel('Card text').fill('A draft');
    await expect.poll(async () => (await storedByGoldthread(page)).databases.length).toBeGreaterThan(0);
    expect((await storedByGoldthread(page)).local).toContain(`goldthread:participant:${workshop.id}`);

    await page.getByRole('button', { name: 'Leave workshop' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Welcome to Goldthread' })).toBeVisible();
    await expect.poll(() => storedByGoldthread(page)).toEqual({ databases: [], local: [], session: [] });
  });

  await test.step('the workshop ending', async () => {
    const page = stayer.page;
    await joinThroughForm(page, workshop.joinCode, 'Sol Staying', 'South', false);
    await addCard(page, 'Vision', 'Kept offline until the end');
    await expect.poll(async () => (await storedByGoldthread(page)).databases.length).toBeGreaterThan(0);
    for (const title of ['Priorities', 'Vision', 'Barriers']) {
      const controls = boardControls(facilitator.page, title);
      for (const step of ['Start grouping', 'Start voting', 'Discuss', 'Close board']) await controls.getByRole('button', { name: step }).click();
    }
    await expect.poll(async () => (await storedByGoldthread(page)).databases).toEqual([]);
    expect((await storedByGoldthread(page)).session).toEqual([]);
  });
  expectNoPageErrors(people);
});
