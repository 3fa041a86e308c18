import { expect, test, serverForThisFile } from './support/fixtures';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

const server = serverForThisFile();

const TITLE = 'Riverside "Health & Housing" partnership — Café';

/** Who writes what, room by room: the texts that have broken exports before. */
const CARDS = [
  { room: 'North', person: "Ben O'Neill", board: 'Priorities', text: 'Affordable housing, not just "affordable" on paper' },
  { room: 'North', person: "Ben O'Neill", board: 'Vision', text: 'Youth services\nopen evenings\nand weekends' },
  { room: 'North', person: "Ben O'Neill", board: 'Barriers', text: '<script>alert(1)</script>' },
  { room: 'Central', person: 'Zoë Clarke, Jr.', board: 'Priorities', text: '=SUM(A1)' },
  { room: 'Central', person: 'Zoë Clarke, Jr.', board: 'Vision', text: '# not a heading' },
  { room: 'Central', person: 'Zoë Clarke, Jr.', board: 'Barriers', text: '+44 20 7946 0000 helpline nobody answers' },
  { room: 'South', person: 'Priya Shah', board: 'Priorities', text: 'Better bus links to the hospital 🚌' },
  { room: 'South', person: 'Priya Shah', board: 'Vision', text: 'Café culture; £5 lunches — first time' },
  { room: 'South', person: 'Priya Shah', board: 'Barriers', text: '@home care for older people, -5 budgets' }
] as const;

/** Sends JSON to the API and fails, naming the request, on an unexpected status. */
async function call<T>(method: string, route: string, body: unknown, expected: number, credential?: string): Promise<T> {
  const response = await fetch(`${server.url}${route}`, {
    method,
    headers: { 'content-type': 'application/json', ...(credential && { authorization: `Bearer ${credential}` }) },
    body: JSON.stringify(body)
  });
  const text = await response.text();
  if (response.status !== expected) throw new Error(`${method} ${route}: ${response.status} ${text}`);
  return JSON.parse(text) as T;
}

/** The text of each page of a PDF, as PDF.js reads it. */
async function pdfPages(bytes: Uint8Array): Promise<string[]> {
  const pdf = await getDocument({ data: bytes, isEvalSupported: false, disableFontFace: true, verbosity: 0 }).promise;
  try {
    const pages: string[] = [];
    for (let number = 1; number <= pdf.numPages; number++) {
      const content = await (await pdf.getPage(number)).getTextContent();
      pages.push(content.items.map((item) => ('str' in item ? `${item.str}${item.hasEOL ? '\n' : ' '}` : '')).join(''));
    }
    return pages;
  } finally {
    await pdf.destroy();
  }
}

/**
 * Text compared without whitespace (a PDF splits and wraps lines where it likes) and without
 * emoji, which this machine's Chromium has no font for and so prints as a blank glyph.
 */
function comparable(text: string): string {
  return text.replace(/\p{Extended_Pictographic}|\uFE0F/gu, '').replace(/\s+/g, '');
}

test('the HTML notes print from Chromium to an A4 PDF whose text holds the title and every card', async ({ page }) => {
  const workshop = await test.step('a workshop is run over the public API: three rooms, awkward cards', async () => {
    const created = await call<{ id: string; joinCode: string; facilitatorKey: string; rooms: { id: string; name: string }[]; boards: { id: string; title: string }[] }>(
      'POST', '/api/workshops', { title: TITLE }, 201
    );
    const tokens = new Map<string, { token: string; roomId: string }>();
    for (const card of CARDS) {
      if (!tokens.has(card.person)) {
        const roomId = created.rooms.find((room) => room.name === card.room)!.id;
        const joined = await call<{ token: string; roomId: string }>('POST', '/api/join', { code: created.joinCode, name: card.person, roomId }, 200);
        tokens.set(card.person, joined);
      }
      const { token, roomId } = tokens.get(card.person)!;
      const boardId = created.boards.find((board) => board.title === card.board)!.id;
      await call('POST', `/api/workshops/${created.id}/rooms/${roomId}/cards`, { boardId, text: card.text }, 201, token);
    }
    return created;
  });

  const html = await test.step('the facilitator downloads the HTML notes', async () => {
    const response = await fetch(`${server.url}/api/workshops/${workshop.id}/notes.html`, {
      headers: { authorization: `Bearer ${workshop.facilitatorKey}` }
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="goldthread-[a-z0-9-]+\.html"$/);
    return response.text();
  });

  const pdf = await test.step('Chromium prints it to PDF on A4', async () => {
    await page.setContent(html, { waitUntil: 'load' });
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(TITLE);
    const bytes = await page.pdf({ format: 'A4', printBackground: true });
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    return new Uint8Array(bytes);
  });

  await test.step("the PDF's text holds the title on page 1 and every card's text", async () => {
    const pages = await pdfPages(pdf);
    expect(pages.length).toBeGreaterThanOrEqual(1);
    expect(comparable(pages[0]!)).toContain(comparable(TITLE));
    const all = comparable(pages.join('\n'));
    for (const card of CARDS) expect(all, card.text).toContain(comparable(card.text));
    // Several rooms get an appendix, and the print stylesheet starts it on a new page.
    const appendix = pages.findIndex((text) => text.includes('Appendix: room by room'));
    expect(appendix).toBeGreaterThan(0);
    expect(comparable(pages[appendix]!).startsWith(comparable('Appendix: room by room'))).toBe(true);
  });
});
