import { describe, expect, it } from 'vitest';
import MarkdownIt from 'markdown-it';
import { parseHTML } from 'linkedom';
import { buildNotes, escapeMarkdown, renderMarkdown } from '@goldthread/shared';
import { TRICKY_TEXTS, allCardTexts, makeWorkshopFixture, squash } from './support/notes-fixture.js';

// The most permissive CommonMark renderer: raw HTML allowed, so escaping alone must keep it out.
const markdown = new MarkdownIt({ html: true, linkify: true });
const toDom = (source: string) =>
  parseHTML(`<!doctype html><html><body>${markdown.render(source)}</body></html>`).document;

describe('renderMarkdown', () => {
  const input = makeWorkshopFixture();
  const source = renderMarkdown(buildNotes([input], { kind: 'workshop' }));
  const dom = toDom(source);
  const text = squash(dom.body.textContent ?? '');

  it("shows every card's text literally once rendered", () => {
    for (const card of allCardTexts(input)) expect(text).toContain(squash(card));
  });

  it('turns no card into markup: no script, link, bold, extra heading or list marker', () => {
    expect(dom.querySelectorAll('script')).toHaveLength(0);
    // linkify may link a bare URL, but never behind other words as a [text](url) link would.
    expect([...dom.querySelectorAll('a')].every((a) => a.textContent === a.getAttribute('href'))).toBe(true);
    expect(dom.querySelectorAll('b')).toHaveLength(0);
    expect(dom.querySelectorAll('h1')).toHaveLength(1);
    expect([...dom.querySelectorAll('h1,h2,h3,h4,h5,h6')].some((h) => h.textContent?.includes('not a heading'))).toBe(
      false
    );
    expect(text).toContain('# not a heading');
    expect(text).toContain('1. Numbered thought');
    expect(text).toContain('*everyone*');
    expect(source).toContain('\\<script\\>alert(1)\\</script\\>');
  });

  it('has the sections of the minutes, and the appendix only when several rooms are covered', () => {
    const headings = [...dom.querySelectorAll('h2')].map((h) => h.textContent);
    expect(headings).toEqual([
      'Attendance',
      'Top priorities',
      'Priorities',
      'Vision',
      'Barriers',
      'Across the rooms',
      'Actions',
      'Appendix: room by room'
    ]);
    const room = renderMarkdown(buildNotes([input], { kind: 'room', roomId: 'r-north' }));
    expect(room).not.toContain('Appendix');
    expect(room).not.toContain('Across the rooms');
  });

  it('renders well with no themes, votes, actions or sectors', () => {
    const plain = makeWorkshopFixture({ plain: true });
    const rendered = toDom(renderMarkdown(buildNotes([plain], { kind: 'workshop' })));
    const plainText = squash(rendered.body.textContent ?? '');
    for (const card of allCardTexts(plain)) expect(plainText).toContain(squash(card));
    expect(plainText).not.toContain('undefined');
    expect(plainText).not.toContain('By sector');
    expect(plainText).toContain('No votes or themes were recorded');
  });
});

describe('escapeMarkdown', () => {
  it.each([
    ['# not a heading', '\\# not a heading'],
    ['- not a list', '\\- not a list'],
    ['+ not a list', '\\+ not a list'],
    ['3. not a list', '3\\. not a list'],
    ['2) not a list', '2\\) not a list'],
    ['> not a quote', '\\> not a quote'],
    ['a|b', 'a\\|b'],
    ['[x](y)', '\\[x\\](y)'],
    ['back\\slash', 'back\\\\slash']
  ])('escapes %j', (raw, escaped) => {
    expect(escapeMarkdown(raw)).toBe(escaped);
  });

  it('keeps line breaks as hard breaks inside a list item', () => {
    expect(escapeMarkdown(TRICKY_TEXTS.newlines, '  ')).toBe('Youth services\\\n  open evenings\\\n  and weekends');
  });
});
