import type { Locator, Page } from '@playwright/test';
import { expect, test, serverForThisFile } from './support/fixtures';
import { expectConnected, expectNoPageErrors, openBrowserFor } from './support/goldthread';
import {
  addCardByApi,
  board,
  boardControls,
  createWorkshopByApi,
  joinByApi,
  openFacilitator,
  openParticipant
} from './support/facilitation';

const server = serverForThisFile();

/** Whether the focused element shows a focus indicator someone can see (an outline or a ring). */
async function focusIsVisible(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const element = document.activeElement;
    if (!element || element === document.body) return false;
    const style = getComputedStyle(element);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
    const ring = style.boxShadow !== 'none';
    return outline || ring;
  });
}

/**
 * Presses Tab, or Shift+Tab when the target comes before the focus in the page, until the
 * target has the focus; fails if that takes more than `limit` presses.
 */
async function tabTo(page: Page, target: Locator, limit = 80): Promise<void> {
  const backwards = await target.evaluate((element) => {
    const active = document.activeElement;
    if (!active || active === document.body) return false;
    return (active.compareDocumentPosition(element) & Node.DOCUMENT_POSITION_PRECEDING) !== 0;
  });
  for (let presses = 0; presses < limit; presses++) {
    if (await target.evaluate((element) => element === document.activeElement)) return;
    await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab');
  }
  await expect(target, `reached within ${limit} presses of ${backwards ? 'Shift+Tab' : 'Tab'}`).toBeFocused();
}

/** Moves the focus to the target with Tab and checks the focus can be seen there. */
async function tabToVisibly(page: Page, target: Locator): Promise<void> {
  await tabTo(page, target);
  await expect(target).toBeFocused();
  expect(await focusIsVisible(page), 'the focus indicator is visible').toBe(true);
}

test('a participant joins, adds, edits, groups and votes with the keyboard alone, always seeing where the focus is', async ({ browser, people }) => {
  const workshop = await createWorkshopByApi(server.url, 'Keyboard workshop');
  const priorities = workshop.boards.find((b) => b.title === 'Priorities')!.id;
  const facilitator = await openFacilitator(browser, server.url, workshop);
  const other = await joinByApi(server.url, workshop, 'Priya Shah', 'Central');
  const kim = await openBrowserFor(browser, server.url);
  people.push(facilitator, kim);
  const f = facilitator.page;
  const p = kim.page;
  const keys = p.keyboard;
  await boardControls(f, 'Priorities').getByRole('button', { name: 'Start brainstorm' }).click();
  await addCardByApi(server.url, other, priorities, 'Transport to appointments');

  await test.step('join: name, sector, room — keys only', async () => {
    await p.goto(`/join/${workshop.joinCode}`);
    await expect(p.getByLabel('Your name')).toBeFocused();
    expect(await focusIsVisible(p)).toBe(true);
    await keys.type('Kim Ng');
    await tabToVisibly(p, p.getByLabel('Sector'));
    // A closed select changes with the arrow keys: the first sector.
    await keys.press('ArrowDown');
    await expect(p.getByLabel('Sector')).toHaveValue('Council');
    await tabToVisibly(p, p.getByRole('button', { name: 'Join', exact: true }));
    await keys.press('Enter');
    const rooms = p.getByRole('group', { name: 'Which room are you in?' });
    await expect(rooms.getByRole('radio', { name: 'North' })).toBeFocused();
    await keys.press('ArrowDown');
    await expect(rooms.getByRole('radio', { name: 'Central' })).toBeChecked();
    expect(await focusIsVisible(p)).toBe(true);
    await tabToVisibly(p, p.getByRole('button', { name: 'Join room' }));
    await keys.press('Enter');
    await expect(p.getByRole('heading', { level: 1 })).toHaveText('Keyboard workshop — Central');
    await expectConnected(p);
  });

  const board1 = board(p, 'Priorities');

  await test.step('the first Tab offers a way past the header, straight to the boards', async () => {
    await keys.press('Tab');
    await expect(p.getByRole('link', { name: 'Skip to main content' })).toBeFocused();
    expect(await focusIsVisible(p)).toBe(true);
  });

  await test.step('add a card', async () => {
    const box = board1.getByLabel('Card text');
    await tabToVisibly(p, box);
    await keys.type('Evening opening hours');
    await keys.press('Enter');
    await expect(board1.getByRole('list', { name: 'Priorities', exact: true }).getByRole('listitem')).toHaveText([
      /Transport to appointments/,
      /Evening opening hours/
    ]);
    await expect(box).toBeFocused();
    await expect(box).toHaveValue('');
  });

  await test.step('edit it', async () => {
    await tabToVisibly(p, board1.getByRole('button', { name: 'Edit card: Evening opening hours' }));
    await keys.press('Enter');
    const editor = p.getByLabel('Edit card text');
    await expect(editor).toBeFocused();
    expect(await focusIsVisible(p)).toBe(true);
    await keys.type(' and weekends');
    await keys.press('Enter');
    await expect(board1.getByRole('button', { name: 'Edit card: Evening opening hours and weekends' })).toBeFocused();
  });

  await test.step('make a theme and move a card into it', async () => {
    await boardControls(f, 'Priorities').getByRole('button', { name: 'Start grouping' }).click();
    const themeName = board1.getByLabel('Theme name');
    await expect(themeName).toBeVisible();
    // The board was drawn again for grouping around the focused button: it keeps the focus.
    await expect(board1.getByRole('button', { name: 'Edit card: Evening opening hours and weekends' })).toBeFocused();
    await tabToVisibly(p, themeName);
    await keys.type('Access');
    await keys.press('Enter');
    await expect(board1.getByRole('heading', { name: 'Access' })).toBeVisible();
    const move = board1.getByRole('combobox', { name: 'Move to theme: Transport to appointments' });
    await tabToVisibly(p, move);
    await keys.press('ArrowDown');
    await expect(board1.getByRole('list', { name: 'Access', exact: true }).getByRole('listitem')).toHaveText([/Transport to appointments/]);
    // The card is drawn again inside its theme; its menu keeps the focus.
    await expect(move).toBeFocused();
    expect(await focusIsVisible(p)).toBe(true);
  });

  await test.step('vote, take a vote back, and say "I\'m done"', async () => {
    await boardControls(f, 'Priorities').getByRole('button', { name: 'Start voting' }).click();
    const vote = board1.getByRole('button', { name: 'Vote for: Transport to appointments' });
    await expect(vote).toBeVisible();
    // The theme menu went away with grouping: the focus waits on the board's heading, not the page's top.
    await expect(board1.getByRole('heading', { name: 'Priorities', level: 2 })).toBeFocused();
    await tabToVisibly(p, vote);
    await keys.press('Enter');
    await expect(board1.getByRole('status').filter({ hasText: 'votes left' })).toHaveText('2 of 3 votes left');
    await expect(vote).toBeFocused();
    await keys.press('Space');
    await expect(board1.getByRole('status').filter({ hasText: 'votes left' })).toHaveText('1 of 3 votes left');
    await tabToVisibly(p, board1.getByRole('button', { name: 'Take back a vote from: Transport to appointments' }));
    await keys.press('Enter');
    await expect(board1.getByRole('status').filter({ hasText: 'votes left' })).toHaveText('2 of 3 votes left');
    const done = board1.getByRole('button', { name: "I'm done" });
    await tabToVisibly(p, done);
    await keys.press('Space');
    await expect(done).toHaveAttribute('aria-pressed', 'true');
  });
  expectNoPageErrors(people);
});

test('screen readers hear other people’s new cards in one short sentence, phase changes, and the end of the timer', async ({ browser, people }) => {
  const workshop = await createWorkshopByApi(server.url, 'Announcements workshop');
  const priorities = workshop.boards.find((b) => b.title === 'Priorities')!.id;
  const priya = await joinByApi(server.url, workshop, 'Priya Shah', 'North');
  const jo = await joinByApi(server.url, workshop, 'Jo Lee', 'North');
  const facilitator = await openFacilitator(browser, server.url, workshop);
  const sam = await openParticipant(browser, server.url, await joinByApi(server.url, workshop, 'Sam Patel', 'North'));
  people.push(facilitator, sam);
  const p = sam.page;
  /** The page's polite live region (the only status with no visible text). */
  const news = p.getByRole('status').filter({ hasText: /new card|is now|Time is up|timer/ });

  await boardControls(facilitator.page, 'Priorities').getByRole('button', { name: 'Start brainstorm' }).click();
  await expect(news.filter({ hasText: 'Priorities is now: Brainstorm.' })).toBeAttached();

  await test.step('five cards from two people arrive as one sentence, not five', async () => {
    const said: string[] = [];
    await p.exposeFunction('recordAnnouncement', (text: string) => said.push(text));
    await p.evaluate(() => {
      const region = [...document.querySelectorAll('[aria-live="polite"]')].find((element) => element.classList.contains('visually-hidden'));
      if (!region) throw new Error('no polite live region');
      new MutationObserver(() => (window as unknown as { recordAnnouncement(text: string): void }).recordAnnouncement(region.textContent ?? '')).observe(
        region,
        { childList: true, characterData: true, subtree: true }
      );
    });
    for (const text of ['Bus routes', 'Youth club', 'Library hours']) await addCardByApi(server.url, priya, priorities, text);
    for (const text of ['Food bank', 'Warm spaces']) await addCardByApi(server.url, jo, priorities, text);
    await expect(board(p, 'Priorities').getByRole('listitem')).toHaveCount(5);
    await expect(news).toContainText('5 new cards on Priorities, from Priya Shah and Jo Lee.');
    const aboutCards = said.filter((text) => text.includes('new card'));
    expect(aboutCards).toHaveLength(1);
  });

  await test.step('the timer’s end is said once it runs out', async () => {
    await facilitator.page.getByLabel('Minutes').fill('0.05');
    await facilitator.page.getByRole('button', { name: 'Start timer' }).click();
    await expect(news.filter({ hasText: 'Time is up.' })).toBeAttached();
  });
  expectNoPageErrors(people);
});
