import { expect, test, serverForThisFile } from './support/fixtures';
import { expectNoPageErrors } from './support/goldthread';
import { addCardByApi, boardControls, createWorkshopByApi, joinByApi, openFacilitator, openParticipant, openProjector } from './support/facilitation';
import { expectNoAxeViolations } from './support/accessibility';

const server = serverForThisFile();

test('the facilitator adds an action from a card by keyboard alone; the participant sees it live and the projector shows it in Discuss', async ({
  browser,
  people
}) => {
  const workshop = await createWorkshopByApi(server.url, 'Outcomes workshop');
  const barriers = workshop.boards.find((b) => b.title === 'Barriers')!.id;
  const samJoin = await joinByApi(server.url, workshop, 'Sam Patel', 'North');
  await addCardByApi(server.url, samJoin, barriers, 'Buses stop at six');
  const facilitator = await openFacilitator(browser, server.url, workshop);
  const sam = await openParticipant(browser, server.url, samJoin);
  people.push(facilitator, sam);
  const f = facilitator.page;
  const p = sam.page;

  await test.step('Add action on the card, by keyboard', async () => {
    const addAction = f.getByRole('button', { name: 'Add action: Buses stop at six' });
    await expect(addAction).toBeVisible();
    // Reach the button from the one before it, as Tab does.
    await f.getByRole('button', { name: 'Spotlight: Buses stop at six' }).focus();
    await f.keyboard.press('Shift+Tab');
    await expect(addAction).toBeFocused();
    await f.keyboard.press('Enter');
    const dialog = f.getByRole('dialog', { name: 'Add action' });
    await expect(dialog).toBeVisible();
    await expect(dialog).toContainText('About: Buses stop at six');
    await expect(dialog.getByLabel('What will be done')).toBeFocused();
    await expectNoAxeViolations(f, 'the facilitator page with the Add action dialog open');
    await f.keyboard.type('Ask the operator about a later last bus');
    await f.keyboard.press('Tab');
    await expect(dialog.getByLabel('Owner')).toBeFocused();
    await f.keyboard.type('Transport team, Northshire Council');
    await f.keyboard.press('Enter');
    await expect(dialog).toBeHidden();
    await expect(addAction).toBeFocused();
    const recorded = f.getByRole('list', { name: 'Recorded decisions and actions' });
    await expect(recorded).toContainText('Ask the operator about a later last bus');
    await expect(recorded).toContainText('Owner: Transport team, Northshire Council · Open');
    await expect(recorded).toContainText('Card in North: Buses stop at six');
  });

  await test.step('the participant sees it at once', async () => {
    const list = p.getByRole('region', { name: 'Decisions and actions' });
    await expect(list.getByRole('list', { name: 'Actions' })).toContainText('Ask the operator about a later last bus');
    await expect(list).toContainText('Owner: Transport team, Northshire Council · Open');
    await expect(list.getByRole('button')).toHaveCount(0);
    await expectNoAxeViolations(p, 'the room page with decisions and actions');
  });

  await test.step('a decision for the whole workshop, and the action marked done', async () => {
    await f.getByRole('button', { name: 'Add decision', exact: true }).click();
    const dialog = f.getByRole('dialog', { name: 'Add decision' });
    await dialog.getByLabel('What was decided').fill('Evening transport is the first barrier to tackle');
    await dialog.getByRole('button', { name: 'Add decision' }).click();
    await expect(dialog).toBeHidden();
    await f.getByLabel('Status of: Ask the operator about a later last bus').selectOption('done');
    const list = p.getByRole('region', { name: 'Decisions and actions' });
    await expect(list.getByRole('list', { name: 'Decisions' })).toContainText('Evening transport is the first barrier to tackle');
    await expect(list).toContainText('Owner: Transport team, Northshire Council · Done');
    await expectNoAxeViolations(f, 'the facilitator page with decisions and actions');
  });

  await test.step('the projector shows them while the board is discussed, not before', async () => {
    const projector = await openProjector(f);
    await projector.setViewportSize({ width: 1920, height: 1080 });
    const controls = boardControls(f, 'Barriers');
    await controls.getByRole('button', { name: 'Bring everyone here' }).click();
    await expect(projector.getByRole('heading', { level: 1, name: 'Barriers' })).toBeVisible();
    await expect(projector.getByRole('region', { name: 'Decisions and actions' })).toHaveCount(0);
    await controls.getByRole('button', { name: 'Discuss' }).click();
    const shown = projector.getByRole('region', { name: 'Decisions and actions' });
    await expect(shown).toContainText('Evening transport is the first barrier to tackle');
    await expect(shown).toContainText('Ask the operator about a later last bus');
    await expectNoAxeViolations(projector, 'the projector showing decisions and actions in Discuss');
  });
  expectNoPageErrors(people);
});

test('a later workshop brings in the earlier one’s open actions for review, chosen from the workshops this browser runs', async ({ browser, people }) => {
  const first = await createWorkshopByApi(server.url, 'Partnership workshop 1');
  const second = await createWorkshopByApi(server.url, 'Partnership workshop 2');
  const facilitator = await openFacilitator(browser, server.url, first);
  people.push(facilitator);
  const f = facilitator.page;
  await f.getByRole('button', { name: 'Add action', exact: true }).click();
  const dialog = f.getByRole('dialog', { name: 'Add action' });
  await dialog.getByLabel('What will be done').fill('Map the evening bus routes');
  await dialog.getByLabel('Owner').fill('Transport team');
  await dialog.getByRole('button', { name: 'Add action' }).click();
  await expect(f.getByRole('list', { name: 'Recorded decisions and actions' })).toContainText('Map the evening bus routes');

  await facilitator.context.addInitScript(
    ([id, key]) => window.localStorage.setItem(`goldthread:facilitator:${id}`, key),
    [second.id, second.facilitatorKey] as const
  );
  await f.goto(`/facilitate/${second.id}`);
  await f.getByRole('button', { name: 'Choose an earlier workshop' }).click();
  await f.getByLabel('Earlier workshop', { exact: true }).selectOption({ label: 'Partnership workshop 1' });
  await f.getByRole('button', { name: 'Bring in open actions' }).click();
  await expect(f.getByRole('status').filter({ hasText: '1 open action brought in for review.' }).first()).toBeVisible();
  const recorded = f.getByRole('list', { name: 'Recorded decisions and actions' });
  await expect(recorded).toContainText('Map the evening bus routes');
  await expect(recorded).toContainText('Carried forward from Partnership workshop 1');
  await f.getByLabel('Status of: Map the evening bus routes').selectOption('done');
  await expect(recorded).toContainText('Owner: Transport team · Done');
  await expectNoAxeViolations(f, 'the facilitator page with a carried-forward action');
  expectNoPageErrors(people);
});
