import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, type Page } from '@playwright/test';

/** Where the layout screenshots go (tests/artifacts is git-ignored). */
export const SCREENSHOTS = fileURLToPath(new URL('../../artifacts/screenshots', import.meta.url));

export interface LayoutProblems {
  /** The page scrolls sideways: wider than the window. */
  pageWiderThanWindow: { scrollWidth: number; innerWidth: number } | null;
  /** Elements whose text runs past their box (scrollWidth > clientWidth, or hidden past a clipped bottom). */
  overflowing: string[];
  /** Pairs of text boxes drawn over each other. */
  overlapping: string[];
  /** How many text boxes were looked at (so a check of nothing does not pass quietly). */
  textBoxes: number;
}

/**
 * Looks at every visible piece of text on the page: the box of each line of each text node
 * (cut to whatever ancestors clip it), whether its element's content overflows that element,
 * and whether any two pieces of text from different nodes are drawn over each other.
 */
export async function findLayoutProblems(page: Page): Promise<LayoutProblems> {
  return page.evaluate(() => {
    type Box = { left: number; top: number; right: number; bottom: number };
    const describe = (element: Element) => {
      const label = element.getAttribute('aria-label');
      const text = (element.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 50);
      const classes = typeof element.className === 'string' && element.className ? `.${element.className.trim().split(/\s+/).filter((c) => !c.startsWith('svelte-')).join('.')}` : '';
      return `<${element.tagName.toLowerCase()}${classes}>${label ? ` [${label}]` : ''} “${text}”`;
    };
    const isHiddenVisually = (element: Element) => {
      for (let current: Element | null = element; current; current = current.parentElement) {
        const style = getComputedStyle(current);
        if (style.visibility === 'hidden' || style.display === 'none' || Number(style.opacity) === 0) return true;
        if (current.classList.contains('visually-hidden')) return true;
        // Clipped to nothing, as screen-reader-only text is (e.g. SvelteKit's route announcer).
        if (style.clip === 'rect(0px, 0px, 0px, 0px)' || style.clipPath === 'inset(50%)') return true;
      }
      return false;
    };
    /** The part of a box that ancestors with overflow other than visible let through. */
    const clipToAncestors = (element: Element, box: Box): Box | null => {
      let clipped = { ...box };
      for (let current: Element | null = element; current; current = current.parentElement) {
        const style = getComputedStyle(current);
        if (style.overflowX === 'visible' && style.overflowY === 'visible') continue;
        const rect = current.getBoundingClientRect();
        clipped = {
          left: Math.max(clipped.left, rect.left),
          top: Math.max(clipped.top, rect.top),
          right: Math.min(clipped.right, rect.right),
          bottom: Math.min(clipped.bottom, rect.bottom)
        };
        if (clipped.right - clipped.left <= 0.5 || clipped.bottom - clipped.top <= 0.5) return null;
      }
      return clipped;
    };

    const pieces: { owner: Element; node: Text; box: Box }[] = [];
    const owners = new Set<Element>();
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode() as Text | null; node; node = walker.nextNode() as Text | null) {
      if (!node.data.trim()) continue;
      const owner = node.parentElement;
      if (!owner || ['SCRIPT', 'STYLE', 'NOSCRIPT', 'OPTION', 'TITLE'].includes(owner.tagName) || isHiddenVisually(owner)) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      for (const rect of range.getClientRects()) {
        if (rect.width < 1 || rect.height < 1) continue;
        const box = clipToAncestors(owner, { left: rect.left, top: rect.top, right: rect.right, bottom: rect.bottom });
        if (box) pieces.push({ owner, node, box });
      }
      owners.add(owner);
    }

    // Text running out of its box: every block-level box holding text, and its ancestors up to the board.
    const overflowing = new Set<string>();
    const checked = new Set<Element>();
    for (const owner of owners) {
      for (let current: Element | null = owner; current && current !== document.body; current = current.parentElement) {
        if (checked.has(current)) break;
        checked.add(current);
        const element = current as HTMLElement;
        if (element.clientWidth === 0 || ['HTML', 'BODY', 'MAIN'].includes(element.tagName)) continue;
        const style = getComputedStyle(element);
        if (style.overflowX === 'auto' || style.overflowX === 'scroll') continue; // scrolls on purpose
        if (element.scrollWidth > element.clientWidth + 1) overflowing.add(`${describe(element)}: scrollWidth ${element.scrollWidth} > clientWidth ${element.clientWidth}`);
        const clipsBottom = style.overflowY === 'hidden' || style.overflowY === 'clip';
        if (clipsBottom && element.scrollHeight > element.clientHeight + 1) {
          overflowing.add(`${describe(element)}: text hidden below its box (scrollHeight ${element.scrollHeight} > clientHeight ${element.clientHeight})`);
        }
      }
    }

    // Text over text: two line boxes of different nodes sharing more than a sliver.
    const overlapping: string[] = [];
    const sorted = [...pieces].sort((a, b) => a.box.top - b.box.top);
    for (let i = 0; i < sorted.length; i++) {
      const a = sorted[i]!;
      for (let j = i + 1; j < sorted.length; j++) {
        const b = sorted[j]!;
        if (b.box.top >= a.box.bottom) break;
        if (a.node === b.node) continue;
        const width = Math.min(a.box.right, b.box.right) - Math.max(a.box.left, b.box.left);
        const height = Math.min(a.box.bottom, b.box.bottom) - Math.max(a.box.top, b.box.top);
        // Glyph boxes are taller than tight line heights; a real overlap covers a good part of a line.
        const lineShare = height / Math.min(a.box.bottom - a.box.top, b.box.bottom - b.box.top);
        if (width > 2 && lineShare > 0.25) {
          overlapping.push(`“${a.node.data.trim().slice(0, 40)}” (${describe(a.owner)}) overlaps “${b.node.data.trim().slice(0, 40)}” (${describe(b.owner)}) by ${width.toFixed(0)}×${height.toFixed(0)} px`);
        }
      }
    }

    const scrollWidth = document.documentElement.scrollWidth;
    return {
      pageWiderThanWindow: scrollWidth > window.innerWidth + 1 ? { scrollWidth, innerWidth: window.innerWidth } : null,
      overflowing: [...overflowing],
      overlapping,
      textBoxes: pieces.length
    };
  });
}

/**
 * Fails, listing what is wrong, when any text overflows its box or is drawn over other text.
 * Layout settles over a frame or two (resize observers, fitted text), so it is read until it
 * is clean or the time is up.
 */
export async function expectCleanLayout(page: Page, what: string): Promise<void> {
  let problems = await findLayoutProblems(page);
  const clean = (found: LayoutProblems) => !found.pageWiderThanWindow && found.overflowing.length === 0 && found.overlapping.length === 0;
  await expect
    .poll(async () => clean((problems = await findLayoutProblems(page))), { message: `layout of ${what} settles`, timeout: 5000 })
    .toBe(true)
    .catch(() => undefined);
  expect(problems.textBoxes, `text found on ${what}`).toBeGreaterThan(10);
  expect(
    { pageWiderThanWindow: problems.pageWiderThanWindow, overflowing: problems.overflowing, overlapping: problems.overlapping },
    `layout problems on ${what}`
  ).toEqual({ pageWiderThanWindow: null, overflowing: [], overlapping: [] });
}

/** Saves a full-page screenshot under tests/artifacts/screenshots. */
export async function saveScreenshot(page: Page, name: string, fullPage = true): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage, animations: 'disabled' });
  return file;
}
