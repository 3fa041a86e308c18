import { describe, expect, it } from 'vitest';
import { parseHTML } from 'linkedom';
import { buildNotes, escapeHtml, renderHtml } from '@goldthread/shared';
import { allCardTexts, makeWorkshopFixture, squash } from './support/notes-fixture.js';

describe('renderHtml', () => {
  const input = makeWorkshopFixture();
  const html = renderHtml(buildNotes([input], { kind: 'workshop' }));
  const { document } = parseHTML(html);

  it('is a standalone English (UK) HTML5 page', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(document.documentElement.getAttribute('lang')).toBe('en-GB');
    expect(document.querySelector('meta[charset]')?.getAttribute('charset')).toBe('utf-8');
    expect(document.querySelector('title')?.textContent).toBe('Partnership Workshop – session notes');
    expect(document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content')).toContain(
      "default-src 'none'"
    );
    expect(document.querySelectorAll('link, img, iframe')).toHaveLength(0);
  });

  it("holds every card's text, escaped, and no script", () => {
    const text = squash(document.body.textContent ?? '');
    for (const card of allCardTexts(input)) expect(text).toContain(squash(card));
    expect(document.querySelectorAll('script, b')).toHaveLength(0);
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('prints cleanly: A4 pages, appendix on a new page, cards and rows kept whole', () => {
    const css = document.querySelector('style')?.textContent ?? '';
    expect(css).toContain('@page{size:A4');
    expect(css).toContain('.appendix{break-before:page}');
    expect(css).toMatch(/\.card,tr[^{]*\{break-inside:avoid\}/);
    expect(document.querySelectorAll('section.appendix')).toHaveLength(1);
  });

  it('uses headings in order and header cells with a scope', () => {
    const levels = [...document.querySelectorAll('h1,h2,h3,h4,h5,h6')].map((h) => Number(h.tagName[1]));
    expect(levels[0]).toBe(1);
    levels.forEach((level, i) => i && expect(level).toBeLessThanOrEqual(levels[i - 1] + 1));
    const headerCells = [...document.querySelectorAll('th')];
    expect(headerCells.length).toBeGreaterThan(10);
    expect(headerCells.every((th) => ['col', 'row'].includes(th.getAttribute('scope') ?? ''))).toBe(true);
  });

  it('leaves out the appendix and comparison for one room', () => {
    const room = parseHTML(renderHtml(buildNotes([input], { kind: 'room', roomId: 'r-south' }))).document;
    expect(room.querySelectorAll('section.appendix')).toHaveLength(0);
    expect(room.body.textContent).not.toContain('Across the rooms');
    expect(room.body.textContent).toContain('Staff turnover');
    expect(room.body.textContent).not.toContain('Data sharing between');
  });

  it('escapes the five HTML-significant characters', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;'
    );
  });
});
