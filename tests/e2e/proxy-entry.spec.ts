import { expect, test, serverForThisFile } from './support/fixtures';
import { expectNoAxeViolations } from './support/accessibility';
import { addCard, boardCards, expectNoPageErrors, facilitatorCards } from './support/goldthread';
import { board, boardControls, createWorkshopByApi, joinByApi, openFacilitator, openParticipant } from './support/facilitation';

const server = serverForThisFile();

test('someone without a device takes part: the facilitator adds them, writes their card (marked as entered by the facilitator) and votes for them', async ({
  browser,
  people
}) => {
  const workshop = await createWorkshopByApi(server.url, 'Inclusive workshop');
  const facilitator = await openFacilitator(browser, server.url, workshop);
  const sam = await openParticipant(browser, server.url, await joinByApi(server.url, workshop, 'Sam Patel', 'North'));
  people.push(facilitator, sam);
  const f = facilitator.page;
  const panel = f.getByRole('region', { name: 'People without a device' });

  await boardControls(f, 'Priorities').getByRole('button', { name: 'Start brainstorm' }).click();
  await addCard(sam.page, 'Priorities', 'Sam: a warm space in winter');

  await test.step('the facilitator adds Margaret to North, with her sector', async () => {
    await panel.getByRole('button', { name: 'Add someone without a device' }).click();
    await expect(panel.getByText('Enter their name (a first name is enough).')).toBeVisible();
    await panel.getByLabel('Their name').fill('Margaret Hughes');
    await panel.getByLabel('Room').selectOption({ label: 'North' });
    await panel.getByLabel('Sector (optional)').selectOption({ label: 'Resident' });
    await panel.getByRole('button', { name: 'Add someone without a device' }).click();
    await expect(panel.getByRole('region', { name: 'Margaret Hughes', exact: true })).toContainText('North · Resident');
    await expect(panel.getByLabel('Their name')).toHaveValue('');
  });

  const margaret = panel.getByRole('region', { name: 'Margaret Hughes', exact: true });

  await test.step('a card in her name shows as entered by the facilitator, on the participant’s screen and in the console', async () => {
    await margaret.getByLabel('Board').selectOption({ label: 'Priorities' });
    await margaret.getByLabel('Card for Margaret Hughes').fill('Margaret: benches along the high street');
    await margaret.getByRole('button', { name: 'Add card for Margaret Hughes' }).click();
    await expect(margaret.getByLabel('Card for Margaret Hughes')).toHaveValue('');

    const onSamsScreen = boardCards(sam.page, 'Priorities').filter({ hasText: 'Margaret: benches along the high street' });
    await expect(onSamsScreen).toContainText('Margaret Hughes');
    await expect(onSamsScreen).toContainText('entered by the facilitator');
    // Sam did not write it, so Sam cannot change it.
    await expect(board(sam.page, 'Priorities').getByRole('button', { name: 'Delete card: Margaret: benches along the high street' })).toHaveCount(0);
    const inConsole = facilitatorCards(f, 'North', 'Priorities').filter({ hasText: 'Margaret: benches along the high street' });
    await expect(inConsole).toContainText('entered by the facilitator');
    await expect(facilitatorCards(f, 'North', 'Priorities').filter({ hasText: 'Sam: a warm space in winter' })).not.toContainText(
      'entered by the facilitator'
    );
  });

  await test.step('in the vote phase the facilitator casts and takes back her votes, within her budget', async () => {
    await boardControls(f, 'Priorities').getByRole('button', { name: 'Start voting' }).click();
    const votes = margaret.getByRole('region', { name: 'Priorities: votes for Margaret Hughes' });
    await votes.getByRole('button', { name: 'Vote for Margaret Hughes: Sam: a warm space in winter' }).click();
    await expect(votes.getByRole('status')).toHaveText('2 of 3 votes left');
    await votes.getByRole('button', { name: 'Vote for Margaret Hughes: Sam: a warm space in winter' }).click();
    await votes.getByRole('button', { name: 'Vote for Margaret Hughes: Margaret: benches along the high street' }).click();
    await expect(votes.getByRole('status')).toHaveText('0 of 3 votes left');
    await expectNoAxeViolations(f, 'the console voting for someone without a device');
    await expect(votes.getByRole('listitem').filter({ hasText: 'Sam: a warm space in winter' })).toContainText("Margaret Hughes's votes: 2");

    await votes.getByRole('button', { name: 'Vote for Margaret Hughes: Sam: a warm space in winter' }).click();
    await expect(f.getByRole('alert')).toContainText('You have used all 3 of your votes.');

    await votes.getByRole('button', { name: "Take back Margaret Hughes's vote: Sam: a warm space in winter" }).click();
    await expect(votes.getByRole('status')).toHaveText('1 of 3 votes left');
    await expect(votes.getByRole('listitem').filter({ hasText: 'Sam: a warm space in winter' })).toContainText("Margaret Hughes's votes: 1");
  });

  await test.step('her votes count in the results Sam sees, and Sam’s own budget is untouched', async () => {
    await boardControls(f, 'Priorities').getByRole('button', { name: 'Show results' }).click();
    await expect(board(sam.page, 'Priorities').getByRole('status').filter({ hasText: 'votes left' })).toHaveText('3 of 3 votes left');
    const results = board(sam.page, 'Priorities').getByRole('list', { name: 'Results: Priorities' }).getByRole('listitem');
    await expect(results).toHaveText([/1 vote\s*$/, /1 vote\s*$/]);
    await expect(results.filter({ hasText: 'Sam: a warm space in winter' })).toHaveText(/1 vote\s*$/);
    await expect(results.filter({ hasText: 'Margaret: benches along the high street' })).toHaveText(/1 vote\s*$/);
  });

  await test.step('after a reload the console still lists her, from this browser', async () => {
    await f.reload();
    await expect(panel.getByRole('region', { name: 'Margaret Hughes', exact: true })).toContainText('North · Resident');
  });
  expectNoPageErrors(people);
});

test('during a private brainstorm a card entered for someone without a device stays private until Reveal, like everyone’s', async ({ browser, people }) => {
  const workshop = await createWorkshopByApi(server.url, 'Private proxy workshop');
  const facilitator = await openFacilitator(browser, server.url, workshop);
  const chris = await openParticipant(browser, server.url, await joinByApi(server.url, workshop, 'Chris Obi', 'Central'));
  people.push(facilitator, chris);
  const f = facilitator.page;
  const panel = f.getByRole('region', { name: 'People without a device' });
  const vision = boardControls(f, 'Vision');

  await vision.getByRole('checkbox', { name: 'Private brainstorm' }).check();
  await vision.getByRole('button', { name: 'Start brainstorm' }).click();
  await panel.getByLabel('Their name').fill('Arthur Jones');
  await panel.getByLabel('Room').selectOption({ label: 'Central' });
  await panel.getByRole('button', { name: 'Add someone without a device' }).click();
  const arthur = panel.getByRole('region', { name: 'Arthur Jones', exact: true });
  await arthur.getByLabel('Board').selectOption({ label: 'Vision' });
  await arthur.getByLabel('Card for Arthur Jones').fill('Arthur: a bus that stops at the day centre');
  await arthur.getByRole('button', { name: 'Add card for Arthur Jones' }).click();
  await expect(f.getByRole('status').filter({ hasText: 'Card added privately for Arthur Jones on Vision' })).toBeAttached();
  await expect(vision.getByRole('list', { name: 'Private cards so far on Vision' })).toContainText('Central: 1');
  await expect(boardCards(chris.page, 'Vision')).toHaveCount(0);

  await vision.getByRole('button', { name: 'Reveal' }).click();
  const revealed = boardCards(chris.page, 'Vision').filter({ hasText: 'Arthur: a bus that stops at the day centre' });
  await expect(revealed).toContainText('Arthur Jones');
  await expect(revealed).toContainText('entered by the facilitator');
  expectNoPageErrors(people);
});
