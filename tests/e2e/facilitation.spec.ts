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
  openProjector
} from './support/facilitation';

const server = serverForThisFile();

test('participants see each phase in plain words, hear it politely, and keep a half-written card through "bring everyone here"', async ({
  browser,
  people
}) => {
  const workshop = await createWorkshopByApi(server.url, 'Phases workshop');
  const facilitator = await openFacilitator(browser, server.url, workshop);
  const sam = await openParticipant(browser, server.url, await joinByApi(server.url, workshop, 'Sam Patel', 'North'));
  people.push(facilitator, sam);
  const f = facilitator.page;
  const p = sam.page;

  await expect(board(p, 'Priorities')).toContainText('Getting ready');
  await boardControls(f, 'Priorities').getByRole('button', { name: 'Start brainstorm' }).click();
  await expect(board(p, 'Priorities')).toContainText('Brainstorm');
  await expect(p.getByRole('status').filter({ hasText: 'Priorities is now: Brainstorm.' })).toBeAttached();

  await test.step('a half-written card stays put, focused, when everyone is brought to another board', async () => {
    const box = board(p, 'Priorities').getByLabel('Card text');
    await box.click();
    await p.keyboard.type('Half-written: a shared');
    await boardControls(f, 'Vision').getByRole('button', { name: 'Bring everyone here' }).click();
    await boardControls(f, 'Priorities').getByRole('button', { name: 'Start grouping' }).click();

    await expect(p.getByRole('status').filter({ hasText: 'The facilitator is bringing everyone to Vision.' }).first()).toBeAttached();
    await expect(board(p, 'Priorities')).toContainText('Grouping');
    await expect(box).toBeFocused();
    await expect(box).toHaveValue('Half-written: a shared');
    await p.keyboard.type(' front door');
    await expect(box).toHaveValue('Half-written: a shared front door');
  });

  await test.step('the person moves when ready, and the draft is waiting when they come back, even after a reload', async () => {
    await p.getByRole('button', { name: 'Go to Vision' }).click();
    await expect(board(p, 'Vision')).toBeVisible();
    await expect(board(p, 'Priorities')).toBeHidden();
    await p.getByRole('navigation', { name: 'Boards' }).getByRole('button', { name: /^Priorities/ }).click();
    await expect(board(p, 'Priorities').getByLabel('Card text')).toHaveValue('Half-written: a shared front door');
    await p.reload();
    await p.getByRole('navigation', { name: 'Boards' }).getByRole('button', { name: /^Priorities/ }).click();
    await expect(board(p, 'Priorities').getByLabel('Card text')).toHaveValue('Half-written: a shared front door');
    await board(p, 'Priorities').getByRole('button', { name: 'Add card' }).click();
    // Grouping: new cards wait under "Not in a theme".
    await expect(board(p, 'Priorities').getByRole('list', { name: 'Not in a theme' }).getByRole('listitem')).toHaveText([
      /Half-written: a shared front door/
    ]);
  });

  await test.step('with nothing being typed, "bring everyone here" switches the board at once', async () => {
    await p.getByRole('navigation', { name: 'Boards' }).getByRole('button', { name: 'All boards' }).click();
    await boardControls(f, 'Barriers').getByRole('button', { name: 'Bring everyone here' }).click();
    await expect(board(p, 'Barriers')).toBeVisible();
    await expect(board(p, 'Vision')).toBeHidden();
  });

  expectNoPageErrors(people);
});

test('a locked board refuses edits: participants are told why, and can carry on once it is unlocked', async ({ browser, people }) => {
  const workshop = await createWorkshopByApi(server.url, 'Lock workshop');
  const facilitator = await openFacilitator(browser, server.url, workshop);
  const chris = await openParticipant(browser, server.url, await joinByApi(server.url, workshop, 'Chris Obi', 'Central'));
  people.push(facilitator, chris);
  const f = facilitator.page;
  const p = chris.page;
  const priorities = board(p, 'Priorities');

  await boardControls(f, 'Priorities').getByRole('button', { name: 'Start brainstorm' }).click();
  await addCard(p, 'Priorities', 'Central: pooled budgets');
  // An editor left open when the lock lands keeps its text but cannot save.
  await priorities.getByRole('button', { name: 'Edit card: Central: pooled budgets' }).click();
  await p.getByLabel('Edit card text').fill('Central: pooled budgets for prevention');
  await p.getByLabel('Edit card text').blur();

  await boardControls(f, 'Priorities').getByRole('button', { name: 'Lock board' }).click();
  await expect(boardControls(f, 'Priorities').getByRole('button', { name: 'Unlock board' })).toBeVisible();

  await expect(priorities).toContainText('The facilitator has locked this board.');
  await expect(priorities.getByRole('button', { name: 'Add card' })).toHaveCount(0);
  await expect(priorities.getByLabel('Card text', { exact: true })).toHaveCount(0);
  await expect(priorities.getByRole('button', { name: 'Save' })).toBeDisabled();
  await expect(p.getByLabel('Edit card text')).toHaveValue('Central: pooled budgets for prevention');
  await priorities.getByRole('button', { name: 'Cancel' }).click();
  await expect(priorities.getByRole('button', { name: /^Edit card:/ })).toHaveCount(0);
  await expect(priorities.getByRole('button', { name: /^Delete card:/ })).toHaveCount(0);
  // Other boards are not affected.
  await expect(board(p, 'Vision').getByRole('button', { name: 'Add card' })).toBeVisible();
  await expect(boardCards(p, 'Priorities')).toHaveText([/Central: pooled budgets\s*Added by/]);

  await boardControls(f, 'Priorities').getByRole('button', { name: 'Unlock board' }).click();
  await addCard(p, 'Priorities', 'Central: after the lock');
  await expect(facilitatorCards(f, 'Central', 'Priorities')).toHaveText([/pooled budgets/, /after the lock/]);
  expectNoPageErrors(people);
});

test('dot voting: votes left are shown, a vote over the budget is refused with a message, and results are ranked once shown', async ({
  browser,
  people
}) => {
  const workshop = await createWorkshopByApi(server.url, 'Voting workshop');
  const facilitator = await openFacilitator(browser, server.url, workshop);
  const alex = await openParticipant(browser, server.url, await joinByApi(server.url, workshop, 'Alex Morgan', 'South'));
  const jo = await openParticipant(browser, server.url, await joinByApi(server.url, workshop, 'Jo Lee', 'South'));
  people.push(facilitator, alex, jo);
  const f = facilitator.page;

  await boardControls(f, 'Priorities').getByRole('button', { name: 'Start brainstorm' }).click();
  await addCard(alex.page, 'Priorities', 'South: a single front door');
  await addCard(jo.page, 'Priorities', 'South: shared training');
  await addCard(jo.page, 'Priorities', 'South: one data platform');
  await expect(boardCards(alex.page, 'Priorities')).toHaveCount(3);

  await boardControls(f, 'Priorities').getByRole('button', { name: 'Start voting' }).click();
  const priorities = board(alex.page, 'Priorities');
  await expect(priorities).toContainText('Voting is on: cards cannot be added or changed now.');
  await expect(priorities.getByRole('status').filter({ hasText: 'votes left' })).toHaveText('3 of 3 votes left');

  await priorities.getByRole('button', { name: 'Vote for: South: a single front door' }).click();
  await expect(priorities.getByRole('status').filter({ hasText: 'votes left' })).toHaveText('2 of 3 votes left');
  await priorities.getByRole('button', { name: 'Vote for: South: a single front door' }).click();
  await priorities.getByRole('button', { name: 'Vote for: South: shared training' }).click();
  await expect(priorities.getByRole('status').filter({ hasText: 'votes left' })).toHaveText('0 of 3 votes left');

  await priorities.getByRole('button', { name: 'Vote for: South: one data platform' }).click();
  await expect(priorities.getByRole('alert')).toHaveText('You have used all 3 of your votes.');
  await expect(priorities.getByRole('status').filter({ hasText: 'votes left' })).toHaveText('0 of 3 votes left');

  await priorities.getByRole('button', { name: 'Take back a vote from: South: shared training' }).click();
  await expect(priorities.getByRole('status').filter({ hasText: 'votes left' })).toHaveText('1 of 3 votes left');
  await expect(priorities.getByRole('alert')).toHaveCount(0);

  await board(jo.page, 'Priorities').getByRole('button', { name: 'Vote for: South: one data platform' }).click();
  // Results stay hidden from participants until the facilitator shows them.
  await expect(board(jo.page, 'Priorities').getByRole('list', { name: 'Results: Priorities' })).toHaveCount(0);
  await boardControls(f, 'Priorities').getByRole('button', { name: 'Show results' }).click();
  const results = board(jo.page, 'Priorities').getByRole('list', { name: 'Results: Priorities' }).getByRole('listitem');
  await expect(results).toHaveText([/a single front door.*2 votes/, /one data platform.*1 vote/]);

  // "I'm done" reaches the facilitator's overview of the room.
  await priorities.getByRole('button', { name: "I'm done" }).click();
  await expect(priorities.getByRole('button', { name: "I'm done" })).toHaveAttribute('aria-pressed', 'true');
  await expect(f.getByRole('region', { name: 'South', exact: true })).toContainText("I'm done: 1 of 2");
  expectNoPageErrors(people);
});

test('the shared timer shows the same time on every screen, survives a reload and cues the end', async ({ browser, people }) => {
  const workshop = await createWorkshopByApi(server.url, 'Timer workshop');
  const facilitator = await openFacilitator(browser, server.url, workshop);
  const participants = await Promise.all(
    [
      ['Sam Patel', 'North'],
      ['Chris Obi', 'Central'],
      ['Alex Morgan', 'South']
    ].map(async ([name, room]) => openParticipant(browser, server.url, await joinByApi(server.url, workshop, name!, room!)))
  );
  people.push(facilitator, ...participants);
  const f = facilitator.page;
  const projector = await openProjector(f);
  const screens = [f, projector, ...participants.map((person) => person.page)];

  /** Every screen's readout, read as close together as the browser allows. */
  const readouts = () => Promise.all(screens.map((page) => page.getByRole('timer').textContent()));
  const expectInStep = async () => {
    const seconds = (await readouts()).map((readout) => clockSeconds(readout ?? ''));
    expect(Math.max(...seconds) - Math.min(...seconds), `readouts ${seconds.join(', ')}`).toBeLessThanOrEqual(1);
    return seconds;
  };

  await f.getByLabel('Minutes').fill('3');
  await f.getByRole('button', { name: 'Start timer' }).click();
  for (const page of screens) await expect(page.getByRole('timer')).toHaveText(/^0[23]:\d\d$/);
  await expectInStep();

  await participants[1]!.page.reload();
  await expect(participants[1]!.page.getByRole('timer')).toHaveText(/^0[23]:\d\d$/);
  await expectInStep();

  await f.getByRole('button', { name: 'Pause timer' }).click();
  for (const page of screens.slice(1)) await expect(page.getByRole('region', { name: 'Timer' })).toContainText('Timer paused');
  const paused = await expectInStep();
  await f.getByRole('button', { name: 'Add a minute' }).click();
  for (const page of screens) await expect(page.getByRole('timer')).toHaveText(new RegExp(`^0${Math.floor((paused[0]! + 60) / 60)}:`));
  await expectInStep();

  await f.getByLabel('Minutes').fill('0.05');
  await f.getByRole('button', { name: 'Start timer' }).click();
  for (const page of screens) await expect(page.getByRole('region', { name: 'Timer' }).or(page.getByText('Time is up')).first()).toContainText('Time is up');
  for (const page of screens) await expect(page.getByRole('timer')).toHaveText('00:00');
  // The sound is offered, and off until the person switches it on.
  await expect(participants[0]!.page.getByRole('checkbox', { name: 'Play a sound when time is up' })).not.toBeChecked();
  expectNoPageErrors(people);
});

test('participants can download the notes only once the facilitator shares them', async ({ browser, people }) => {
  const workshop = await createWorkshopByApi(server.url, 'Notes workshop');
  const facilitator = await openFacilitator(browser, server.url, workshop);
  const sam = await openParticipant(browser, server.url, await joinByApi(server.url, workshop, 'Sam Patel', 'North'));
  people.push(facilitator, sam);
  await addCard(sam.page, 'Priorities', 'North: a shared referral form');
  await expect(sam.page.getByRole('button', { name: 'Download notes' })).toHaveCount(0);

  await facilitator.page.getByRole('checkbox', { name: 'Share notes with participants' }).check();
  const notes = sam.page.getByRole('region', { name: 'Workshop notes' });
  await notes.getByLabel('Format').selectOption({ label: 'Plain text (Markdown)' });
  const [download] = await Promise.all([sam.page.waitForEvent('download'), notes.getByRole('button', { name: 'Download notes' }).click()]);
  expect(download.suggestedFilename()).toMatch(/\.md$/);
  const text = await download.createReadStream().then(async (stream) => {
    let body = '';
    for await (const chunk of stream) body += chunk;
    return body;
  });
  expect(text).toContain('North: a shared referral form');

  await facilitator.page.getByRole('checkbox', { name: 'Share notes with participants' }).uncheck();
  await expect(notes).toHaveCount(0);
  expectNoPageErrors(people);
});
