import { expect, test, serverForThisFile } from './support/fixtures';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { addCard, readCards, roomDocName, type CreateWorkshopResponse, type JoinResponse } from '@goldthread/shared';
import { addCard as addCardInBrowser, boardCards, joinRoom, openBrowserFor } from './support/goldthread';

const server = serverForThisFile();

async function post<T>(route: string, body: unknown): Promise<T> {
  const response = await fetch(`${server.url}${route}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(response.ok, `${route} answered ${response.status}`).toBe(true);
  return (await response.json()) as T;
}

function stockProvider(workshopId: string, roomId: string, token: string) {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(`${server.url.replace('http', 'ws')}/yjs`, roomDocName(workshopId, roomId), doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    params: { token },
    disableBc: true
  });
  return { doc, provider };
}

test('a stock y-websocket provider syncs a room with a browser both ways; a wrong token is refused', async ({ browser, people }) => {
  const workshop = await post<CreateWorkshopResponse>('/api/workshops', { title: 'Interop' });
  const north = workshop.rooms.find((room) => room.name === 'North')!;
  const priorities = workshop.boards.find((board) => board.title === 'Priorities')!;

  const person = await openBrowserFor(browser, server.url);
  people.push(person);
  await joinRoom(person.page, workshop.joinCode, 'Bea', 'North');
  await addCardInBrowser(person.page, 'Priorities', 'Typed in the browser');

  const tool = await post<JoinResponse>('/api/join', { code: workshop.joinCode, name: 'Outside tool', roomId: north.id });
  const stock = stockProvider(workshop.id, north.id, tool.token);
  await expect.poll(() => readCards(stock.doc).map((card) => card.text), { timeout: 10_000 }).toEqual(['Typed in the browser']);

  addCard(stock.doc, { boardId: priorities.id, text: 'Written by the provider', authorId: tool.participantId, authorName: 'Outside tool' });
  await expect(boardCards(person.page, 'Priorities')).toHaveText([/Typed in the browser/, /Written by the provider/]);

  const intruder = stockProvider(workshop.id, north.id, 'not-a-token');
  const refused = await new Promise<boolean>((resolve) => intruder.provider.once('connection-error', () => resolve(true)));
  expect(refused).toBe(true);
  expect(intruder.provider.synced).toBe(false);

  for (const client of [stock, intruder]) {
    client.provider.destroy();
    client.doc.destroy();
  }
});
