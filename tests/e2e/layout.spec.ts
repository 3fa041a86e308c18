import type { Browser, Page } from '@playwright/test';
import { expect, test, serverForThisFile } from './support/fixtures';
import { expectConnected, expectNoPageErrors, type Person } from './support/goldthread';
import {
  addCardByApi,
  board,
  boardControls,
  createWorkshopByApi,
  joinByApi,
  openFacilitator,
  openParticipant,
  openProjector,
  type CreatedWorkshop,
  type Joined
} from './support/facilitation';
import { expectCleanLayout, saveScreenshot } from './support/layout';

const server = serverForThisFile();

/** Cards as people really write them: short, long, with long words and long names. */
const CARDS: [string, string][] = [
  ['Priya Shah', 'One shared referral form for every partner'],
  ['Alexandra Montgomery-Whitfield', 'Multi-agency safeguarding hub (MASH) referrals answered within 24 hours, every day of the week'],
  ['Jo Lee', 'Warm spaces'],
  ['Priya Shah', 'Co-locate housing, benefits and employment advice in the library so people are not sent from door to door'],
  ['Jo Lee', 'Data-sharing agreements signed once, not per project: https://example.org/data-sharing-agreement-template-2024'],
  ['Alexandra Montgomery-Whitfield', 'Youth club funding beyond March']
];

async function fillBoard(workshop: CreatedWorkshop, room: string): Promise<Record<string, Joined>> {
  const priorities = workshop.boards.find((b) => b.title === 'Priorities')!.id;
  const joined: Record<string, Joined> = {};
  for (const [name, text] of CARDS) {
    joined[name] ??= await joinByApi(server.url, workshop, name, room);
    await addCardByApi(server.url, joined[name]!, priorities, text);
  }
  return joined;
}

/** A participant's browser as a person with 200% zoom sees it: half the CSS pixels, twice the device pixels. */
async function openZoomedParticipant(browser: Browser, joined: Joined, width: number, height: number): Promise<Person> {
  const context = await browser.newContext({ baseURL: server.url, viewport: { width, height }, deviceScaleFactor: 2 });
  const pageErrors: string[] = [];
  context.on('weberror', (error) => pageErrors.push(String(error.error())));
  await context.addInitScript(
    ([key, session]) => {
      if (location.protocol.startsWith('http') && !window.localStorage.getItem(key)) window.localStorage.setItem(key, session);
    },
    [`goldthread:participant:${joined.workshopId}`, JSON.stringify(joined)] as const
  );
  const page = await context.newPage();
  await page.goto(`/w/${joined.workshopId}/r/${joined.roomId}`);
  await expectConnected(page);
  return { context, page, pageErrors };
}

async function showOneBoard(page: Page, title: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Boards' }).getByRole('button', { name: new RegExp(`^${title}`) }).click();
  await expect(board(page, title)).toBeVisible();
}

test('the participant board reads cleanly at 360×740 and 1366×768, and at 200% zoom: no text overflows or overlaps', async ({ browser, people }) => {
  const workshop = await createWorkshopByApi(server.url, 'Riverside Partnership Day: health, housing and community safety');
  const facilitator = await openFacilitator(browser, server.url, workshop);
  people.push(facilitator);
  const controls = boardControls(facilitator.page, 'Priorities');
  await controls.getByRole('button', { name: 'Start brainstorm' }).click();
  await fillBoard(workshop, 'North');
  const samJoin = await joinByApi(server.url, workshop, 'Sam Patel', 'North');
  const sam = await openParticipant(browser, server.url, samJoin);
  people.push(sam);
  const p = sam.page;
  await expect(board(p, 'Priorities').getByRole('listitem')).toHaveCount(CARDS.length);
  await facilitator.page.getByLabel('Minutes').fill('10');
  await facilitator.page.getByRole('button', { name: 'Start timer' }).click();

  await test.step('brainstorm, every board side by side', async () => {
    for (const [width, height] of [
      [1366, 768],
      [360, 740]
    ] as const) {
      await p.setViewportSize({ width, height });
      await board(p, 'Priorities').getByLabel('Card text').fill('A half-written idea about transport');
      await expectCleanLayout(p, `the brainstorm board at ${width}×${height}`);
      await saveScreenshot(p, `participant-brainstorm-${width}x${height}`);
    }
  });

  await test.step('grouping, with a theme, on one board', async () => {
    await controls.getByRole('button', { name: 'Start grouping' }).click();
    await p.setViewportSize({ width: 1366, height: 768 });
    await showOneBoard(p, 'Priorities');
    await board(p, 'Priorities').getByLabel('Theme name').fill('Getting help in one place');
    await board(p, 'Priorities').getByRole('button', { name: 'New theme' }).click();
    await board(p, 'Priorities')
      .getByRole('combobox', { name: `Move to theme: ${CARDS[0]![1]}` })
      .selectOption({ label: 'Getting help in one place' });
    await expect(board(p, 'Priorities').getByRole('list', { name: 'Getting help in one place' }).getByRole('listitem')).toHaveCount(1);
    for (const [width, height] of [
      [1366, 768],
      [360, 740]
    ] as const) {
      await p.setViewportSize({ width, height });
      await expectCleanLayout(p, `the grouping board at ${width}×${height}`);
      await saveScreenshot(p, `participant-grouping-${width}x${height}`);
    }
  });

  await test.step('voting, with results shown', async () => {
    await controls.getByRole('button', { name: 'Start voting' }).click();
    await board(p, 'Priorities').getByRole('button', { name: `Vote for: ${CARDS[1]![1]}` }).click();
    await expect(board(p, 'Priorities').getByRole('status').filter({ hasText: 'votes left' })).toHaveText('2 of 3 votes left');
    await controls.getByRole('button', { name: 'Show results' }).click();
    await expect(board(p, 'Priorities').getByRole('list', { name: 'Results: Priorities' })).toBeVisible();
    for (const [width, height] of [
      [1366, 768],
      [360, 740]
    ] as const) {
      await p.setViewportSize({ width, height });
      await expectCleanLayout(p, `the voting board at ${width}×${height}`);
      await saveScreenshot(p, `participant-voting-${width}x${height}`);
    }
  });

  await test.step('200% zoom of a 1366×768 laptop (683×384 CSS pixels), and text alone made twice as big', async () => {
    const zoomed = await openZoomedParticipant(browser, samJoin, 683, 384);
    people.push(zoomed);
    await showOneBoard(zoomed.page, 'Priorities');
    await expect(board(zoomed.page, 'Priorities').getByRole('listitem').first()).toBeVisible();
    await expectCleanLayout(zoomed.page, 'the voting board at 200% zoom');
    await saveScreenshot(zoomed.page, 'participant-voting-zoom-200');

    await p.setViewportSize({ width: 1366, height: 768 });
    await p.evaluate(() => (document.documentElement.style.fontSize = '200%'));
    await expectCleanLayout(p, 'the voting board with text at 200%');
    await saveScreenshot(p, 'participant-voting-text-200');
    await p.evaluate(() => (document.documentElement.style.fontSize = ''));
  });

  await test.step('offline, with changes waiting, on a phone', async () => {
    await controls.getByRole('button', { name: 'Discuss' }).click();
    await p.setViewportSize({ width: 360, height: 740 });
    await sam.context.setOffline(true);
    await board(p, 'Priorities').getByLabel('Card text').fill('Written while the Wi-Fi was down');
    await board(p, 'Priorities').getByLabel('Card text').press('Enter');
    await expect(p.getByRole('status').filter({ hasText: '1 change not sent yet' })).toBeVisible();
    await expectCleanLayout(p, 'the board offline at 360×740');
    await saveScreenshot(p, 'participant-offline-360x740');
    await sam.context.setOffline(false);
    await expectConnected(p);
  });
  expectNoPageErrors(people);
});

test('the projector fills 1920×1080 with nothing overflowing or overlapping, and stays still for people who ask for less motion', async ({
  browser,
  people
}) => {
  const workshop = await createWorkshopByApi(server.url, 'Riverside Partnership Day: health, housing and community safety');
  const facilitator = await openFacilitator(browser, server.url, workshop);
  people.push(facilitator);
  const f = facilitator.page;
  await boardControls(f, 'Priorities').getByRole('button', { name: 'Start brainstorm' }).click();
  await fillBoard(workshop, 'North');
  await fillBoard(workshop, 'South');
  const projector = await openProjector(f);
  await projector.setViewportSize({ width: 1920, height: 1080 });
  await projector.emulateMedia({ reducedMotion: 'reduce' });
  await f.getByLabel('Minutes').fill('10');
  await f.getByRole('button', { name: 'Start timer' }).click();
  const wall = projector.getByRole('list', { name: 'Cards: Priorities' });
  await expect(wall.getByRole('listitem')).toHaveCount(CARDS.length * 2);
  await expect(projector.getByRole('heading', { name: 'Join this workshop' })).toBeVisible();
  await expect(projector.getByRole('timer')).toBeVisible();

  // Asked for less motion: the wall's page turn does not fade.
  const duration = await wall.evaluate((element) => parseFloat(getComputedStyle(element).animationDuration));
  expect(duration).toBeLessThan(0.01);

  await expectCleanLayout(projector, 'the projector with join details at 1920×1080');

  await saveScreenshot(projector, 'projector-join-1920x1080', false);

  await f.getByRole('checkbox', { name: 'Show the join code on the projector' }).uncheck();
  await expect(projector.getByRole('heading', { name: 'Join this workshop' })).toHaveCount(0);
  await expectCleanLayout(projector, 'the projector card wall at 1920×1080');
  await saveScreenshot(projector, 'projector-cards-1920x1080', false);
  expectNoPageErrors(people);
});
