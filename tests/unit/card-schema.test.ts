import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { PRESENCE_COLOURS, addCard, cardAuthorFields, cardEntryProblem, cardsMap, isOwnPresence } from '@goldthread/shared';

const docWithCard = () => {
  const doc = new Y.Doc();
  const id = addCard(doc, { boardId: 'b1', text: 'Shared housing data', authorId: 'p1', authorName: 'Ada' });
  return { doc, entry: cardsMap(doc).get(id)! };
};

describe('the card schema', () => {
  it('accepts a card as addCard writes it', () => {
    expect(cardEntryProblem(docWithCard().entry)).toBeNull();
  });

  it.each([
    ['an extra field', (entry: Y.Map<unknown>) => entry.set('extra', 'x')],
    ['an embed in the text', (entry: Y.Map<unknown>) => (entry.get('text') as Y.Text).insertEmbed(0, { image: 'x' })],
    ['formatted text', (entry: Y.Map<unknown>) => (entry.get('text') as Y.Text).format(0, 3, { bold: true })],
    ['text as a plain string', (entry: Y.Map<unknown>) => entry.set('text', 'not editable')],
    ['a fractional createdAt', (entry: Y.Map<unknown>) => entry.set('createdAt', 1.5)],
    ['a missing author', (entry: Y.Map<unknown>) => entry.delete('authorId')],
    ['proxy other than true', (entry: Y.Map<unknown>) => entry.set('proxy', false)],
    ['a colour outside the palette', (entry: Y.Map<unknown>) => entry.set('color', 'teal')]
  ])('names what is wrong with %s', (_what, spoil) => {
    const { doc, entry } = docWithCard();
    doc.transact(() => spoil(entry));
    expect(cardEntryProblem(entry)).toEqual(expect.any(String));
  });

  it('says text over the limit is too long', () => {
    const { entry } = docWithCard();
    (entry.get('text') as Y.Text).insert(0, 'x'.repeat(1001));
    expect(cardEntryProblem(entry)).toMatch(/at most 1000/);
  });
});

describe('who a card and a presence say they are', () => {
  it('a participant writes under their id and joined name; the facilitator as Facilitator', () => {
    expect(cardAuthorFields({ role: 'participant', participantId: 'p1', name: ' Ada ' })).toEqual({ authorId: 'p1', authorName: 'Ada' });
    expect(cardAuthorFields({ role: 'participant', participantId: 'p1', name: '' })).toEqual({ authorId: 'p1', authorName: 'Anonymous' });
    expect(cardAuthorFields({ role: 'facilitator', participantId: null })).toEqual({ authorId: 'facilitator', authorName: 'Facilitator' });
  });

  it('presence is accepted only as the connection’s own identity, in a palette colour', () => {
    const ada = { role: 'participant' as const, participantId: 'p1', name: 'Ada' };
    const user = { id: 'p1', name: 'Ada', role: 'participant', color: PRESENCE_COLOURS[0] };
    expect(isOwnPresence({ user }, ada)).toBe(true);
    expect(isOwnPresence({ user, cursor: 3 }, ada)).toBe(true);
    expect(isOwnPresence({}, ada)).toBe(true);
    expect(isOwnPresence({ user: { ...user, name: 'Ben' } }, ada)).toBe(false);
    expect(isOwnPresence({ user: { ...user, id: 'p2' } }, ada)).toBe(false);
    expect(isOwnPresence({ user: { ...user, role: 'facilitator' } }, ada)).toBe(false);
    expect(isOwnPresence({ user: { ...user, color: 'url(//x)' } }, ada)).toBe(false);
    expect(isOwnPresence({ user: { id: 'facilitator-ab12', name: 'Facilitator', role: 'facilitator', color: PRESENCE_COLOURS[2] } }, { role: 'facilitator', participantId: null })).toBe(true);
    expect(isOwnPresence({ user }, { role: 'projector', participantId: null })).toBe(false);
  });
});
