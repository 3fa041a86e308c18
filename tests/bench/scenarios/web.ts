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

export interface WebResult {
  participantPage: PageWeight;
  facilitatorNewCard: {
    cardsOnScreen: number;
    samples: number;
    /** From the writer's addCard to the card's text in the page's DOM. */
    domMs: { p50: number; p95: number; max: number };
    /** ... to the frame after it (the card painted). */
    paintMs: { p50: number; p95: number; max: number };
    /** How long the page took to show all the seeded cards. */
    initialRenderMs: number;
  };
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

/** The facilitator page with `cards` cards on screen: how long a new card takes to appear. */
async function facilitatorNewCard(browser: Browser, server: BenchServer, cards: number, ctx: BenchContext) {
  const workshop = await createWorkshop(server.url, 'Projector bench');
  // Spread over every room, as a real workshop's would be.
  const perRoom = Math.ceil(cards / workshop.rooms.length);
  const token = await facilitatorToken(server.url, workshop.id, workshop.facilitatorKey);
  const serverUrl = `ws://127.0.0.1:${server.port}/yjs`;
  for (const room of workshop.rooms) {
    await seedCards(
      {
        workshop,
        boardId: workshop.boards[0]!.id,
        seedBoards: workshop.boards.map((b) => b.id),
        clients: async () => [],
        joinStats: () => null,
        seeder: () => openProvider(serverUrl, `${workshop.id}/${room.id}`, { token })
      },
      perRoom
    );
  }
  const total = perRoom * workshop.rooms.length;

  const context = await browser.newContext({ baseURL: server.url, viewport: { width: 1920, height: 1080 } });
  const page = await context.newPage();
  const opened = performance.now();
  await page.goto(`/facilitate/${workshop.id}#key=${encodeURIComponent(workshop.facilitatorKey)}`);
  await waitFor(async () => (await countShown(page, 'Seed card')) >= total, 60_000, `the facilitator page to show ${total} cards`, 250);
  const initialRenderMs = performance.now() - opened;

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
      addCard(writer.doc, { boardId: workshop.boards[i % workshop.boards.length]!.id, text: marker, authorId: participant.participantId, authorName: 'New card writer' });
      const seen = await seenByPage(page);
      if (!seen) throw new Error(`new card ${i} did not appear on the facilitator page within 10 s`);
      dom.push(seen.domAt - sentAt);
      paint.push(seen.paintAt - sentAt);
      // Cards arrive a few hundred ms apart, as in a busy room.
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  } finally {
    writer.provider.destroy();
    await context.close();
  }
  const summary = (values: number[]) => {
    const p = percentiles(values);
    return { p50: round(p.p50), p95: round(p.p95), max: round(p.max) };
  };
  const result = { cardsOnScreen: total, samples: dom.length, domMs: summary(dom), paintMs: summary(paint), initialRenderMs: round(initialRenderMs, 0) };
  ctx.log(`  facilitator page with ${total} cards: new card in the DOM p50 ${result.domMs.p50} ms, painted p50 ${result.paintMs.p50} p95 ${result.paintMs.p95} max ${result.paintMs.max} ms`);
  return result;
}

/**
 * Scenario 6: the participant page's JS and CSS (gzip -9 of the built files it loads), and the
 * time for a new card to show on the facilitator page with 1,000 cards on it (Chromium via Playwright).
 */
export async function webScenario(ctx: BenchContext): Promise<WebResult> {
  const server = await startGoldthread();
  const browser = await chromium.launch({ executablePath: resolveChromium(), args: CHROMIUM_ARGS, headless: true });
  try {
    const workshop = await createWorkshop(server.url, 'Page weight');
    const participantPage = await participantPageWeight(browser, server, workshop);
    ctx.log(`  participant page: JS ${participantPage.jsGzipKiB} KiB gzip (${participantPage.jsRawKiB} KiB raw), CSS ${participantPage.cssGzipKiB} KiB gzip, ${participantPage.files.length} files`);
    const facilitatorNewCardResult = await facilitatorNewCard(browser, server, scaled(ctx, 1000, 100), ctx);
    return { participantPage, facilitatorNewCard: facilitatorNewCardResult };
  } finally {
    await browser.close();
    await server.stop();
  }
}
