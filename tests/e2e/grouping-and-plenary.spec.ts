import type { Page } from '@playwright/test';
import { expect, test, serverForThisFile } from './support/fixtures';
import { expectNoPageErrors } from './support/goldthread';
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

const server = serverForThisFile();

/** The cards listed under one theme (or "Not in a theme") of a board. */
function themeCards(page: Page, boardTitle: string, theme: string) {
  return board(page, boardTitle).getByRole('list', { name: theme, exact: true }).getByRole('listitem');
}

test('in the grouping phase participants make themes and move anyone’s cards into them with the keyboard alone (or by dragging)', async ({
  browser,
  people
}) => {
  const workshop = await createWorkshopByApi(server.url, 'Grouping workshop');
  const priorities = workshop.boards.find((b) => b.title === 'Priorities')!.id;
  const samJoin = await joinByApi(server.url, workshop, 'Sam Patel', 'North');
  const priyaJoin = await joinByApi(server.url, workshop, 'Priya Shah', 'North');
  const facilitator = await openFacilitator(browser, server.url, workshop);
  people.push(facilitator);
  await boardControls(facilitator.page, 'Priorities').getByRole('button', { name: 'Start brainstorm' }).click();
  await addCardByApi(server.url, samJoin, priorities, 'Late-night buses');
  await addCardByApi(server.url, samJoin, priorities, 'Bus routes to the hub');
  await addCardByApi(server.url, priyaJoin, priorities, 'Youth club funding');
  const sam = await openParticipant(browser, server.url, samJoin);
  const priya = await openParticipant(browser, server.url, priyaJoin);
  people.push(sam, priya);

  await boardControls(facilitator.page, 'Priorities').getByRole('button', { name: 'Start grouping' }).click();
  await expect(themeCards(sam.page, 'Priorities', 'Not in a theme')).toHaveCount(3);

  await test.step('a theme is made with the keyboard', async () => {
    const name = board(sam.page, 'Priorities').getByLabel('Theme name');
    await name.focus();
    await sam.page.keyboard.type('Transport');
    await sam.page.keyboard.press('Enter');
    await expect(board(sam.page, 'Priorities').getByRole('heading', { name: 'Transport' })).toBeVisible();
    await expect(board(priya.page, 'Priorities').getByRole('heading', { name: 'Transport' })).toBeVisible();
  });

  await test.step('Priya moves Sam’s card into it with the keyboard, and everyone sees it move', async () => {
    const move = board(priya.page, 'Priorities').getByRole('combobox', { name: 'Move to theme: Late-night buses' });
    await move.focus();
    await priya.page.keyboard.press('ArrowDown');
    await expect(move).toHaveValue(/.+/);
    await expect(themeCards(priya.page, 'Priorities', 'Transport')).toHaveText([/Late-night buses/]);
    await expect(themeCards(sam.page, 'Priorities', 'Transport')).toHaveText([/Late-night buses/]);
    await expect(facilitator.page.getByRole('list', { name: 'North — Priorities themes' })).toContainText('Transport (1)');
  });

  await test.step('a card can also be dragged onto a theme', async () => {
    const card = themeCards(sam.page, 'Priorities', 'Not in a theme').filter({ hasText: 'Bus routes to the hub' });
    await card.dragTo(board(sam.page, 'Priorities').getByRole('region', { name: 'Transport' }));
    await expect(themeCards(priya.page, 'Priorities', 'Transport')).toHaveText([/Late-night buses/, /Bus routes to the hub/]);
    await expect(themeCards(priya.page, 'Priorities', 'Not in a theme')).toHaveText([/Youth club funding/]);
  });

  await test.step('outside the grouping phase the themes stay, but nobody can regroup', async () => {
    await boardControls(facilitator.page, 'Priorities').getByRole('button', { name: 'Start voting' }).click();
    await expect(themeCards(sam.page, 'Priorities', 'Transport')).toHaveCount(2);
    await expect(board(sam.page, 'Priorities').getByRole('combobox')).toHaveCount(0);
    await expect(board(sam.page, 'Priorities').getByLabel('Theme name')).toHaveCount(0);
  });
  expectNoPageErrors(people);
});

test('a plenary combines every room’s cards with room tags, compares the rooms’ themes, and can be voted on', async ({ browser, people }) => {
  const workshop = await createWorkshopByApi(server.url, 'Plenary workshop');
  const priorities = workshop.boards.find((b) => b.title === 'Priorities')!.id;
  const joins = {
    north: await joinByApi(server.url, workshop, 'Sam Patel', 'North'),
    central: await joinByApi(server.url, workshop, 'Chris Obi', 'Central'),
    south: await joinByApi(server.url, workshop, 'Alex Morgan', 'South')
  };
  const facilitator = await openFacilitator(browser, server.url, workshop);
  people.push(facilitator);
  const f = facilitator.page;
  await boardControls(f, 'Priorities').getByRole('button', { name: 'Start brainstorm' }).click();
  await addCardByApi(server.url, joins.north, priorities, 'North: better bus links');
  await addCardByApi(server.url, joins.central, priorities, 'Central: cheaper bus passes');
  await addCardByApi(server.url, joins.central, priorities, 'Central: shared office space');
  await addCardByApi(server.url, joins.south, priorities, 'South: a single front door');
  const sam = await openParticipant(browser, server.url, joins.north);
  const chris = await openParticipant(browser, server.url, joins.central);
  people.push(sam, chris);
  const projector = await openProjector(f);

  await boardControls(f, 'Priorities').getByRole('button', { name: 'Start grouping' }).click();
  for (const [page, theme, card] of [
    [sam.page, 'Transport', 'North: better bus links'],
    [chris.page, 'transport ', 'Central: cheaper bus passes'],
    [chris.page, 'Workspace', 'Central: shared office space']
  ] as const) {
    await board(page, 'Priorities').getByLabel('Theme name').fill(theme);
    await board(page, 'Priorities').getByRole('button', { name: 'New theme' }).click();
    await board(page, 'Priorities').getByRole('combobox', { name: `Move to theme: ${card}` }).selectOption({ label: theme.trim() });
  }
  await expect(f.getByRole('list', { name: 'Central — Priorities themes' })).toContainText('Workspace (1)');

  await test.step('comparing themes shows what several rooms share and what one room alone has', async () => {
    await boardControls(f, 'Priorities').getByRole('button', { name: 'Compare themes' }).click();
    await expect(boardControls(f, 'Priorities').getByRole('list', { name: 'Themes shared by several rooms' })).toContainText(
      /Transport\s*— North, Central/i
    );
    await expect(boardControls(f, 'Priorities').getByRole('list', { name: 'Themes only one room has' })).toContainText(
      'Workspace — Central'
    );
  });

  await test.step('combining puts every room’s cards on one plenary board, each tagged with its room', async () => {
    await boardControls(f, 'Priorities').getByRole('button', { name: 'Combine rooms' }).click();
    await expect(f.getByRole('status').filter({ hasText: '4 cards from every room combined' })).toBeAttached();
    const plenary = boardControls(f, 'Priorities').getByRole('list', { name: 'Priorities: all rooms together' }).getByRole('listitem');
    await expect(plenary).toHaveCount(4);
    await expect(plenary.filter({ hasText: 'North: better bus links' })).toContainText('North');
    await expect(plenary.filter({ hasText: 'South: a single front door' })).toContainText('South');

    const together = board(sam.page, 'Priorities').getByRole('region', { name: 'All rooms together' });
    await expect(together.getByRole('listitem').filter({ hasText: 'Central: cheaper bus passes' })).toContainText('Central');
    await expect(together.getByRole('listitem').filter({ hasText: 'South: a single front door' })).toContainText('South');
    // The plenary keeps the rooms' themes.
    await expect(together.getByRole('heading', { name: 'Transport' }).first()).toBeVisible();

    await boardControls(f, 'Priorities').getByRole('button', { name: 'Bring everyone here' }).click();
    const wall = projector.getByRole('list', { name: 'Cards: Priorities' }).getByRole('listitem');
    await expect(wall).toHaveCount(4);
    await expect(wall.filter({ hasText: 'South: a single front door' })).toContainText('South');
    await expect(projector.getByText('All rooms together')).toBeVisible();

    // A plenary card can be spotlighted like any other, and keeps its room on the big screen.
    await boardControls(f, 'Priorities').getByRole('button', { name: 'Spotlight: South: a single front door' }).click();
    await expect(projector.getByRole('region', { name: 'Spotlight' })).toContainText('South: a single front door');
    await expect(projector.getByRole('region', { name: 'Spotlight' })).toContainText('South');
    await expect(sam.page.getByText('In the spotlight:')).toBeVisible();
    await boardControls(f, 'Priorities').getByRole('button', { name: 'Stop spotlight: South: a single front door' }).click();
    await expect(projector.getByRole('region', { name: 'Spotlight' })).toHaveCount(0);
  });

  await test.step('participants vote on the plenary board, across rooms', async () => {
    await boardControls(f, 'Priorities').getByRole('button', { name: 'Start voting' }).click();
    const together = board(sam.page, 'Priorities').getByRole('region', { name: 'All rooms together' });
    // Copies on the plenary are not edited there, not even by their author.
    await expect(together.getByRole('button', { name: /^Edit card:/ })).toHaveCount(0);
    await together.getByRole('button', { name: 'Vote for: South: a single front door' }).click();
    await expect(board(sam.page, 'Priorities').getByRole('status').filter({ hasText: 'votes left' })).toHaveText('2 of 3 votes left');
  });
  expectNoPageErrors(people);
});
