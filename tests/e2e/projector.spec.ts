import type { Page } from '@playwright/test';
import { expect, test, serverForThisFile } from './support/fixtures';
import { addCard, expectNoPageErrors } from './support/goldthread';
import {
  addCardByApi,
  boardControls,
  createWorkshopByApi,
  joinByApi,
  openFacilitator,
  openParticipant,
  openProjector
} from './support/facilitation';

const server = serverForThisFile();

/** The page does not scroll, and every card of the wall lies inside the window. */
async function expectWallFits(projector: Page, count: number): Promise<void> {
  const cards = projector.getByRole('list', { name: /^Cards:/ }).getByRole('listitem');
  await expect(cards).toHaveCount(count);
  const { scrollHeight, scrollWidth, innerHeight, innerWidth } = await projector.evaluate(() => ({
    scrollHeight: document.documentElement.scrollHeight,
    scrollWidth: document.documentElement.scrollWidth,
    innerHeight: window.innerHeight,
    innerWidth: window.innerWidth
  }));
  expect(scrollHeight).toBeLessThanOrEqual(innerHeight);
  expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
  const viewport = projector.viewportSize()!;
  for (const box of await Promise.all((await cards.all()).map((card) => card.boundingBox()))) {
    expect(box).not.toBeNull();
    expect(box!.y + box!.height).toBeLessThanOrEqual(viewport.height + 0.5);
    expect(box!.x + box!.width).toBeLessThanOrEqual(viewport.width + 0.5);
  }
}

test('the projector follows the facilitator: join details, focused board, phase, spotlight and timer', async ({ browser, people }) => {
  const workshop = await createWorkshopByApi(server.url, 'Projector workshop');
  const facilitator = await openFacilitator(browser, server.url, workshop);
  const sam = await openParticipant(browser, server.url, await joinByApi(server.url, workshop, 'Sam Patel', 'North'));
  people.push(facilitator, sam);
  const f = facilitator.page;
  await f.setViewportSize({ width: 1280, height: 900 });
  const projector = await openProjector(f);
  await projector.setViewportSize({ width: 1920, height: 1080 });

  await test.step('while joining is open it shows the code, a QR code and the join address, and never the facilitator key', async () => {
    const join = projector.getByRole('complementary').or(projector.getByRole('region', { name: 'Join this workshop' })).first();
    await expect(join).toContainText(workshop.joinCode);
    await expect(join).toContainText(`${server.url}/join/${workshop.joinCode}`);
    await expect(projector.getByRole('img', { name: /^QR code: scan to join/ })).toBeVisible();
    expect(projector.url()).not.toContain('#');
    await expect(projector.locator('body')).not.toContainText(workshop.facilitatorKey);
    await f.getByRole('checkbox', { name: 'Show the join code on the projector' }).uncheck();
    await expect(projector.getByRole('img', { name: /^QR code/ })).toHaveCount(0);
    await expect(projector.locator('body')).not.toContainText(workshop.joinCode);
  });

  await test.step('it shows the board everyone is brought to, in its phase, with the cards as they come in', async () => {
    await boardControls(f, 'Vision').getByRole('button', { name: 'Start brainstorm' }).click();
    await boardControls(f, 'Vision').getByRole('button', { name: 'Bring everyone here' }).click();
    await expect(projector.getByRole('heading', { level: 1 })).toHaveText('Vision');
    await expect(projector.getByText('Brainstorm', { exact: true })).toBeVisible();
    await addCard(sam.page, 'Vision', 'Young people stay local');
    await addCard(sam.page, 'Vision', 'Clean river paths');
    await expect(projector.getByRole('list', { name: 'Cards: Vision' }).getByRole('listitem')).toHaveText([
      /Young people stay local/,
      /Clean river paths/
    ]);
    await boardControls(f, 'Vision').getByRole('button', { name: 'Start grouping' }).click();
    await expect(projector.getByText('Grouping', { exact: true })).toBeVisible();
  });

  await test.step('a spotlight on a card fills the screen, and comes off again', async () => {
    await f.getByRole('region', { name: 'North', exact: true }).getByRole('button', { name: 'Spotlight: Clean river paths' }).click();
    const spotlight = projector.getByRole('region', { name: 'Spotlight' });
    await expect(spotlight).toContainText('Clean river paths');
    await expect(spotlight).toContainText('North');
    await expect(sam.page.getByText('In the spotlight:')).toBeVisible();
    await f.getByRole('region', { name: 'North', exact: true }).getByRole('button', { name: 'Stop spotlight: Clean river paths' }).click();
    await expect(spotlight).toHaveCount(0);
  });

  await test.step('the timer runs on the big screen too', async () => {
    await f.getByLabel('Minutes').fill('2');
    await f.getByRole('button', { name: 'Start timer' }).click();
    await expect(projector.getByRole('timer')).toHaveText(/^0[12]:\d\d$/);
  });

  await test.step('after a reload it still follows, from the token it kept', async () => {
    await projector.reload();
    await expect(projector.getByRole('heading', { level: 1 })).toHaveText('Vision');
    await expect(projector.getByRole('list', { name: 'Cards: Vision' }).getByRole('listitem')).toHaveCount(2);
  });
  expectNoPageErrors(people);
});

test('sixty cards fit the big screen without scrolling at 1920×1080 and 1280×720; more turn pages by themselves, and a new card is brought to the screen', async ({ browser, people }) => {
  const workshop = await createWorkshopByApi(server.url, 'Busy projector workshop');
  const priorities = workshop.boards.find((b) => b.title === 'Priorities')!.id;
  const joins = await Promise.all(
    (['North', 'Central', 'South'] as const).map((room, index) => joinByApi(server.url, workshop, `Person ${index}`, room))
  );
  const facilitator = await openFacilitator(browser, server.url, workshop);
  people.push(facilitator);
  const f = facilitator.page;
  await boardControls(f, 'Priorities').getByRole('button', { name: 'Start brainstorm' }).click();
  await boardControls(f, 'Priorities').getByRole('button', { name: 'Bring everyone here' }).click();
  for (let i = 0; i < 60; i++) {
    const words = i % 3 === 0 ? 'A longer idea that needs a few more words to say what the room means by it' : 'Short idea';
    await addCardByApi(server.url, joins[i % 3]!, priorities, `${i + 1}. ${words}`);
  }

  const projector = await openProjector(f);
  for (const size of [
    { width: 1920, height: 1080 },
    { width: 1280, height: 720 }
  ]) {
    await projector.setViewportSize(size);
    await expectWallFits(projector, 60);
  }
  await f.getByRole('checkbox', { name: 'Show the join code on the projector' }).uncheck();
  await expectWallFits(projector, 60);

  const wall = projector.getByRole('list', { name: 'Cards: Priorities' });
  // South's cards come last: each new one lands on page 2, and the wall turns to show it.
  for (let i = 60; i < 75; i++) await addCardByApi(server.url, joins[2]!, priorities, `${i + 1}. One more from South`);
  await expect(projector.getByText('Page 2 of 2')).toBeVisible();
  await expect(wall.getByText('75. One more from South')).toBeVisible();
  await expect(wall.getByRole('listitem')).toHaveCount(15);
  // Then the pages turn by themselves again.
  await expect(projector.getByText('Page 1 of 2')).toBeVisible({ timeout: 20_000 });
  await expectWallFits(projector, 60);
  await expect(projector.getByText('Page 2 of 2')).toBeVisible({ timeout: 20_000 });
  expectNoPageErrors(people);
});
