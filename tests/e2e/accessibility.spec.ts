import { expect, test, serverForThisFile } from './support/fixtures';
import { addCard, expectNoPageErrors, openBrowserFor } from './support/goldthread';
import {
  addCardByApi,
  board,
  boardControls,
  createWorkshopByApi,
  joinByApi,
  openFacilitator,
  openParticipant,
  openProjector
} from './support/facilitation';
import { axeViolations, expectNoAxeViolations } from './support/accessibility';

const server = serverForThisFile();

test('the axe check itself catches a violation (an unlabelled box, low contrast)', async ({ browser, people }) => {
  const visitor = await openBrowserFor(browser, server.url);
  people.push(visitor);
  await visitor.page.route('**/broken-page', (route) =>
    route.fulfill({
      contentType: 'text/html; charset=utf-8',
      body: '<!doctype html><html lang="en"><title>Broken</title><main><h1>Broken</h1><input type="text"><p style="color:#bbb">Faint</p></main></html>'
    })
  );
  await visitor.page.goto('/broken-page');
  const rules = (await axeViolations(visitor.page)).map((finding) => finding.rule);
  expect(rules).toEqual(expect.arrayContaining(['label', 'color-contrast']));
});

test('the home page and the join page (before and after choosing a room) have no WCAG 2.2 AA violations', async ({ browser, people }) => {
  const workshop = await createWorkshopByApi(server.url, 'Axe joining workshop');
  const visitor = await openBrowserFor(browser, server.url);
  people.push(visitor);
  const page = visitor.page;

  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'Welcome to Goldthread' })).toBeVisible();
  await expectNoAxeViolations(page, 'the home page');

  // The form's own error messages are part of the page too.
  await page.getByRole('button', { name: 'Join', exact: true }).click();
  await expect(page.getByLabel('Join code')).toHaveAttribute('aria-invalid', 'true');
  await expectNoAxeViolations(page, 'the home page showing form errors');

  await page.goto(`/join/${workshop.joinCode}`);
  await expect(page.getByLabel('Your name')).toBeFocused();
  await expectNoAxeViolations(page, 'the join page');

  await page.getByLabel('Your name').fill('Axe Tester');
  await page.getByLabel('Sector').selectOption('Council');
  await page.getByRole('button', { name: 'Join', exact: true }).click();
  await expect(page.getByRole('group', { name: 'Which room are you in?' })).toBeVisible();
  await expectNoAxeViolations(page, 'the join page asking for a room');
  expectNoPageErrors(people);
});

test('the room board has no WCAG 2.2 AA violations in any phase: ready, brainstorm, private, grouping, locked, voting with results, closed', async ({
  browser,
  people
}) => {
  const workshop = await createWorkshopByApi(server.url, 'Axe board workshop');
  const priorities = workshop.boards.find((b) => b.title === 'Priorities')!.id;
  const samJoin = await joinByApi(server.url, workshop, 'Sam Patel', 'North');
  const priyaJoin = await joinByApi(server.url, workshop, 'Priya Shah', 'North');
  const facilitator = await openFacilitator(browser, server.url, workshop);
  const sam = await openParticipant(browser, server.url, samJoin);
  people.push(facilitator, sam);
  const f = facilitator.page;
  const p = sam.page;
  const controls = boardControls(f, 'Priorities');

  await test.step('getting ready, no cards yet', async () => {
    await expect(board(p, 'Priorities')).toContainText('Getting ready');
    await expectNoAxeViolations(p, 'the room board before anything starts');
  });

  await test.step('brainstorm with cards from two people and a timer', async () => {
    await controls.getByRole('button', { name: 'Start brainstorm' }).click();
    await addCard(p, 'Priorities', 'One shared referral form');
    await addCardByApi(server.url, priyaJoin, priorities, 'Joint training days for front-line staff');
    await expect(board(p, 'Priorities').getByRole('listitem')).toHaveCount(2);
    await f.getByLabel('Minutes').fill('5');
    await f.getByRole('button', { name: 'Start timer' }).click();
    await expect(p.getByRole('timer')).toBeVisible();
    await expectNoAxeViolations(p, 'the room board in brainstorm');
    // An open editor is part of the board too.
    await board(p, 'Priorities').getByRole('button', { name: 'Edit card: One shared referral form' }).click();
    await expect(p.getByLabel('Edit card text')).toBeFocused();
    await expectNoAxeViolations(p, 'the room board with a card being edited');
    await p.keyboard.press('Escape');
  });

  await test.step('a private brainstorm on another board', async () => {
    await boardControls(f, 'Vision').getByRole('checkbox', { name: 'Private brainstorm' }).check();
    await expect(board(p, 'Vision')).toContainText('Private brainstorm');
    await expectNoAxeViolations(p, 'the room board with a private brainstorm');
  });

  await test.step('grouping, with a theme', async () => {
    await controls.getByRole('button', { name: 'Start grouping' }).click();
    await board(p, 'Priorities').getByLabel('Theme name').fill('Working together');
    await board(p, 'Priorities').getByRole('button', { name: 'New theme' }).click();
    await expect(board(p, 'Priorities').getByRole('heading', { name: 'Working together' })).toBeVisible();
    await expectNoAxeViolations(p, 'the room board in grouping');
  });

  await test.step('locked', async () => {
    await controls.getByRole('button', { name: 'Lock board' }).click();
    await expect(board(p, 'Priorities')).toContainText('The facilitator has locked this board.');
    await expectNoAxeViolations(p, 'the room board while locked');
    await controls.getByRole('button', { name: 'Unlock board' }).click();
  });

  await test.step('voting, then results shown', async () => {
    await controls.getByRole('button', { name: 'Start voting' }).click();
    const vote = board(p, 'Priorities').getByRole('button', { name: 'Vote for: One shared referral form' });
    await vote.click();
    await expect(board(p, 'Priorities').getByRole('status').filter({ hasText: 'votes left' })).toHaveText('2 of 3 votes left');
    await expectNoAxeViolations(p, 'the room board in voting');
    await controls.getByRole('button', { name: 'Show results' }).click();
    await expect(board(p, 'Priorities').getByRole('list', { name: 'Results: Priorities' })).toBeVisible();
    await board(p, 'Priorities').getByRole('button', { name: "I'm done" }).click();
    await expect(board(p, 'Priorities').getByRole('button', { name: "I'm done" })).toHaveAttribute('aria-pressed', 'true');
    await expectNoAxeViolations(p, 'the room board with results shown');
  });

  await test.step('closed', async () => {
    await controls.getByRole('button', { name: 'Close board' }).click();
    await expect(board(p, 'Priorities')).toContainText('Closed');
    await expectNoAxeViolations(p, 'the room board once closed');
  });
  expectNoPageErrors(people);
});

test('the room board stays free of violations while offline with unsent changes, and with a locked board', async ({ browser, people }) => {
  const workshop = await createWorkshopByApi(server.url, 'Axe offline workshop');
  const facilitator = await openFacilitator(browser, server.url, workshop);
  const jo = await openParticipant(browser, server.url, await joinByApi(server.url, workshop, 'Jo Lee', 'South'));
  people.push(facilitator, jo);
  const p = jo.page;

  await jo.context.setOffline(true);
  await expect(p.getByRole('status').filter({ hasText: /^\s*Offline/ })).toBeVisible();
  await board(p, 'Barriers').getByLabel('Card text').fill('Written on the train');
  await board(p, 'Barriers').getByLabel('Card text').press('Enter');
  await expect(p.getByRole('status').filter({ hasText: '1 change not sent yet' })).toBeVisible();
  await expectNoAxeViolations(p, 'the room board while offline');
  await jo.context.setOffline(false);
  await expect(p.getByRole('status').filter({ hasText: /^\s*Connected\s*$/ }).first()).toBeVisible();

  await boardControls(facilitator.page, 'Barriers').getByRole('button', { name: 'Lock board' }).click();
  await expect(board(p, 'Barriers')).toContainText('The facilitator has locked this board.');
  await expectNoAxeViolations(p, 'the room board with a locked board');
  expectNoPageErrors(people);
});

test('the facilitator page has no WCAG 2.2 AA violations, before and during a session', async ({ browser, people }) => {
  const workshop = await createWorkshopByApi(server.url, 'Axe facilitator workshop');
  const facilitator = await openFacilitator(browser, server.url, workshop);
  const sam = await openParticipant(browser, server.url, await joinByApi(server.url, workshop, 'Sam Patel', 'North'));
  people.push(facilitator, sam);
  const f = facilitator.page;

  await expectNoAxeViolations(f, 'the facilitator page before the session');
  await boardControls(f, 'Priorities').getByRole('button', { name: 'Start brainstorm' }).click();
  await addCard(sam.page, 'Priorities', 'A card for the facilitator to see');
  await expect(f.getByRole('list', { name: 'North — Priorities', exact: true }).getByRole('listitem')).toHaveCount(1);
  await expectNoAxeViolations(f, 'the facilitator page during a brainstorm');
  await f.getByRole('button', { name: 'Add action: A card for the facilitator to see' }).click();
  await f.getByRole('dialog', { name: 'Add action' }).getByLabel('What will be done').fill('Follow this up');
  await f.getByRole('dialog', { name: 'Add action' }).getByRole('button', { name: 'Add action' }).click();
  await expect(f.getByRole('list', { name: 'Recorded decisions and actions' })).toContainText('Follow this up');
  await expectNoAxeViolations(f, 'the facilitator page with an action recorded');
  expectNoPageErrors(people);
});

test('the projector has no WCAG 2.2 AA violations: join details, card wall with timer, results', async ({ browser, people }) => {
  const workshop = await createWorkshopByApi(server.url, 'Axe projector workshop');
  const priorities = workshop.boards.find((b) => b.title === 'Priorities')!.id;
  const samJoin = await joinByApi(server.url, workshop, 'Sam Patel', 'North');
  const facilitator = await openFacilitator(browser, server.url, workshop);
  people.push(facilitator);
  const f = facilitator.page;
  await boardControls(f, 'Priorities').getByRole('button', { name: 'Start brainstorm' }).click();
  for (const text of ['A single front door', 'Shared training', 'One data platform']) await addCardByApi(server.url, samJoin, priorities, text);

  const projector = await openProjector(f);
  await projector.setViewportSize({ width: 1920, height: 1080 });
  await expect(projector.getByRole('heading', { name: 'Join this workshop' })).toBeVisible();
  await expect(projector.getByRole('list', { name: 'Cards: Priorities' }).getByRole('listitem')).toHaveCount(3);
  await expectNoAxeViolations(projector, 'the projector showing join details beside the cards');

  await f.getByRole('checkbox', { name: 'Show the join code on the projector' }).uncheck();
  await expect(projector.getByRole('heading', { name: 'Join this workshop' })).toHaveCount(0);
  await f.getByLabel('Minutes').fill('2');
  await f.getByRole('button', { name: 'Start timer' }).click();
  await expect(projector.getByRole('timer')).toBeVisible();
  await expectNoAxeViolations(projector, 'the projector showing the card wall and the timer');

  await boardControls(f, 'Priorities').getByRole('button', { name: 'Start voting' }).click();
  await boardControls(f, 'Priorities').getByRole('button', { name: 'Show results' }).click();
  await expect(projector.getByRole('heading', { name: 'Results' })).toBeVisible();
  await expectNoAxeViolations(projector, 'the projector showing results');
  expectNoPageErrors(people);
});

test('the HTML notes have no WCAG 2.2 AA violations', async ({ browser, people }) => {
  const workshop = await createWorkshopByApi(server.url, 'Axe notes workshop');
  const priorities = workshop.boards.find((b) => b.title === 'Priorities')!.id;
  const samJoin = await joinByApi(server.url, workshop, 'Sam Patel', 'North');
  await addCardByApi(server.url, samJoin, priorities, 'A single front door');
  await addCardByApi(server.url, samJoin, priorities, 'Shared training');
  const response = await fetch(new URL(`/api/workshops/${workshop.id}/notes.html`, server.url), {
    headers: { authorization: `Bearer ${workshop.facilitatorKey}` }
  });
  expect(response.status).toBe(200);
  const html = await response.text();

  const reader = await openBrowserFor(browser, server.url);
  people.push(reader);
  // The notes are a download; shown here from the server's own origin, as a saved file would be opened.
  await reader.page.route('**/notes-preview', (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }));
  await reader.page.goto('/notes-preview');
  await expect(reader.page.getByRole('heading', { level: 1 })).toContainText('Axe notes workshop');
  await expect(reader.page.getByText('A single front door').first()).toBeVisible();
  await expectNoAxeViolations(reader.page, 'the HTML notes');
});

test('the workshop details, attribution and privacy screens have no WCAG 2.2 AA violations', async ({ browser, people }) => {
  const workshop = await createWorkshopByApi(server.url, 'Axe details workshop');
  const visitor = await openBrowserFor(browser, server.url);
  const facilitator = await openFacilitator(browser, server.url, workshop);
  people.push(visitor, facilitator);
  const page = visitor.page;

  await test.step('the create form with "More details" open and an error in it', async () => {
    await page.goto('/');
    await page.getByText('More details').click();
    await page.getByLabel('Workshop title').fill('Axe details');
    await page.getByLabel('Material shared on the day').fill('Slides not-a-link');
    await page.getByRole('button', { name: 'Create workshop' }).click();
    await expect(page.getByLabel('Material shared on the day')).toHaveAttribute('aria-invalid', 'true');
    await expectNoAxeViolations(page, 'the create form with more details and an error');
  });

  await test.step('the join page saying what is recorded, with "This is a shared computer" ticked', async () => {
    await page.goto(`/join/${workshop.joinCode}`);
    await expect(page.getByRole('region', { name: 'What is recorded about you' })).toContainText('never your name');
    await page.getByLabel('This is a shared computer').check();
    await expectNoAxeViolations(page, 'the join page with the privacy text');
  });

  await test.step('the room header with its date and "Leave workshop"', async () => {
    await page.getByLabel('Your name').fill('Axe Details');
    await page.getByRole('button', { name: 'Join', exact: true }).click();
    await page.getByRole('group', { name: 'Which room are you in?' }).getByRole('radio', { name: 'North' }).check();
    await page.getByRole('button', { name: 'Join room' }).click();
    await expect(page.getByRole('button', { name: 'Leave workshop' })).toBeVisible();
    await expectNoAxeViolations(page, 'the room with its details and Leave workshop');
  });

  await test.step('the console’s details panel, open, after changing the attribution', async () => {
    const f = facilitator.page;
    const panel = f.getByRole('region', { name: 'Workshop details' });
    await panel.getByLabel('Attribution').selectOption('anonymous');
    await expect(panel.getByRole('status').filter({ hasText: /applies from now on/ })).toBeVisible();
    await panel.getByText('Edit the date, venue').click();
    await expect(panel.getByRole('button', { name: 'Save details' })).toBeVisible();
    await expectNoAxeViolations(f, 'the console with the details panel open');
  });
  expectNoPageErrors(people);
});
