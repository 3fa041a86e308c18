import { expect, type Browser, type BrowserContext, type Page } from '@playwright/test';

/** A person's browser: their own context (own storage), one page. */
export interface Person {
  context: BrowserContext;
  page: Page;
  /** Uncaught errors thrown by any page of this context. */
  pageErrors: string[];
}

export async function openBrowserFor(browser: Browser, baseURL: string): Promise<Person> {
  const context = await browser.newContext({ baseURL });
  const pageErrors: string[] = [];
  context.on('weberror', (error) => pageErrors.push(String(error.error())));
  const page = await context.newPage();
  return { context, page, pageErrors };
}

/** No page threw an uncaught error along the way. */
export function expectNoPageErrors(people: Person[]): void {
  expect(people.flatMap((person) => person.pageErrors)).toEqual([]);
}

/** Creates a workshop from the home page; resolves to its id and join code once the facilitator page shows them. */
export async function createWorkshop(page: Page, title: string): Promise<{ workshopId: string; joinCode: string }> {
  await page.goto('/');
  await page.getByLabel('Workshop title').fill(title);
  await expect(page.getByLabel('Rooms')).toHaveValue('North\nCentral\nSouth');
  await page.getByRole('button', { name: 'Create workshop' }).click();

  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  const joinLink = page.getByRole('region', { name: 'Join code' }).getByRole('link');
  await expect(joinLink).toHaveText(/\/join\/\S+$/);
  const joinUrl = (await joinLink.textContent()) ?? '';
  const joinCode = decodeURIComponent(joinUrl.slice(joinUrl.lastIndexOf('/') + 1));
  const workshopId = /\/facilitate\/([^/#?]+)/.exec(page.url())?.[1];
  if (!workshopId) throw new Error(`not on a facilitator page: ${page.url()}`);
  return { workshopId, joinCode };
}

/** Joins from the home page by code, choosing a room by name. */
export async function joinRoom(page: Page, joinCode: string, name: string, room: string): Promise<void> {
  await page.goto('/');
  await page.getByLabel('Join code').fill(joinCode);
  await page.getByLabel('Your name').fill(name);
  await page.getByRole('button', { name: 'Join', exact: true }).click();

  const rooms = page.getByRole('group', { name: 'Which room are you in?' });
  await rooms.getByRole('radio', { name: room, exact: true }).check();
  await page.getByRole('button', { name: 'Join room' }).click();

  await expect(page.getByRole('heading', { level: 1 })).toContainText(room);
  await expectConnected(page);
}

export async function expectConnected(page: Page): Promise<void> {
  await expect(page.getByRole('status').filter({ hasText: /^\s*Connected\s*$/ }).first()).toBeVisible();
}

/** Adds a card to one board of the participant's room with the "Add card" button. */
export async function addCard(page: Page, board: string, text: string): Promise<void> {
  const region = page.getByRole('region', { name: board, exact: true });
  const box = region.getByLabel('Card text');
  await box.fill(text);
  await region.getByRole('button', { name: 'Add card' }).click();
  await expect(box).toHaveValue('');
  await expect(box).toBeFocused();
}

/** The card texts of a participant's board list. */
export function boardCards(page: Page, board: string) {
  return page.getByRole('list', { name: board, exact: true }).getByRole('listitem');
}

/** The card texts of one room's board on the facilitator page. */
export function facilitatorCards(page: Page, room: string, board: string) {
  return page.getByRole('list', { name: `${room} — ${board}`, exact: true }).getByRole('listitem');
}
