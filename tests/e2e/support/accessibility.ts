import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

/** The WCAG 2.2 AA rule sets UK public-sector bodies are held to. */
export const WCAG_22_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

export interface AxeFinding {
  rule: string;
  impact: string;
  help: string;
  /** CSS paths axe reports for the failing elements, with a snippet of each, to find them in the source. */
  where: string[];
}

/** Runs axe-core on the page as it is now and returns every WCAG 2.2 AA violation, flattened for reading. */
export async function axeViolations(page: Page): Promise<AxeFinding[]> {
  // Legacy mode runs axe inside the page itself: the default opens a blank page in the same
  // context to combine frame results, where the tests' init scripts cannot reach localStorage.
  // Goldthread's pages have no frames, so nothing is lost.
  const results = await new AxeBuilder({ page }).withTags(WCAG_22_AA).setLegacyMode(true).analyze();
  return results.violations.map((violation) => ({
    rule: violation.id,
    impact: violation.impact ?? 'unknown',
    help: violation.help,
    where: violation.nodes.map((node) => `${node.target.join(' ')} — ${node.html.slice(0, 160)}${node.failureSummary ? ` — ${node.failureSummary.replace(/\s+/g, ' ').slice(0, 240)}` : ''}`)
  }));
}

/** Fails with a readable list when axe finds any WCAG 2.2 AA violation on the page. */
export async function expectNoAxeViolations(page: Page, what: string): Promise<void> {
  const findings = await axeViolations(page);
  expect(findings, `axe found WCAG 2.2 AA violations on ${what}:\n${JSON.stringify(findings, null, 2)}`).toEqual([]);
}
