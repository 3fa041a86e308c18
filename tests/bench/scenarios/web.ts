import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type Page } from '@playwright/test';
import { addCard } from '@goldthread/shared';
import { CHROMIUM_ARGS, resolveChromium } from '../../e2e/support/chromium.js';
import { scaled, type BenchContext } from '../support/context.js';
import { createWorkshop, facilitatorToken, join, type CreatedWorkshop } from '../support/goldthread-api.js';
import { REPO_ROOT, startGoldthread, type BenchServer } from '../support/servers.js';
import { percentiles, round, waitFor } from '../support/stats.js';
import { openProvider, seedCards } from '../support/targets.js';
import { wallClockMs } from '../load/protocol.js';

const CLIENT_BUILD = path.join(REPO_ROOT, 'web/build/client');
const NEW_CARDS = 20;

export interface PageWeight {
  files: { path: string; kind: 'js' | 'css'; bytes: number; gzipBytes: number }[];
  jsGzipKiB: number;
  cssGzipKiB: number;
  jsRawKiB: number;
  cssRawKiB: number;
}

/** How soon a new card shows on a page already showing a thousand others. */
export interface NewCardTiming {
  page: 'facilitator' | 'projector';
  /** Cards on the board(s) the page shows (the projector shows 60 at a time and turns pages). */
  cardsOnScreen: number;
  samples: number;
  /** From the writer's addCard to the card's text in the page's DOM. */
  domMs: { p50: number; p95: number; max: number };
  /** ... to the frame after it (the card painted). */
  paintMs: { p50: number; p95: number; max: number };
  /** How long the page took to show all the seeded cards. */
  initialRenderMs: number;
}

export interface WebResult {
  participantPage: PageWeight;
  facilitatorNewCard: NewCardTiming;
  projectorNewCard: NewCardTiming;
}

/** Which built files the participant's room page loads: every same-origin script and stylesheet it requests. */
async function participantPageWeight(browser: Browser, server: BenchServer, workshop: CreatedWorkshop): Promise<PageWeight> {
  const room = workshop.rooms[0]!;
  const participant = await join(server.url, workshop.joinCode, 'Page weight', room.id);
  const context = await browser.newContext({ baseURL: server.url });
  const session = { token: participant.token, participantId: participant.participantId, roomId: room.id, name: 'Page weight', workshopId: workshop.id };
  await context.addInitScript(
    `window.localStorage.setItem(${JSON.stringify(`goldthread:participant:${workshop.id}`)}, ${JSON.stringify(JSON.stringify(session))})`
  );
  const requested = new Map<string, 'js' | 'css'>();
  context.on('request', (request) => {
    const url = new URL(request.url());
    if (url.origin !== server.url) return;
    const type = request.resourceType();
    if (type === 'script' || url.pathname.endsWith('.js')) requested.set(url.pathname, 'js');
    else if (type === 'stylesheet' || url.pathname.endsWith('.css')) requested.set(url.pathname, 'css');
  });
  const page = await context.newPage();
  await page.goto(`/w/${workshop.id}/r/${room.id}`);
  await page.getByRole('status').filter({ hasText: /^\s*Connected\s*$/ }).first().waitFor({ timeout: 20_000 });
  await page.waitForLoadState('networkidle');
  await context.close();

  const files = [...requested].map(([pathname, kind]) => {
    const file = path.join(CLIENT_BUILD, decodeURIComponent(pathname));
    if (!file.startsWith(CLIENT_BUILD) || !existsSync(file)) throw new Error(`the page loaded ${pathname}, which is not in web/build/client`);
    const content = readFileSync(file);
    return { path: pathname, kind, bytes: content.length, gzipBytes: gzipSync(content, { level: 9 }).length };
  });
  const sum = (kind: 'js' | 'css', field: 'bytes' | 'gzipBytes') =>
    round(files.filter((f) => f.kind === kind).reduce((total, f) => total + f[field], 0) / 1024, 1);
  return { files, jsGzipKiB: sum('js', 'gzipBytes'), cssGzipKiB: sum('css', 'gzipBytes'), jsRawKiB: sum('js', 'bytes'), cssRawKiB: sum('css', 'bytes') };
}

/**
 * Page scripts are passed as strings: tsx compiles functions with a `__name` helper that does
 * not exist inside the page.
 */
/** Counts the cards (list items holding `marker`) the page shows. */
const countShown = (page: Page, marker: string) =>
  page.evaluate<number>(`Array.from(document.querySelectorAll('li')).filter((li) => (li.textContent || '').includes(${JSON.stringify(marker)})).length`);

/**
 * Installs a MutationObserver that notes when `marker` first appears in the DOM, and the
 * moment after the next frame (the card painted). Times use the wall clock, as the writer's do.
 */
function watchFor(page: Page, marker: string) {
  return page.evaluate(`(() => {
    const text = ${JSON.stringify(marker)};
    const now = () => performance.timeOrigin + performance.now();
    window.__benchSeen = new Promise((resolve) => {
      const observer = new MutationObserver((records) => {
        for (const record of records) {
          const nodes = record.type === 'characterData' ? [record.target] : Array.from(record.addedNodes);
          if (!nodes.some((node) => (node.textContent || '').includes(text))) continue;
          const domAt = now();
          observer.disconnect();
          requestAnimationFrame(() => setTimeout(() => resolve({ domAt, paintAt: now() }), 0));
          return;
        }
      });
      observer.observe(document.body, { childList: true, subtree: true, characterData: true });
    });
  })()`);
}

/** Waits (at most 10 s) for what `watchFor` saw; null when the card never showed. */
const seenByPage = (page: Page) =>
  page.evaluate<{ domAt: number; paintAt: number } | null>(
    `Promise.race([window.__benchSeen, new Promise((resolve) => setTimeout(() => resolve(null), 10000))])`
  );

/** A workshop with `cards` seed cards spread over its three rooms, on `boards` of its boards. */
async function seededWorkshop(server: BenchServer, title: string, cards: number, boards: 'all' | 'first') {
  const workshop = await createWorkshop(server.url, title);
  const perRoom = Math.ceil(cards / workshop.rooms.length);
  const token = await facilitatorToken(server.url, workshop.id, workshop.facilitatorKey);
  const serverUrl = `ws://127.0.0.1:${server.port}/yjs`;
  const seedBoards = boards === 'all' ? workshop.boards.map((b) => b.id) : [workshop.boards[0]!.id];
  for (const room of workshop.rooms) {
    await seedCards(
      {
        workshop,
        boardId: seedBoards[0]!,
        seedBoards,
        clients: async () => [],
        joinStats: () => null,
        seeder: () => openProvider(serverUrl, `${workshop.id}/${room.id}`, { token })
      },
      perRoom
    );
  }
  return { workshop, token, serverUrl, total: perRoom * workshop.rooms.length };
}

const summary = (values: number[]) => {
  const p = percentiles(values);
  return { p50: round(p.p50), p95: round(p.p95), max: round(p.max) };
};

/**
 * A participant of the first room adds NEW_CARDS cards, a few hundred ms apart as in a busy
 * room, each on `boardFor(i)`: for each, when the page has it in the DOM and when it is painted.
 */
async function timeNewCards(page: Page, server: BenchServer, seeded: Awaited<ReturnType<typeof seededWorkshop>>, boardFor: (i: number) => string) {
  const { workshop, serverUrl } = seeded;
  const room = workshop.rooms[0]!;
  const participant = await join(server.url, workshop.joinCode, 'New card writer', room.id);
  const writer = await openProvider(serverUrl, `${workshop.id}/${room.id}`, { token: participant.token });
  const dom: number[] = [];
  const paint: number[] = [];
  try {
    for (let i = 0; i < NEW_CARDS; i++) {
      const marker = `Fresh idea ${i} ${Math.random().toString(36).slice(2, 8)}`;
      await watchFor(page, marker);
      const sentAt = wallClockMs();
      addCard(writer.doc, { boardId: boardFor(i), text: marker, authorId: participant.participantId, authorName: 'New card writer' });
      const seen = await seenByPage(page);
      if (!seen) throw new Error(`new card ${i} did not appear within 10 s`);
      dom.push(seen.domAt - sentAt);
      paint.push(seen.paintAt - sentAt);
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  } finally {
    writer.provider.destroy();
  }
  return { samples: dom.length, domMs: summary(dom), paintMs: summary(paint) };
}

/** The facilitator page (every room, every board, all live) with `cards` cards on screen. */
async function facilitatorNewCard(browser: Browser, server: BenchServer, cards: number, ctx: BenchContext): Promise<NewCardTiming> {
  const seeded = await seededWorkshop(server, 'Facilitator page bench', cards, 'all');
  const { workshop, total } = seeded;
  const context = await browser.newContext({ baseURL: server.url, viewport: { width: 1920, height: 1080 } });
  try {
    const page = await context.newPage();
    const opened = performance.now();
    await page.goto(`/facilitate/${workshop.id}#key=${encodeURIComponent(workshop.facilitatorKey)}`);
    await waitFor(async () => (await countShown(page, 'Seed card')) >= total, 60_000, `the facilitator page to show ${total} cards`, 250);
    const initialRenderMs = round(performance.now() - opened, 0);
    const timings = await timeNewCards(page, server, seeded, (i) => workshop.boards[i % workshop.boards.length]!.id);
    const result: NewCardTiming = { page: 'facilitator', cardsOnScreen: total, initialRenderMs, ...timings };
    ctx.log(`  facilitator page with ${total} cards: new card in the DOM p50 ${result.domMs.p50} ms, painted p50 ${result.paintMs.p50} p95 ${result.paintMs.p95} max ${result.paintMs.max} ms`);
    return result;
  } finally {
    await context.close();
  }
}

/**
 * The projector (`/project/<id>`) on a board holding `cards` cards from the three rooms: it
 * shows 60 at a time and turns to the page of a card that has just been added.
 */
async function projectorNewCard(browser: Browser, server: BenchServer, cards: number, ctx: BenchContext): Promise<NewCardTiming> {
  const seeded = await seededWorkshop(server, 'Projector bench', cards, 'first');
  const { workshop, total, token } = seeded;
  const response = await fetch(`${server.url}/api/workshops/${workshop.id}/projector-token`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
  if (!response.ok) throw new Error(`POST projector-token answered ${response.status}`);
  const { token: projectorToken } = (await response.json()) as { token: string };
  const context = await browser.newContext({ baseURL: server.url, viewport: { width: 1920, height: 1080 } });
  try {
    const page = await context.newPage();
    const opened = performance.now();
    await page.goto(`/project/${workshop.id}#token=${encodeURIComponent(projectorToken)}`);
    await page.getByText(`— ${total} cards`).waitFor({ timeout: 60_000 });
    const initialRenderMs = round(performance.now() - opened, 0);
    // For its first 3 s the wall takes arriving cards for rooms still loading, not someone adding one.
    await new Promise((resolve) => setTimeout(resolve, 3500));
    const timings = await timeNewCards(page, server, seeded, () => workshop.boards[0]!.id);
    const result: NewCardTiming = { page: 'projector', cardsOnScreen: total, initialRenderMs, ...timings };
    ctx.log(`  projector with ${total} cards on its board: new card in the DOM p50 ${result.domMs.p50} ms, painted p50 ${result.paintMs.p50} p95 ${result.paintMs.p95} max ${result.paintMs.max} ms`);
    return result;
  } finally {
    await context.close();
  }
}

/**
 * Scenario 6: the participant page's JS and CSS (gzip -9 of the built files it loads), and the
 * time for a new card to show on the facilitator page and on the projector with 1,000 cards
 * (Chromium via Playwright).
 */
export async function webScenario(ctx: BenchContext): Promise<WebResult> {
  const server = await startGoldthread();
  const browser = await chromium.launch({ executablePath: resolveChromium(), args: CHROMIUM_ARGS, headless: true });
  try {
    const workshop = await createWorkshop(server.url, 'Page weight');
    const participantPage = await participantPageWeight(browser, server, workshop);
    ctx.log(`  participant page: JS ${participantPage.jsGzipKiB} KiB gzip (${participantPage.jsRawKiB} KiB raw), CSS ${participantPage.cssGzipKiB} KiB gzip, ${participantPage.files.length} files`);
    const cards = scaled(ctx, 1000, 100);
    const facilitator = await facilitatorNewCard(browser, server, cards, ctx);
    const projector = await projectorNewCard(browser, server, cards, ctx);
    return { participantPage, facilitatorNewCard: facilitator, projectorNewCard: projector };
  } finally {
    await browser.close();
    await server.stop();
  }
}
