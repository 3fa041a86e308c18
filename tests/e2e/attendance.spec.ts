import type { Locator } from '@playwright/test';
import { expect, test, serverForThisFile } from './support/fixtures';
import { expectNoAxeViolations } from './support/accessibility';
import { expectNoPageErrors } from './support/goldthread';
import { createWorkshopByApi, openFacilitator, openParticipant, type CreatedWorkshop, type Joined } from './support/facilitation';

const server = serverForThisFile();

/** Joins over HTTP, as the join form does, with an optional sector. */
async function joinWithSector(workshop: CreatedWorkshop, name: string, room: string, sector?: string): Promise<Joined> {
  const roomId = workshop.rooms.find((r) => r.name === room)!.id;
  const response = await fetch(`${server.url}/api/join`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code: workshop.joinCode, name, roomId, ...(sector && { sector }) })
  });
  if (!response.ok) throw new Error(`join answered ${response.status}: ${await response.text()}`);
  return { ...((await response.json()) as Omit<Joined, 'name'>), name };
}

/** The cells of one row of the attendance table, by its header. */
function row(table: Locator, header: string): Locator {
  return table.getByRole('row', { name: new RegExp(`^${header}\\b`) });
}

test('attendance shows head-counts by sector and room, without names, and follows people arriving', async ({ browser, people }) => {
  const workshop = await createWorkshopByApi(server.url, 'Attendance workshop');
  await joinWithSector(workshop, 'Sam Patel', 'North', 'Council');
  await joinWithSector(workshop, 'Priya Shah', 'North', 'NHS & health');
  await joinWithSector(workshop, 'Chris Obi', 'South', 'Council');
  await joinWithSector(workshop, 'Jo Lee', 'Central');
  const facilitator = await openFacilitator(browser, server.url, workshop);
  people.push(facilitator);
  const attendance = facilitator.page.getByRole('region', { name: 'Attendance' });
  const table = attendance.getByRole('table', { name: 'By sector and room (no names)' });

  await expect(attendance).toContainText('Joined so far: 4 people');
  await expect(table.getByRole('columnheader')).toHaveText(['Sector', 'North', 'Central', 'South', 'All rooms']);
  await expect(row(table, 'Council').getByRole('cell')).toHaveText(['1', '0', '1', '2']);
  await expect(row(table, 'NHS & health').getByRole('cell')).toHaveText(['1', '0', '0', '1']);
  await expect(row(table, 'Not given').getByRole('cell')).toHaveText(['0', '1', '0', '1']);
  await expect(row(table, 'Everyone').getByRole('cell')).toHaveText(['2', '1', '1', '4']);
  for (const name of ['Sam Patel', 'Priya Shah', 'Chris Obi', 'Jo Lee']) await expect(attendance).not.toContainText(name);
  await expectNoAxeViolations(facilitator.page, 'the console showing attendance');

  await test.step('someone arriving in a room is counted without reloading', async () => {
    const alex = await openParticipant(browser, server.url, await joinWithSector(workshop, 'Alex Morgan', 'South', 'Police & fire'));
    people.push(alex);
    await expect(attendance).toContainText('Joined so far: 5 people');
    await expect(row(table, 'Police & fire').getByRole('cell')).toHaveText(['0', '0', '1', '1']);
    await expect(row(table, 'Everyone').getByRole('cell')).toHaveText(['2', '1', '2', '5']);
  });

  await test.step('people without a device are counted in their room and sector', async () => {
    const panel = facilitator.page.getByRole('region', { name: 'People without a device' });
    await panel.getByLabel('Their name').fill('Margaret Hughes');
    await panel.getByLabel('Room').selectOption({ label: 'Central' });
    await panel.getByLabel('Sector (optional)').selectOption({ label: 'Resident' });
    await panel.getByRole('button', { name: 'Add someone without a device' }).click();
    await expect(attendance).toContainText('Joined so far: 6 people');
    await expect(row(table, 'Resident').getByRole('cell')).toHaveText(['0', '1', '0', '1']);
  });
  expectNoPageErrors(people);
});
