import { expect, type Browser, type Locator, type Page, type WebSocket } from '@playwright/test';
import { expectConnected, openBrowserFor, type Person } from './goldthread';

/**
 * Set-up for the facilitation journeys. Creating a workshop and joining it are covered
 * through the UI by foundation.spec.ts and joining.spec.ts; here they go through the HTTP API
 * and the browser storage the web app reads (`goldthread:facilitator:<id>`,
 * `goldthread:participant:<id>`), so each test spends its time on what it is about.
 */

export interface CreatedWorkshop {
  id: string;
  joinCode: string;
  facilitatorKey: string;
  rooms: { id: string; name: string }[];
  boards: { id: string; title: string }[];
}

export interface Joined {
  workshopId: string;
  roomId: string;
  participantId: string;
  token: string;
  name: string;
}

async function post<T>(baseURL: string, path: string, body: unknown, bearer?: string): Promise<T> {
  const response = await fetch(new URL(path, baseURL), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(bearer && { authorization: `Bearer ${bearer}` }) },
    body: JSON.stringify(body)
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`POST ${path} answered ${response.status}: ${text}`);
  return JSON.parse(text) as T;
}

export function createWorkshopByApi(baseURL: string, title: string): Promise<CreatedWorkshop> {
  return post(baseURL, '/api/workshops', { title });
}

export async function joinByApi(baseURL: string, workshop: CreatedWorkshop, name: string, room: string): Promise<Joined> {
  const roomId = workshop.rooms.find((r) => r.name === room)?.id;
  if (!roomId) throw new Error(`no room ${room}`);
  const joined = await post<Omit<Joined, 'name'>>(baseURL, '/api/join', { code: workshop.joinCode, name, roomId });
  return { ...joined, name };
}

/** Adds a card through the HTTP API, as an outside tool would (e.g. to fill a board quickly). */
export function addCardByApi(baseURL: string, joined: Joined, boardId: string, text: string): Promise<unknown> {
  return post(baseURL, `/api/workshops/${joined.workshopId}/rooms/${joined.roomId}/cards`, { boardId, text }, joined.token);
}

/** A facilitator's browser on the facilitator page, with the key already in its storage. */
export async function openFacilitator(browser: Browser, baseURL: string, workshop: CreatedWorkshop): Promise<Person> {
  const person = await openBrowserFor(browser, baseURL);
  await person.context.addInitScript(
    ([id, key]) => window.localStorage.setItem(`goldthread:facilitator:${id}`, key),
    [workshop.id, workshop.facilitatorKey] as const
  );
  await person.page.goto(`/facilitate/${workshop.id}`);
  await expect(person.page.getByRole('heading', { level: 2, name: 'Boards' })).toBeVisible();
  await expect(person.page.getByRole('region', { name: 'Timer' })).toBeVisible();
  return person;
}

/**
 * A participant's browser, already joined, on their room page and connected. `beforeOpening`
 * runs before the page loads, e.g. to record its websocket traffic from the first frame.
 */
export async function openParticipant(
  browser: Browser,
  baseURL: string,
  joined: Joined,
  beforeOpening?: (page: Page) => void
): Promise<Person> {
  const person = await openBrowserFor(browser, baseURL);
  beforeOpening?.(person.page);
  await person.context.addInitScript(
    ([key, session]) => {
      if (!window.localStorage.getItem(key)) window.localStorage.setItem(key, session);
    },
    [`goldthread:participant:${joined.workshopId}`, JSON.stringify(joined)] as const
  );
  await person.page.goto(`/w/${joined.workshopId}/r/${joined.roomId}`);
  await expectConnected(person.page);
  return person;
}

/** Opens the projector from the facilitator page's "Open projector" button; resolves to the new tab. */
export async function openProjector(facilitator: Page): Promise<Page> {
  const [projector] = await Promise.all([
    facilitator.context().waitForEvent('page'),
    facilitator.getByRole('button', { name: 'Open projector' }).click()
  ]);
  await projector.waitForURL(/\/project\/[^#]+$/);
  await expect(projector.getByRole('heading', { level: 1 })).toBeVisible();
  return projector;
}

/** One board's controls on the facilitator page. */
export function boardControls(facilitator: Page, board: string): Locator {
  return facilitator.getByRole('region', { name: board, exact: true });
}

/** One board on a participant's page. */
export function board(page: Page, title: string): Locator {
  return page.getByRole('region', { name: title, exact: true });
}

/** Every websocket frame a page sends or receives, as raw bytes, for checking what travelled. */
export function recordWebsocketTraffic(page: Page): { frames: Buffer[]; sockets: WebSocket[] } {
  const frames: Buffer[] = [];
  const sockets: WebSocket[] = [];
  page.on('websocket', (socket) => {
    sockets.push(socket);
    const keep = ({ payload }: { payload: string | Buffer }) => frames.push(typeof payload === 'string' ? Buffer.from(payload) : payload);
    socket.on('framereceived', keep);
    socket.on('framesent', keep);
  });
  return { frames, sockets };
}

/** True when some frame holds these bytes (as UTF-8), without decoding any protocol. */
export function trafficContains(frames: Buffer[], text: string): boolean {
  const needle = Buffer.from(text, 'utf8');
  return frames.some((frame) => frame.includes(needle));
}

/** The seconds a `mm:ss` (or `h:mm:ss`) readout shows. */
export function clockSeconds(readout: string): number {
  const parts = readout.trim().split(':').map(Number);
  if (parts.some((part) => !Number.isFinite(part))) throw new Error(`not a clock: "${readout}"`);
  return parts.reduce((total, part) => total * 60 + part, 0);
}
