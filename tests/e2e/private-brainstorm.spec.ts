import { expect, test, serverForThisFile } from './support/fixtures';
import { addCard, boardCards, expectNoPageErrors, facilitatorCards } from './support/goldthread';
import {
  board,
  boardControls,
  createWorkshopByApi,
  joinByApi,
  openFacilitator,
  openParticipant,
  recordWebsocketTraffic,
  trafficContains
} from './support/facilitation';

const server = serverForThisFile();

test('a private brainstorm keeps every card to its author until Reveal: not on anyone else’s page, not in their traffic', async ({
  browser,
  people
}) => {
  const workshop = await createWorkshopByApi(server.url, 'Private workshop');
  const facilitator = await openFacilitator(browser, server.url, workshop);
  people.push(facilitator);
  const f = facilitator.page;

  const samTraffic: ReturnType<typeof recordWebsocketTraffic>[] = [];
  const chrisTraffic: ReturnType<typeof recordWebsocketTraffic>[] = [];
  const sam = await openParticipant(browser, server.url, await joinByApi(server.url, workshop, 'Sam Patel', 'North'), (page) =>
    samTraffic.push(recordWebsocketTraffic(page))
  );
  const priya = await openParticipant(browser, server.url, await joinByApi(server.url, workshop, 'Priya Shah', 'North'));
  const chris = await openParticipant(browser, server.url, await joinByApi(server.url, workshop, 'Chris Obi', 'Central'), (page) =>
    chrisTraffic.push(recordWebsocketTraffic(page))
  );
  people.push(sam, priya, chris);

  const controls = boardControls(f, 'Priorities');
  await controls.getByRole('checkbox', { name: 'Private brainstorm' }).check();
  await controls.getByRole('button', { name: 'Start brainstorm' }).click();
  for (const person of [sam, priya, chris]) {
    await expect(board(person.page, 'Priorities')).toContainText('only you and the facilitator can see your cards');
  }

  const SAM = 'Sam private: fix the referral loop';
  const PRIYA = 'Priya private: weekend opening hours';
  const CHRIS = 'Chris private: a joint duty rota';
  await addCard(sam.page, 'Priorities', SAM);
  await addCard(priya.page, 'Priorities', PRIYA);
  await addCard(chris.page, 'Priorities', CHRIS);
  await expect(boardCards(sam.page, 'Priorities')).toHaveText([new RegExp(SAM)]);
  await expect(boardCards(priya.page, 'Priorities')).toHaveText([new RegExp(PRIYA)]);

  await test.step('the facilitator sees how many private cards each room has, and nobody sees anyone else’s', async () => {
    const counts = controls.getByRole('list', { name: 'Private cards so far on Priorities' });
    await expect(counts).toContainText('North: 2');
    await expect(counts).toContainText('Central: 1');
    await expect(counts).toContainText('South: 0');
    // The counts prove the server holds all three cards; only now is their absence meaningful.
    await expect(sam.page.locator('body')).not.toContainText(PRIYA);
    await expect(sam.page.locator('body')).not.toContainText(CHRIS);
    await expect(priya.page.locator('body')).not.toContainText(SAM);
    await expect(chris.page.locator('body')).not.toContainText(SAM);
    await expect(facilitatorCards(f, 'North', 'Priorities')).toHaveCount(0);
    const samFrames = samTraffic.flatMap((t) => t.frames);
    const chrisFrames = chrisTraffic.flatMap((t) => t.frames);
    expect(samFrames.length).toBeGreaterThan(0);
    expect(trafficContains(samFrames, SAM), 'Sam’s own card travels in his traffic').toBe(true);
    expect(trafficContains(samFrames, PRIYA)).toBe(false);
    expect(trafficContains(samFrames, CHRIS)).toBe(false);
    expect(trafficContains(chrisFrames, SAM)).toBe(false);
    expect(trafficContains(chrisFrames, PRIYA)).toBe(false);
  });

  await test.step('Reveal shares each room’s cards with that room, keeping their authors', async () => {
    await controls.getByRole('button', { name: 'Reveal' }).click();
    // Oldest first: the cards keep the time they were written.
    await expect(boardCards(sam.page, 'Priorities')).toHaveText([new RegExp(SAM), new RegExp(PRIYA)]);
    await expect(boardCards(sam.page, 'Priorities').filter({ hasText: PRIYA })).toContainText('Priya Shah');
    await expect(board(sam.page, 'Priorities')).not.toContainText('only you and the facilitator can see your cards');
    await expect(boardCards(chris.page, 'Priorities')).toHaveText([new RegExp(CHRIS)]);
    await expect(chris.page.locator('body')).not.toContainText(SAM);
    await expect(facilitatorCards(f, 'North', 'Priorities')).toHaveCount(2);
    await expect(facilitatorCards(f, 'Central', 'Priorities')).toHaveText([new RegExp(CHRIS)]);
  });
  expectNoPageErrors(people);
});
