import { describe, expect, it } from 'vitest';
import { Packer } from 'docx';
import { strFromU8, unzipSync } from 'fflate';
import { buildNotes, type NotesDocument } from '@goldthread/shared';
import { buildDocx } from '@goldthread/shared/notes-docx';
import { allCardTexts, makeWorkshopFixture, squash } from './support/notes-fixture.js';

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** The .docx package's parts, after packing the Document as the server would. */
async function pack(doc: NotesDocument): Promise<Record<string, string>> {
  const files = unzipSync(new Uint8Array(await Packer.toBuffer(buildDocx(doc))));
  return Object.fromEntries(Object.entries(files).map(([name, bytes]) => [name, strFromU8(bytes)]));
}

/** The visible text of word/document.xml: runs' text, with breaks and paragraph ends as spaces. */
function visibleText(xml: string): string {
  const text = xml
    .replace(/<w:br\/>|<w:tab\/>|<\/w:p>/g, ' ')
    .replace(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>|<[^>]+>/g, (_, t: string | undefined) => t ?? '')
    .replace(/&(amp|lt|gt|quot|apos);/g, (_, name: string) => ENTITIES[name]);
  return squash(text);
}

describe('buildDocx', () => {
  const input = makeWorkshopFixture();

  it("packs into a Word document whose body holds every card's text", async () => {
    const parts = await pack(buildNotes([input], { kind: 'workshop' }));
    expect(Object.keys(parts)).toEqual(
      expect.arrayContaining(['[Content_Types].xml', 'word/document.xml', 'docProps/core.xml'])
    );
    const text = visibleText(parts['word/document.xml']);
    for (const card of allCardTexts(input)) expect(text).toContain(squash(card));
  });

  it('writes well-formed text: markup escaped, no control characters Word refuses', async () => {
    const parts = await pack(buildNotes([input], { kind: 'workshop' }));
    const xml = parts['word/document.xml'];
    expect(xml).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(xml).not.toContain('<script>');
    expect(xml).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/);
    expect(parts['docProps/core.xml']).toContain('<dc:title>Partnership Workshop</dc:title>');
  });

  it('uses real headings and starts the appendix on a new page', async () => {
    const xml = (await pack(buildNotes([input], { kind: 'workshop' })))['word/document.xml'];
    expect(xml).toContain('w:val="Title"');
    expect(xml).toContain('w:val="Heading1"');
    expect(xml).toMatch(/<w:pageBreakBefore\/>[\s\S]*Appendix: room by room/);
    expect(xml).toContain('w:tblHeader');
  });

  it('packs notes with no themes, votes or actions, and room notes without an appendix', async () => {
    const plain = makeWorkshopFixture({ plain: true });
    const xml = (await pack(buildNotes([plain], { kind: 'room', roomId: 'r-north' })))['word/document.xml'];
    const text = visibleText(xml);
    for (const card of plain.rooms[0].cards) expect(text).toContain(squash(card.text));
    expect(text).not.toContain('Appendix');
    expect(text).not.toContain('Staff turnover');
  });
});
