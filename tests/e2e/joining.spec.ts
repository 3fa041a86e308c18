import { expect, test, serverForThisFile } from './support/fixtures';
import { boardCards, createWorkshop, expectConnected, expectNoPageErrors, openBrowserFor } from './support/goldthread';

const server = serverForThisFile();

test('a participant who follows the join link only has to type their name', async ({ browser, people }) => {
  const facilitator = await openBrowserFor(browser, server.url);
  const participant = await openBrowserFor(browser, server.url);
  people.push(facilitator, participant);
  const { joinCode } = await createWorkshop(facilitator.page, 'Link workshop');
  const page = participant.page;
  await page.goto(`/join/${joinCode.toLowerCase()}`);

  await expect(page.getByLabel('Join code')).toHaveValue(joinCode);
  await expect(page.getByLabel('Your name')).toBeFocused();
  await page.keyboard.type('Jo Lee');
  await page.keyboard.press('Enter');

  const rooms = page.getByRole('group', { name: 'Which room are you in?' });
  await expect(rooms.getByRole('radio')).toHaveCount(3);
  await expect(rooms.getByRole('radio', { name: 'North' })).toBeFocused();
  // Asking to join without choosing explains what is missing.
  await page.getByRole('button', { name: 'Join room' }).click();
  await expect(rooms).toContainText('Choose the room you are in.');
  await rooms.getByRole('radio', { name: 'South' }).check();
  await page.getByRole('button', { name: 'Join room' }).click();

  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Link workshop — South');
  await expectConnected(page);
  await expect(page.getByRole('list', { name: /^Who is here/ })).toContainText('Jo Lee');
  expectNoPageErrors([facilitator, participant]);
});

test('a workshop with one room joins straight away, without asking for a room', async ({ browser, people }) => {
  const facilitator = await openBrowserFor(browser, server.url);
  const participant = await openBrowserFor(browser, server.url);
  people.push(facilitator, participant);
  const page = facilitator.page;
  await page.goto('/');
  await page.getByLabel('Workshop title').fill('Small team session');
  await page.getByLabel('Rooms').fill('Library');
  await page.getByRole('button', { name: 'Create workshop' }).click();
  const joinLink = page.getByRole('region', { name: 'Join code' }).getByRole('link');
  await expect(joinLink).toHaveText(/\/join\/\S+$/);
  const joinCode = ((await joinLink.textContent()) ?? '').split('/').pop()!;

  const joiner = participant.page;
  await joiner.goto('/');
  await joiner.getByLabel('Join code').fill(joinCode);
  await joiner.getByLabel('Your name').fill('Morgan');
  await joiner.getByRole('button', { name: 'Join', exact: true }).click();
  await expect(joiner.getByRole('heading', { level: 1 })).toHaveText('Small team session — Library');
  await expect(boardCards(joiner, 'Priorities')).toHaveCount(0);
  await expect(joiner.getByRole('group', { name: 'Which room are you in?' })).toHaveCount(0);
  expectNoPageErrors([facilitator, participant]);
});

test('an unknown join code and missing details are explained next to the fields', async ({ browser, people }) => {
  const participant = await openBrowserFor(browser, server.url);
  people.push(participant);
  const page = participant.page;
  await page.goto('/');
  await page.getByRole('button', { name: 'Join', exact: true }).click();
  await expect(page.getByLabel('Join code')).toBeFocused();
  await expect(page.getByLabel('Join code')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel('Your name')).toHaveAttribute('aria-invalid', 'true');

  await page.getByLabel('Join code').fill('NOSUCH');
  await page.getByLabel('Your name').fill('Sam');
  await page.getByRole('button', { name: 'Join', exact: true }).click();
  await expect(page.getByLabel('Join code')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel('Join code')).toBeFocused();
  await expect(page).toHaveURL(/\/$/);
  expectNoPageErrors([participant]);
});

test('a room page opened without joining first points the way back', async ({ browser, people }) => {
  const stranger = await openBrowserFor(browser, server.url);
  people.push(stranger);
  await stranger.page.goto('/w/someworkshop/r/someroom');
  await expect(stranger.page.getByRole('heading', { level: 1 })).toHaveText('Join the workshop first');
  await stranger.page.getByRole('link', { name: 'Go to the home page' }).click();
  await expect(stranger.page.getByLabel('Join code')).toBeVisible();
  expectNoPageErrors([stranger]);
});
