import type { Page } from '@playwright/test';
import { expect, test, serverForThisFile } from './support/fixtures';
import { addCard, boardCards, expectConnected, expectNoPageErrors, openBrowserFor } from './support/goldthread';
import { board, boardControls, createWorkshopByApi, joinByApi, openFacilitator, openParticipant } from './support/facilitation';
import { expectNoAxeViolations } from './support/accessibility';
import { openReturningParticipant } from './support/participant';

const server = serverForThisFile();

/** The room's connection status, as the person reads it. */
function connectionStatus(page: Page) {
  return page.getByRole('status').filter({ hasText: /^\s*(Connected|Connecting|Reconnecting|Offline|Not allowed)/ }).first();
}

test('cards added while offline are kept and counted, and reach another participant once the connection is back', async ({ browser, people }) => {
  const workshop = await createWorkshopByApi(server.url, 'Offline workshop');
  const sam = await openParticipant(browser, server.url, await joinByApi(server.url, workshop, 'Sam Patel', 'North'));
  const priya = await openParticipant(browser, server.url, await joinByApi(server.url, workshop, 'Priya Shah', 'North'));
  people.push(sam, priya);

  await sam.context.setOffline(true);
  await expect(connectionStatus(sam.page)).toContainText('Offline');
  await addCard(sam.page, 'Priorities', 'Written in the basement: shared referral form');
  await addCard(sam.page, 'Priorities', 'Written in the basement: joint training');
  await expect(connectionStatus(sam.page)).toContainText('2 changes not sent yet');
  await expect(connectionStatus(sam.page)).toContainText('kept on this device');
  // Sam sees his own cards straight away; nobody else can yet.
  await expect(boardCards(sam.page, 'Priorities')).toHaveCount(2);
  await expect(boardCards(priya.page, 'Priorities')).toHaveCount(0);

  await sam.context.setOffline(false);
  await expectConnected(sam.page);
  await expect(boardCards(priya.page, 'Priorities')).toHaveText([/shared referral form/, /joint training/]);
  await expect(connectionStatus(sam.page)).not.toContainText('not sent');
  expectNoPageErrors(people);
});

test('cards written offline survive the tab being closed, and are sent when the room is opened again', async ({ browser, people }) => {
  const workshop = await createWorkshopByApi(server.url, 'Closed tab workshop');
  const samJoin = await joinByApi(server.url, workshop, 'Sam Patel', 'Central');
  const sam = await openReturningParticipant(browser, server.url, samJoin);
  const chris = await openParticipant(browser, server.url, await joinByApi(server.url, workshop, 'Chris Obi', 'Central'));
  people.push(sam, chris);
  const address = sam.page.url();

  await sam.context.setOffline(true);
  await expect(connectionStatus(sam.page)).toContainText('Offline');
  await addCard(sam.page, 'Vision', 'Kept in the browser while the tab was shut');
  await expect(connectionStatus(sam.page)).toContainText('1 change not sent yet');
  await sam.page.close();
  await expect(boardCards(chris.page, 'Vision')).toHaveCount(0);

  await sam.context.setOffline(false);
  sam.page = await sam.context.newPage();
  await sam.page.goto(address);
  await expectConnected(sam.page);
  await expect(boardCards(sam.page, 'Vision')).toHaveText([/Kept in the browser while the tab was shut/]);
  await expect(boardCards(chris.page, 'Vision')).toHaveText([/Kept in the browser while the tab was shut/]);
  // Still Sam's own card: he can edit it.
  await expect(board(sam.page, 'Vision').getByRole('button', { name: 'Edit card: Kept in the browser while the tab was shut' })).toBeVisible();
  expectNoPageErrors(people);
});

test('a card sent late onto a board locked in the meantime is refused in the server’s words, and its text comes back to the box', async ({
  browser,
  people
}) => {
  const workshop = await createWorkshopByApi(server.url, 'Late card workshop');
  const facilitator = await openFacilitator(browser, server.url, workshop);
  const alex = await openParticipant(browser, server.url, await joinByApi(server.url, workshop, 'Alex Morgan', 'South'));
  people.push(facilitator, alex);
  const p = alex.page;

  await alex.context.setOffline(true);
  await expect(connectionStatus(p)).toContainText('Offline');
  await addCard(p, 'Barriers', 'Sent too late');
  await boardControls(facilitator.page, 'Barriers').getByRole('button', { name: 'Lock board' }).click();
  await expect(boardControls(facilitator.page, 'Barriers').getByRole('button', { name: 'Unlock board' })).toBeVisible();

  await alex.context.setOffline(false);
  const refusal = p.getByRole('alert').filter({ hasText: 'was not added' });
  await expect(refusal).toContainText('Your card on Barriers was not added.');
  await expect(refusal).toContainText('This board is locked by the facilitator.');
  await expect(refusal).toContainText('Its text is back in the box.');
  await expect(boardCards(p, 'Barriers')).toHaveCount(0);
  await expect(board(p, 'Barriers').getByLabel('Card text')).toHaveValue('Sent too late');
  await expectNoAxeViolations(p, 'the room board telling of a refused card');

  await refusal.getByRole('button', { name: 'Dismiss' }).click();
  await expect(refusal).toHaveCount(0);
  // Once unlocked, the kept text goes in with one press of Enter.
  await boardControls(facilitator.page, 'Barriers').getByRole('button', { name: 'Unlock board' }).click();
  await expect(board(p, 'Barriers').getByRole('button', { name: 'Add card' })).toBeVisible();
  await board(p, 'Barriers').getByLabel('Card text').press('Enter');
  await expect(boardCards(p, 'Barriers')).toHaveText([/Sent too late/]);
  expectNoPageErrors(people);
});

test('a reload keeps who the person is: their name, their cards, their votes, "I\'m done" and a half-written card', async ({ browser, people }) => {
  const workshop = await createWorkshopByApi(server.url, 'Reload workshop');
  const facilitator = await openFacilitator(browser, server.url, workshop);
  const sam = await openParticipant(browser, server.url, await joinByApi(server.url, workshop, 'Sam Patel', 'North'));
  people.push(facilitator, sam);
  const p = sam.page;

  await boardControls(facilitator.page, 'Priorities').getByRole('button', { name: 'Start brainstorm' }).click();
  await addCard(p, 'Priorities', 'A single front door');
  await addCard(p, 'Priorities', 'Shared training');
  await boardControls(facilitator.page, 'Priorities').getByRole('button', { name: 'Start voting' }).click();
  await board(p, 'Priorities').getByRole('button', { name: 'Vote for: A single front door' }).click();
  await expect(board(p, 'Priorities').getByRole('status').filter({ hasText: 'votes left' })).toHaveText('2 of 3 votes left');
  await board(p, 'Priorities').getByRole('button', { name: "I'm done" }).click();
  await expect(board(p, 'Priorities').getByRole('button', { name: "I'm done" })).toHaveAttribute('aria-pressed', 'true');
  await board(p, 'Vision').getByLabel('Card text').fill('Half-written: young people');

  await p.reload();
  await expectConnected(p);
  await expect(p.getByRole('list', { name: /^Who is here/ }).getByRole('listitem').filter({ hasText: 'Sam Patel' })).toContainText('(you)');
  await expect(boardCards(p, 'Priorities')).toHaveText([/A single front door\s*Added by\s*Sam Patel \(you\)/, /Shared training\s*Added by\s*Sam Patel \(you\)/]);
  await expect(board(p, 'Priorities').getByRole('status').filter({ hasText: 'votes left' })).toHaveText('2 of 3 votes left');
  await expect(boardCards(p, 'Priorities').filter({ hasText: 'A single front door' })).toContainText('Your votes: 1');
  await expect(board(p, 'Priorities').getByRole('button', { name: "I'm done" })).toHaveAttribute('aria-pressed', 'true');
  await expect(board(p, 'Vision').getByLabel('Card text')).toHaveValue('Half-written: young people');
  await expect(facilitator.page.getByRole('region', { name: 'North', exact: true })).toContainText("I'm done: 1 of 1");
  expectNoPageErrors(people);
});

test('joining asks for organisation and sector (optional); the same person joining again carries on as themselves', async ({ browser, people }) => {
  const workshop = await createWorkshopByApi(server.url, 'Rejoin workshop');
  const morgan = await openBrowserFor(browser, server.url);
  people.push(morgan);
  const p = morgan.page;

  await test.step('join from the link, giving an organisation and a sector', async () => {
    await p.goto(`/join/${workshop.joinCode}`);
    await p.getByLabel('Your name').fill('Morgan Reed');
    await p.getByLabel('Organisation').fill('Riverside Borough Council');
    await expect(p.getByLabel('Sector')).toHaveValue('');
    await p.getByLabel('Sector').selectOption('Council');
    await p.getByRole('button', { name: 'Join', exact: true }).click();
    await p.getByRole('group', { name: 'Which room are you in?' }).getByRole('radio', { name: 'Central' }).check();
    await p.getByRole('button', { name: 'Join room' }).click();
    await expectConnected(p);
    await addCard(p, 'Barriers', 'Different IT systems');
  });

  await test.step('the sector reaches the facilitator’s attendance, without names', async () => {
    const session = await fetch(new URL(`/api/workshops/${workshop.id}/facilitator-session`, server.url), {
      method: 'POST',
      headers: { authorization: `Bearer ${workshop.facilitatorKey}` }
    }).then((response) => response.json() as Promise<{ token: string }>);
    const attendance = await fetch(new URL(`/api/workshops/${workshop.id}/attendance`, server.url), {
      headers: { authorization: `Bearer ${session.token}` }
    }).then((response) => response.json() as Promise<{ total: number; bySector: Record<string, number> }>);
    expect(attendance.total).toBe(1);
    expect(attendance.bySector).toEqual({ Council: 1 });
  });

  await test.step('following the join link again offers to carry on as the same person', async () => {
    await p.goto(`/join/${workshop.joinCode}`);
    const welcome = p.getByRole('region', { name: 'Welcome back, Morgan Reed' });
    await expect(welcome).toContainText('Central');
    await welcome.getByRole('link', { name: 'Carry on as Morgan Reed' }).click();
    await expectConnected(p);
    await expect(p.getByRole('heading', { level: 1 })).toHaveText('Rejoin workshop — Central');
    await expect(board(p, 'Barriers').getByRole('button', { name: 'Edit card: Different IT systems' })).toBeVisible();
  });

  await test.step('typing the code and the same name on the home page is the same person too, with no room question', async () => {
    await p.goto('/');
    await p.getByLabel('Join code').fill(workshop.joinCode);
    await expect(p.getByLabel('Your name')).toHaveValue('Morgan Reed');
    await expect(p.getByLabel('Organisation')).toHaveValue('Riverside Borough Council');
    await p.getByRole('button', { name: 'Join', exact: true }).click();
    await expectConnected(p);
    await expect(p.getByRole('heading', { level: 1 })).toHaveText('Rejoin workshop — Central');
    await expect(p.getByRole('list', { name: /^Who is here/ }).getByRole('listitem')).toHaveCount(1);
    await expect(board(p, 'Barriers').getByRole('button', { name: 'Edit card: Different IT systems' })).toBeVisible();
  });
  expectNoPageErrors(people);
});
