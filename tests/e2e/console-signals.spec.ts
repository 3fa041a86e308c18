import { expect, test, serverForThisFile } from './support/fixtures';
import { addCard, expectNoPageErrors } from './support/goldthread';
import { board, boardControls, createWorkshopByApi, joinByApi, openFacilitator, openParticipant } from './support/facilitation';

const server = serverForThisFile();

test('after a reload the console still shows "I\'m done" counts, the spotlight’s text, and the plenary only for combined boards', async ({
  browser,
  people
}) => {
  const workshop = await createWorkshopByApi(server.url, 'Signals workshop');
  const facilitator = await openFacilitator(browser, server.url, workshop);
  const sam = await openParticipant(browser, server.url, await joinByApi(server.url, workshop, 'Sam Patel', 'North'));
  people.push(facilitator, sam);
  const f = facilitator.page;
  const north = f.getByRole('region', { name: 'North', exact: true });

  await boardControls(f, 'Priorities').getByRole('button', { name: 'Start brainstorm' }).click();
  await addCard(sam.page, 'Priorities', 'North: a community fridge');
  await board(sam.page, 'Priorities').getByRole('button', { name: "I'm done" }).click();
  await expect(north).toContainText("I'm done: 1 of 1");

  await north.getByRole('button', { name: 'Spotlight: North: a community fridge' }).click();
  const spotlight = f.getByRole('group', { name: 'In the spotlight' });
  await expect(spotlight).toContainText('In the spotlight (North): North: a community fridge');

  await boardControls(f, 'Priorities').getByRole('button', { name: 'Start grouping' }).click();
  await boardControls(f, 'Vision').getByRole('button', { name: 'Start brainstorm' }).click();
  await boardControls(f, 'Vision').getByRole('button', { name: 'Start grouping' }).click();
  await boardControls(f, 'Priorities').getByRole('button', { name: 'Combine rooms' }).click();
  await expect(boardControls(f, 'Priorities').getByRole('list', { name: 'Priorities: all rooms together' }).getByRole('listitem')).toHaveText([
    /North: a community fridge/
  ]);

  await f.reload();
  await expect(f.getByRole('heading', { level: 2, name: 'Boards' })).toBeVisible();
  await expect(north).toContainText("I'm done: 1 of 1");
  await expect(spotlight).toContainText('North: a community fridge');
  await expect(boardControls(f, 'Priorities').getByRole('heading', { name: 'Priorities: all rooms together' })).toBeVisible();
  // Vision is in the grouping phase too, but was never combined: no plenary for it.
  await expect(boardControls(f, 'Vision').getByRole('heading', { name: 'Vision: all rooms together' })).toHaveCount(0);

  await spotlight.getByRole('button', { name: 'Clear spotlight' }).click();
  await expect(spotlight).toHaveCount(0);
  expectNoPageErrors(people);
});
