import { expect, test, serverForThisFile } from './support/fixtures';
import { expectNoAxeViolations } from './support/accessibility';
import { addCard, boardCards, expectNoPageErrors, facilitatorCards } from './support/goldthread';
import { board, boardControls, createWorkshopByApi, joinByApi, openFacilitator, openParticipant } from './support/facilitation';

const server = serverForThisFile();

test('a snapshot brings back a deleted card for everyone, after saving what was there first', async ({ browser, people }) => {
  const workshop = await createWorkshopByApi(server.url, 'Snapshot workshop');
  const facilitator = await openFacilitator(browser, server.url, workshop);
  const sam = await openParticipant(browser, server.url, await joinByApi(server.url, workshop, 'Sam Patel', 'North'));
  const priya = await openParticipant(browser, server.url, await joinByApi(server.url, workshop, 'Priya Shah', 'North'));
  people.push(facilitator, sam, priya);
  const f = facilitator.page;
  const snapshots = f.getByRole('region', { name: 'Snapshots' });
  const timeline = snapshots.getByRole('list', { name: 'Timeline' }).getByRole('listitem');

  await boardControls(f, 'Priorities').getByRole('button', { name: 'Start brainstorm' }).click();
  await addCard(sam.page, 'Priorities', 'Keep the library open late');
  await addCard(sam.page, 'Priorities', 'A youth worker in every school');
  await expect(facilitatorCards(f, 'North', 'Priorities')).toHaveCount(2);

  await test.step('the facilitator saves a labelled snapshot, and it heads the timeline', async () => {
    await snapshots.getByLabel('Label (optional)').fill('Before the tidy-up');
    await snapshots.getByRole('button', { name: 'Save snapshot' }).click();
    // Goldthread adds entries of its own (at each stage, and every ten minutes), so the entry is found by its label.
    const entry = timeline.filter({ hasText: 'Before the tidy-up' });
    await expect(entry).toHaveCount(1);
    await expect(entry).toContainText('Saved by you');
    await expect(entry).toContainText('2 cards');
    await expect(snapshots.getByLabel('Label (optional)')).toHaveValue('');
  });

  await test.step('the card’s author deletes it, and it is gone everywhere', async () => {
    await board(sam.page, 'Priorities').getByRole('button', { name: 'Delete card: Keep the library open late' }).click();
    await expect(boardCards(priya.page, 'Priorities')).toHaveText([/A youth worker in every school/]);
    await expect(facilitatorCards(f, 'North', 'Priorities')).toHaveText([/A youth worker in every school/]);
  });

  await test.step('opening the snapshot shows the card read-only, without touching the live board', async () => {
    await snapshots.getByRole('button', { name: /^Open: Before the tidy-up/ }).click();
    const opened = snapshots.getByRole('region', { name: 'Snapshot: Before the tidy-up' });
    await expect(opened.getByRole('list', { name: 'Snapshot: North — Priorities' }).getByRole('listitem')).toHaveText([
      /Keep the library open late/,
      /A youth worker in every school/
    ]);
    await expect(opened.getByRole('button', { name: /^(Edit|Delete) card:/ })).toHaveCount(0);
    await expect(facilitatorCards(f, 'North', 'Priorities')).toHaveCount(1);
    await expect(boardCards(sam.page, 'Priorities')).toHaveCount(1);
    await expectNoAxeViolations(f, 'the console with a snapshot open');
    await opened.getByRole('button', { name: 'Close snapshot' }).click();
    await expect(opened).toHaveCount(0);
  });

  await test.step('restoring asks first, says the current state is saved, then brings the card back for everyone', async () => {
    await snapshots.getByRole('button', { name: /^Restore: Before the tidy-up/ }).click();
    const confirm = f.getByRole('dialog', { name: 'Restore “Before the tidy-up”?' });
    await expect(confirm).toContainText('The current state is saved on the timeline first');
    await expectNoAxeViolations(f, 'the console asking to confirm a restore');
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await expect(confirm).toBeHidden();
    await expect(snapshots.getByRole('button', { name: /^Restore: Before the tidy-up/ })).toBeFocused();
    await expect(boardCards(sam.page, 'Priorities')).toHaveCount(1);

    await snapshots.getByRole('button', { name: /^Restore: Before the tidy-up/ }).click();
    await confirm.getByRole('button', { name: 'Restore', exact: true }).click();
    await expect(f.getByRole('status').filter({ hasText: 'Restored “Before the tidy-up”' })).toBeAttached();
    for (const page of [sam.page, priya.page]) {
      await expect(boardCards(page, 'Priorities')).toHaveText([/Keep the library open late/, /A youth worker in every school/]);
    }
    await expect(facilitatorCards(f, 'North', 'Priorities')).toHaveText([/Keep the library open late/, /A youth worker in every school/]);
  });

  await test.step('the state from just before the restore is on the timeline, above the restored one', async () => {
    const safety = timeline.filter({ hasText: 'Before restoring an earlier snapshot' });
    await expect(safety).toHaveCount(1);
    await expect(safety).toContainText('Saved just before a restore');
    await expect(safety).toContainText('1 card');
    const order = await timeline.allTextContents();
    const newer = order.findIndex((text) => text.includes('Before restoring an earlier snapshot'));
    const older = order.findIndex((text) => text.includes('Before the tidy-up'));
    expect(newer).toBeLessThan(older);
  });
  expectNoPageErrors(people);
});
