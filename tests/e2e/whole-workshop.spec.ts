import type { Page } from '@playwright/test';
import { expect, test, serverForThisFile } from './support/fixtures';
import { addCard, boardCards, expectNoPageErrors, facilitatorCards } from './support/goldthread';
import {
  board,
  boardControls,
  clockSeconds,
  createWorkshopByApi,
  joinByApi,
  openFacilitator,
  openParticipant,
  openProjector,
  recordWebsocketTraffic,
  trafficContains
} from './support/facilitation';

// One journey through a whole workshop, as the facilitation issue describes it; each step is
// also covered in depth by its own spec (private-brainstorm, grouping-and-plenary, facilitation, projector).
const server = serverForThisFile();

test('a whole workshop across North, Central and South with a facilitator and a projector', async ({ browser, people }) => {
  test.setTimeout(240_000);
  const workshop = await createWorkshopByApi(server.url, 'Whole workshop');
  const facilitator = await openFacilitator(browser, server.url, workshop);
  people.push(facilitator);
  const f = facilitator.page;
  const projector = await openProjector(f);

  const traffic = new Map<string, ReturnType<typeof recordWebsocketTraffic>[]>();
  const join = async (name: string, room: string) => {
    const recorded: ReturnType<typeof recordWebsocketTraffic>[] = [];
    traffic.set(name, recorded);
    const person = await openParticipant(browser, server.url, await joinByApi(server.url, workshop, name, room), (page) =>
      recorded.push(recordWebsocketTraffic(page))
    );
    people.push(person);
    return person;
  };
  const sam = await join('Sam Patel', 'North');
  const priya = await join('Priya Shah', 'North');
  const chris = await join('Chris Obi', 'Central');
  const alex = await join('Alex Morgan', 'South');
  const participants = [sam, priya, chris, alex];
  const framesOf = (name: string) => traffic.get(name)!.flatMap((t) => t.frames);
  const controls = boardControls(f, 'Priorities');

  const cards = { sam: 'Sam: fix the referral loop', priya: 'Priya: weekend opening hours', chris: 'Chris: a joint duty rota', alex: 'Alex: a single front door' };

  await test.step('private brainstorm: nobody’s page or traffic holds anyone else’s card before Reveal', async () => {
    await controls.getByRole('checkbox', { name: 'Private brainstorm' }).check();
    await controls.getByRole('button', { name: 'Start brainstorm' }).click();
    await addCard(sam.page, 'Priorities', cards.sam);
    await addCard(priya.page, 'Priorities', cards.priya);
    await addCard(chris.page, 'Priorities', cards.chris);
    await addCard(alex.page, 'Priorities', cards.alex);
    const counts = controls.getByRole('list', { name: 'Private cards so far on Priorities' });
    await expect(counts).toContainText('North: 2');
    await expect(counts).toContainText('Central: 1');
    await expect(counts).toContainText('South: 1');
    const everyone = [
      ['Sam Patel', sam.page, cards.sam],
      ['Priya Shah', priya.page, cards.priya],
      ['Chris Obi', chris.page, cards.chris],
      ['Alex Morgan', alex.page, cards.alex]
    ] as const;
    for (const [name, page, own] of everyone) {
      for (const other of Object.values(cards).filter((text) => text !== own)) {
        await expect(page.locator('body')).not.toContainText(other);
        expect(trafficContains(framesOf(name), other), `${name}'s traffic holds "${other}"`).toBe(false);
      }
    }
    await controls.getByRole('button', { name: 'Reveal' }).click();
    await expect(boardCards(sam.page, 'Priorities')).toHaveText([new RegExp(cards.sam), new RegExp(cards.priya)]);
    await expect(facilitatorCards(f, 'South', 'Priorities')).toHaveText([new RegExp(cards.alex)]);
    // Reveal shares within each room: Central still never receives North's cards.
    expect(trafficContains(framesOf('Chris Obi'), cards.sam)).toBe(false);
  });

  await test.step('the timer shows the same time on every screen, within a second', async () => {
    await f.getByLabel('Minutes').fill('10');
    await f.getByRole('button', { name: 'Start timer' }).click();
    const screens: Page[] = [f, projector, ...participants.map((p) => p.page)];
    for (const page of screens) await expect(page.getByRole('timer')).toHaveText(/^(09|10):\d\d$/);
    const seconds = (await Promise.all(screens.map((page) => page.getByRole('timer').textContent()))).map((t) => clockSeconds(t ?? ''));
    expect(Math.max(...seconds) - Math.min(...seconds), `readouts ${seconds.join(', ')}`).toBeLessThanOrEqual(1);
  });

  await test.step('grouping by keyboard: a theme is named and someone else’s card moved into it', async () => {
    await controls.getByRole('button', { name: 'Start grouping' }).click();
    const name = board(sam.page, 'Priorities').getByLabel('Theme name');
    await name.focus();
    await sam.page.keyboard.type('Access to services');
    await sam.page.keyboard.press('Enter');
    await expect(board(priya.page, 'Priorities').getByRole('heading', { name: 'Access to services' })).toBeVisible();
    const move = board(priya.page, 'Priorities').getByRole('combobox', { name: `Move to theme: ${cards.sam}` });
    await move.focus();
    await priya.page.keyboard.press('ArrowDown');
    const theme = board(sam.page, 'Priorities').getByRole('list', { name: 'Access to services', exact: true }).getByRole('listitem');
    await expect(theme).toHaveText([new RegExp(cards.sam)]);
  });

  await test.step('a locked board refuses edits', async () => {
    await controls.getByRole('button', { name: 'Lock board' }).click();
    const chrisBoard = board(chris.page, 'Priorities');
    await expect(chrisBoard).toContainText('The facilitator has locked this board.');
    await expect(chrisBoard.getByRole('button', { name: 'Add card' })).toHaveCount(0);
    await expect(chrisBoard.getByRole('button', { name: /^Edit card:/ })).toHaveCount(0);
    await controls.getByRole('button', { name: 'Unlock board' }).click();
    await expect(chrisBoard).not.toContainText('The facilitator has locked this board.');
  });

  await test.step('the projector follows the spotlight', async () => {
    await controls.getByRole('button', { name: 'Bring everyone here' }).click();
    await f.getByRole('region', { name: 'South', exact: true }).getByRole('button', { name: `Spotlight: ${cards.alex}` }).click();
    const spotlight = projector.getByRole('region', { name: 'Spotlight' });
    await expect(spotlight).toContainText(cards.alex);
    await expect(spotlight).toContainText('South');
    await f.getByRole('region', { name: 'South', exact: true }).getByRole('button', { name: `Stop spotlight: ${cards.alex}` }).click();
    await expect(spotlight).toHaveCount(0);
  });

  await test.step('the plenary combines every room’s cards, each tagged with its room', async () => {
    await controls.getByRole('button', { name: 'Combine rooms' }).click();
    const plenary = controls.getByRole('list', { name: 'Priorities: all rooms together' }).getByRole('listitem');
    await expect(plenary).toHaveCount(4);
    await expect(plenary.filter({ hasText: cards.chris })).toContainText('Central');
    await expect(plenary.filter({ hasText: cards.alex })).toContainText('South');
    const together = board(alex.page, 'Priorities').getByRole('region', { name: 'All rooms together' });
    await expect(together.getByRole('listitem').filter({ hasText: cards.sam })).toContainText('North');
  });

  await test.step('dot voting: a vote over the budget is refused', async () => {
    await controls.getByRole('button', { name: 'Start voting' }).click();
    const alexBoard = board(alex.page, 'Priorities');
    const left = alexBoard.getByRole('status').filter({ hasText: 'votes left' });
    await expect(left).toHaveText('3 of 3 votes left');
    // The card is on South's board and, since combining, on the plenary too: either vote counts.
    const vote = alexBoard.getByRole('button', { name: `Vote for: ${cards.alex}` }).first();
    for (let i = 0; i < 3; i++) await vote.click();
    await expect(left).toHaveText('0 of 3 votes left');
    await vote.click();
    await expect(alexBoard.getByRole('alert')).toHaveText('You have used all 3 of your votes.');
    await expect(left).toHaveText('0 of 3 votes left');
    await controls.getByRole('button', { name: 'Show results' }).click();
    await expect(board(alex.page, 'Priorities').getByRole('list', { name: 'Results: Priorities' }).getByRole('listitem').first()).toContainText(cards.alex);
  });
  expectNoPageErrors(people);
});
