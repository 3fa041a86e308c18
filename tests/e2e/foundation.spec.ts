import type { Page } from '@playwright/test';
import { expect, test, serverForThisFile } from './support/fixtures';
import {
  addCard,
  boardCards,
  createWorkshop,
  expectConnected,
  expectNoPageErrors,
  facilitatorCards,
  joinRoom,
  openBrowserFor
} from './support/goldthread';

const server = serverForThisFile();

const ROOMS = ['North', 'Central', 'South'] as const;

test('three rooms brainstorm live, the facilitator sees every room, and every card survives a server restart', async ({
  browser,
  people
}) => {
  const open = async () => {
    const person = await openBrowserFor(browser, server.url);
    people.push(person);
    return person.page;
  };

  let facilitator = await open();
  const { joinCode } = await test.step('a facilitator creates a workshop', () =>
    createWorkshop(facilitator, 'Riverside partnership day')
  );
  for (const room of ROOMS) {
    await expect(facilitator.getByRole('region', { name: room, exact: true })).toBeVisible();
  }

  let north = await open();
  let central = await open();
  let south = await open();
  let northSecond = await open();
  await test.step('participants join North, Central and South by code', async () => {
    await joinRoom(north, joinCode, 'Sam Patel', 'North');
    await joinRoom(central, joinCode, 'Chris Obi', 'Central');
    await joinRoom(south, joinCode, 'Alex Morgan', 'South');
    await joinRoom(northSecond, joinCode, 'Priya Shah', 'North');
  });

  await test.step('who is here shows the people of the same room only', async () => {
    const whoIsHere = north.getByRole('list', { name: /^Who is here/ });
    await expect(whoIsHere.getByRole('listitem').filter({ hasText: 'Priya Shah' })).toBeVisible();
    await expect(whoIsHere.getByRole('listitem').filter({ hasText: 'Sam Patel' })).toBeVisible();
    await expect(whoIsHere.getByRole('listitem').filter({ hasText: 'Chris Obi' })).toHaveCount(0);
    await expect(facilitator.getByRole('region', { name: 'North', exact: true })).toContainText('2 people here');
    await expect(facilitator.getByRole('region', { name: 'Central', exact: true })).toContainText('1 person here');
  });

  await test.step('each room adds cards', async () => {
    await addCard(north, 'Priorities', 'North: one shared referral form');
    await addCard(central, 'Priorities', 'Central: joint training days');
    await addCard(south, 'Priorities', 'South: a single front door');
    await addCard(south, 'Barriers', 'South: data sharing rules');

    // Enter submits too, and keeps the cursor in the box.
    const vision = northSecond.getByRole('region', { name: 'Vision', exact: true }).getByLabel('Card text');
    await vision.fill('North: young people stay local');
    await vision.press('Enter');
    await expect(vision).toHaveValue('');
    await expect(vision).toBeFocused();
  });

  await test.step('cards appear live in their own room and nowhere else', async () => {
    for (const page of [north, northSecond]) {
      await expect(boardCards(page, 'Priorities')).toHaveText([/North: one shared referral form/]);
      await expect(boardCards(page, 'Vision')).toHaveText([/North: young people stay local/]);
      await expect(boardCards(page, 'Barriers')).toHaveCount(0);
    }
    await expect(boardCards(central, 'Priorities')).toHaveText([/Central: joint training days/]);
    await expect(boardCards(central, 'Vision')).toHaveCount(0);
    await expect(boardCards(south, 'Priorities')).toHaveText([/South: a single front door/]);
    await expect(boardCards(south, 'Barriers')).toHaveText([/South: data sharing rules/]);
    // Author and colour are written out, not left to colour alone.
    await expect(boardCards(northSecond, 'Priorities')).toContainText(['Sam Patel']);
    await expect(boardCards(northSecond, 'Priorities')).toContainText(['Yellow']);
  });

  await test.step('the facilitator sees every room live, without reloading', async () => {
    await expect(facilitatorCards(facilitator, 'North', 'Priorities')).toHaveText([/North: one shared referral form/]);
    await expect(facilitatorCards(facilitator, 'North', 'Vision')).toHaveText([/North: young people stay local/]);
    await expect(facilitatorCards(facilitator, 'Central', 'Priorities')).toHaveText([/Central: joint training days/]);
    await expect(facilitatorCards(facilitator, 'South', 'Priorities')).toHaveText([/South: a single front door/]);
    await expect(facilitatorCards(facilitator, 'South', 'Barriers')).toHaveText([/South: data sharing rules/]);
    await expect(facilitatorCards(facilitator, 'Central', 'Barriers')).toHaveCount(0);
  });

  await test.step('only the author can edit or delete a card, and changes reach everyone', async () => {
    await expect(northSecond.getByRole('button', { name: 'Edit card: North: one shared referral form' })).toHaveCount(0);

    await north.getByRole('button', { name: 'Edit card: North: one shared referral form' }).click();
    const editBox = north.getByLabel('Edit card text');
    await editBox.fill('North: one shared referral form for all partners');
    await north.getByRole('button', { name: 'Save' }).click();
    await expect(boardCards(northSecond, 'Priorities')).toHaveText([/one shared referral form for all partners/]);
    await expect(facilitatorCards(facilitator, 'North', 'Priorities')).toHaveText([/for all partners/]);

    await addCard(central, 'Barriers', 'Central: a card to take back');
    await expect(facilitatorCards(facilitator, 'Central', 'Barriers')).toHaveCount(1);
    await central.getByRole('button', { name: 'Delete card: Central: a card to take back' }).click();
    await expect(boardCards(central, 'Barriers')).toHaveCount(0);
    await expect(facilitatorCards(facilitator, 'Central', 'Barriers')).toHaveCount(0);
  });

  await test.step('with every page closed, a server restart keeps every card', async () => {
    // No browser may hold the document while the server restarts, or it would hand the
    // cards back on reconnecting and hide a server that lost them. Each person comes back in a
    // fresh browser context with only their identity (local storage): no offline copy
    // (IndexedDB) of any board, so every card shown must come from the server.
    const addresses = people.map((person) => person.page.url());
    const identities = await Promise.all(people.map((person) => person.context.storageState()));
    for (const person of people) await person.context.close();
    await server.restart();
    for (const [index, person] of people.entries()) {
      person.context = await browser.newContext({ baseURL: server.url, storageState: identities[index] });
      person.context.on('weberror', (error) => person.pageErrors.push(String(error.error())));
      person.page = await person.context.newPage();
      await person.page.goto(addresses[index]!);
    }
    [facilitator, north, central, south, northSecond] = people.map((person) => person.page) as [
      Page, Page, Page, Page, Page
    ];

    for (const page of [north, central, south]) await expectConnected(page);
    await expect(boardCards(north, 'Priorities')).toHaveText([/one shared referral form for all partners/]);
    await expect(boardCards(north, 'Vision')).toHaveText([/North: young people stay local/]);
    await expect(boardCards(central, 'Priorities')).toHaveText([/Central: joint training days/]);
    await expect(boardCards(central, 'Barriers')).toHaveCount(0);
    await expect(boardCards(south, 'Priorities')).toHaveText([/South: a single front door/]);
    await expect(boardCards(south, 'Barriers')).toHaveText([/South: data sharing rules/]);
    await expect(facilitatorCards(facilitator, 'North', 'Priorities')).toHaveText([/for all partners/]);
    await expect(facilitatorCards(facilitator, 'North', 'Vision')).toHaveText([/young people stay local/]);
    await expect(facilitatorCards(facilitator, 'Central', 'Priorities')).toHaveText([/joint training days/]);
    await expect(facilitatorCards(facilitator, 'South', 'Priorities')).toHaveText([/a single front door/]);
    await expect(facilitatorCards(facilitator, 'South', 'Barriers')).toHaveText([/data sharing rules/]);
  });

  await test.step('open pages reconnect by themselves after a restart and keep working live', async () => {
    await server.restart();
    await addCard(south, 'Vision', 'South: added after the restart');
    await expect(facilitatorCards(facilitator, 'South', 'Vision')).toHaveText([/added after the restart/]);
    await addCard(northSecond, 'Barriers', 'North: also after the restart');
    await expect(boardCards(north, 'Barriers')).toHaveText([/also after the restart/]);
    await expect(facilitatorCards(facilitator, 'North', 'Barriers')).toHaveText([/also after the restart/]);
  });

  expectNoPageErrors(people);
});
