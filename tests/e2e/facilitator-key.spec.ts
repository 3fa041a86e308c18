import { expect, test, serverForThisFile } from './support/fixtures';
import { addCard, createWorkshop, expectNoPageErrors, facilitatorCards, joinRoom, openBrowserFor } from './support/goldthread';

const server = serverForThisFile();

test('the private facilitator link opens the workshop on another device and leaves no key in the address bar', async ({
  browser,
  people
}) => {
  const laptop = await openBrowserFor(browser, server.url);
  const tablet = await openBrowserFor(browser, server.url);
  const participant = await openBrowserFor(browser, server.url);
  people.push(laptop, tablet, participant);
  const { joinCode } = await createWorkshop(laptop.page, 'Two-device workshop');
  const keepSafe = laptop.page.getByRole('group').filter({ hasText: 'Facilitator key — keep this safe' });
  const privateLink = laptop.page.getByRole('link', { name: /#key=/ });
  // Straight after creating, the panel is open so the link can be saved.
  await expect(privateLink).toBeVisible();
  const reopenUrl = (await privateLink.textContent()) ?? '';
  expect(reopenUrl).toContain('#key=');
  await expect(keepSafe).toBeVisible();

  await tablet.page.goto(reopenUrl);
  await expect(tablet.page.getByRole('heading', { level: 1, name: 'Two-device workshop' })).toBeVisible();
  await expect(tablet.page).not.toHaveURL(/key=/);

  // The tablet is a real facilitator view: it sees cards live.
  await joinRoom(participant.page, joinCode, 'Dee', 'Central');
  await addCard(participant.page, 'Vision', 'Central: a shared building');
  await expect(facilitatorCards(tablet.page, 'Central', 'Vision')).toHaveText([/a shared building/]);

  // Reloading uses the key this browser kept, not the address.
  await tablet.page.reload();
  await expect(facilitatorCards(tablet.page, 'Central', 'Vision')).toHaveText([/a shared building/]);
  expectNoPageErrors([laptop, tablet, participant]);
});

test('a wrong facilitator key is refused with a clear message', async ({ browser, people }) => {
  const owner = await openBrowserFor(browser, server.url);
  const intruder = await openBrowserFor(browser, server.url);
  people.push(owner, intruder);
  const { workshopId } = await createWorkshop(owner.page, 'Guarded workshop');
  await intruder.page.goto(`/facilitate/${workshopId}#key=not-the-key`);
  await expect(intruder.page.getByRole('alert')).toContainText('facilitator key is not right');
  await expect(intruder.page.getByRole('heading', { level: 1 })).toHaveText('We could not open this workshop');

  await intruder.page.goto(`/facilitate/${workshopId}`);
  await expect(intruder.page.getByRole('alert')).toContainText('does not have the facilitator key');
  expectNoPageErrors([owner, intruder]);
});
