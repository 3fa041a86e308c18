import { isWebUrl, type WorkshopDetails, type WorkshopLink } from '@goldthread/shared';

/** Today's date in this browser, `YYYY-MM-DD`: where the workshop is being set up. */
export function todayIso(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** One name a line, blanks dropped. */
export function linesOf(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);
}

export type LinksResult = { ok: true; links: WorkshopLink[] } | { ok: false; message: string };

/**
 * Reads the "Material shared" box: one link a line, a title then its address
 * ("Housing slides https://example.org/slides.pdf"); an address alone is its own title.
 */
export function parseLinks(text: string): LinksResult {
  const links: WorkshopLink[] = [];
  for (const line of linesOf(text)) {
    const at = line.search(/\S+$/);
    const url = line.slice(at);
    const title = line.slice(0, at).trim().replace(/[-–—:|]\s*$/, '').trim() || url;
    if (!isWebUrl(url)) return { ok: false, message: `Each line needs a web address starting with https:// or http:// at its end: “${line.slice(0, 40)}”.` };
    links.push({ title, url });
  }
  return { ok: true, links };
}

/** The details as the forms show them: lists one item a line, links "title address". */
export function detailsText(details: WorkshopDetails) {
  return {
    date: details.date,
    startTime: details.startTime ?? '',
    endTime: details.endTime ?? '',
    venue: details.venue ?? '',
    facilitators: (details.facilitators ?? []).join('\n'),
    purpose: details.purpose ?? '',
    partners: (details.partners ?? []).join('\n'),
    links: (details.links ?? []).map((link) => (link.title === link.url ? link.url : `${link.title} ${link.url}`)).join('\n')
  };
}
