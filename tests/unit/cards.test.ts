import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  DEFAULT_CARD_COLOR,
  LIMITS,
  addCard,
  cardsMap,
  deleteCard,
  readBoardCards,
  readCard,
  readCards,
  setCardColor,
  setCardText,
  type NewCard
} from '@goldthread/shared';

const card = (overrides: Partial<NewCard> = {}): NewCard => ({
  boardId: 'board1',
  text: 'Shared housing data',
  authorId: 'p1',
  authorName: 'Ada',
  ...overrides
});

/** Sends each document's changes to the other, as two synced clients would. */
function merge(a: Y.Doc, b: Y.Doc): void {
  const fromA = Y.encodeStateAsUpdate(a, Y.encodeStateVector(b));
  const fromB = Y.encodeStateAsUpdate(b, Y.encodeStateVector(a));
  Y.applyUpdate(b, fromA);
  Y.applyUpdate(a, fromB);
}

/** Two documents that start from the same state with one card in it. */
function twoReplicas(text: string) {
  const a = new Y.Doc();
  const id = addCard(a, card({ text }));
  const b = new Y.Doc();
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
  return { a, b, id };
}

const textOf = (doc: Y.Doc, id: string) => readCard(id, cardsMap(doc).get(id))?.text;

describe('addCard', () => {
  it('adds a well-formed card that readCards returns as plain data', () => {
    const doc = new Y.Doc();
    const id = addCard(doc, card({ color: 'blue' }));
    expect(readCards(doc)).toEqual([
      { id, boardId: 'board1', text: 'Shared housing data', authorId: 'p1', authorName: 'Ada', color: 'blue', createdAt: expect.any(Number) }
    ]);
    expect(cardsMap(doc).get(id)!.get('text')).toBeInstanceOf(Y.Text);
  });

  it('uses the id it is given', () => {
    const doc = new Y.Doc();
    expect(addCard(doc, card(), 'my-card')).toBe('my-card');
    expect(readCards(doc).map((c) => c.id)).toEqual(['my-card']);
  });

  it('writes the whole card in one transaction, so a peer never sees half a card', () => {
    const doc = new Y.Doc();
    let updates = 0;
    doc.on('update', () => updates++);
    addCard(doc, card());
    expect(updates).toBe(1);
  });

  it('names a card with a blank author "Anonymous"', () => {
    const doc = new Y.Doc();
    const id = addCard(doc, card({ authorName: '   ' }));
    expect(readCard(id, cardsMap(doc).get(id))!.authorName).toBe('Anonymous');
  });

  it('falls back to the default colour for an unknown or missing colour, and keeps a known one', () => {
    const doc = new Y.Doc();
    const unknown = addCard(doc, card({ color: 'magenta' }));
    const missing = addCard(doc, card());
    const known = addCard(doc, card({ color: 'purple' }));
    const colours = Object.fromEntries(readCards(doc).map((c) => [c.id, c.color]));
    expect(colours).toEqual({ [unknown]: DEFAULT_CARD_COLOR, [missing]: DEFAULT_CARD_COLOR, [known]: 'purple' });
  });

  it(`cuts text to ${LIMITS.cardText} characters`, () => {
    const doc = new Y.Doc();
    const long = `${'a'.repeat(LIMITS.cardText)}TAIL`;
    const id = addCard(doc, card({ text: long }));
    expect(textOf(doc, id)).toBe('a'.repeat(LIMITS.cardText));
  });
});

describe('setCardText', () => {
  it('replaces the text and reports success; reports failure for an unknown card', () => {
    const doc = new Y.Doc();
    const id = addCard(doc, card({ text: 'Old words' }));
    expect(setCardText(doc, id, 'New words')).toBe(true);
    expect(textOf(doc, id)).toBe('New words');
    expect(setCardText(doc, 'nosuchcard', 'x')).toBe(false);
  });

  it('changes nothing, and sends no update, when the text is already the same', () => {
    const doc = new Y.Doc();
    const id = addCard(doc, card({ text: 'Same' }));
    let updates = 0;
    doc.on('update', () => updates++);
    expect(setCardText(doc, id, 'Same')).toBe(true);
    expect(updates).toBe(0);
  });

  it('keeps a concurrent edit at the start of the text when another person edits the end', () => {
    const { a, b, id } = twoReplicas('housing data');
    setCardText(a, id, 'housing data for everyone');
    setCardText(b, id, 'shared housing data');
    merge(a, b);
    expect(textOf(a, id)).toBe('shared housing data for everyone');
    expect(textOf(b, id)).toBe('shared housing data for everyone');
  });

  it('keeps a concurrent edit elsewhere when another person changes a word in the middle', () => {
    const { a, b, id } = twoReplicas('Fix the bus timetable now');
    setCardText(a, id, 'Fix the train timetable now');
    setCardText(b, id, 'Fix the bus timetable now please');
    merge(a, b);
    expect(textOf(a, id)).toBe('Fix the train timetable now please');
    expect(textOf(b, id)).toBe(textOf(a, id));
  });

  it('handles a change where the old and new text share a repeated letter at the edit', () => {
    const doc = new Y.Doc();
    const id = addCard(doc, card({ text: 'aaa' }));
    for (const next of ['aaaa', 'aa', 'baab', '', 'ab😀c', 'a😀c']) {
      setCardText(doc, id, next);
      expect(textOf(doc, id)).toBe(next);
    }
  });

  it('replacing one emoji with another keeps both texts intact, here and at a peer', () => {
    // 😀 and 😃 share their first UTF-16 code unit; a diff that splits the pair corrupts the text.
    for (const [before, after] of [['Great 😀', 'Great 😃'], ['😀 first', '😃 first'], ['Team 👍🏽', 'Team 👍🏿']] as const) {
      const doc = new Y.Doc();
      const id = addCard(doc, card({ text: before }));
      setCardText(doc, id, after);
      const peer = new Y.Doc();
      Y.applyUpdate(peer, Y.encodeStateAsUpdate(doc));
      expect(textOf(doc, id), `${before} → ${after} here`).toBe(after);
      expect(textOf(peer, id), `${before} → ${after} at a peer`).toBe(after);
    }
  });

  it(`cuts text to ${LIMITS.cardText} characters`, () => {
    const doc = new Y.Doc();
    const id = addCard(doc, card({ text: 'short' }));
    setCardText(doc, id, 'b'.repeat(LIMITS.cardText + 200));
    expect(textOf(doc, id)).toBe('b'.repeat(LIMITS.cardText));
  });
});

describe('setCardColor and deleteCard', () => {
  it('changes to a known colour and refuses an unknown one', () => {
    const doc = new Y.Doc();
    const id = addCard(doc, card({ color: 'green' }));
    expect(setCardColor(doc, id, 'not-a-colour')).toBe(false);
    expect(readCards(doc)[0]!.color).toBe('green');
    expect(setCardColor(doc, id, 'orange')).toBe(true);
    expect(readCards(doc)[0]!.color).toBe('orange');
    expect(setCardColor(doc, 'nosuchcard', 'orange')).toBe(false);
  });

  it('deletes a card once', () => {
    const doc = new Y.Doc();
    const id = addCard(doc, card());
    expect(deleteCard(doc, id)).toBe(true);
    expect(deleteCard(doc, id)).toBe(false);
    expect(readCards(doc)).toEqual([]);
  });
});

describe('readCards', () => {
  it('skips entries that are not well-formed cards', () => {
    const doc = new Y.Doc();
    const good = addCard(doc, card({ text: 'Good' }));
    const map = cardsMap(doc) as unknown as Y.Map<unknown>;
    doc.transact(() => {
      map.set('a-string', 'just text');
      map.set('a-number', 42);
      map.set('null', null);
      map.set('an-array', new Y.Array());
      map.set('no-board', new Y.Map([['text', new Y.Text('orphan')]]));
      map.set('numeric-board', new Y.Map<unknown>([['boardId', 7], ['text', 'x']]));
    });
    expect(readCards(doc).map((c) => c.id)).toEqual([good]);
  });

  it('fills in what a card written by an older or foreign client lacks', () => {
    const doc = new Y.Doc();
    const map = cardsMap(doc) as unknown as Y.Map<unknown>;
    map.set('bare', new Y.Map<unknown>([['boardId', 'board1']]));
    map.set('plain-text', new Y.Map<unknown>([['boardId', 'board1'], ['text', 'plain string'], ['authorName', ''], ['color', 'chartreuse'], ['createdAt', 5]]));
    const byId = Object.fromEntries(readCards(doc).map((c) => [c.id, c]));
    expect(byId.bare).toEqual({ id: 'bare', boardId: 'board1', text: '', authorId: '', authorName: 'Anonymous', color: DEFAULT_CARD_COLOR, createdAt: 0 });
    expect(byId['plain-text']).toMatchObject({ text: 'plain string', authorName: 'Anonymous', color: DEFAULT_CARD_COLOR, createdAt: 5 });
  });

  it('lists cards oldest first, and by id when created at the same moment', () => {
    const doc = new Y.Doc();
    const map = cardsMap(doc) as unknown as Y.Map<unknown>;
    const at = (createdAt: number) => new Y.Map<unknown>([['boardId', 'b'], ['createdAt', createdAt]]);
    map.set('z-late', at(300));
    map.set('b-early', at(100));
    map.set('a-early', at(100));
    map.set('m-middle', at(200));
    expect(readCards(doc).map((c) => c.id)).toEqual(['a-early', 'b-early', 'm-middle', 'z-late']);
  });

  it('readBoardCards returns only the cards of one board', () => {
    const doc = new Y.Doc();
    addCard(doc, card({ boardId: 'vision', text: 'V' }));
    addCard(doc, card({ boardId: 'barriers', text: 'B' }));
    expect(readBoardCards(doc, 'vision').map((c) => c.text)).toEqual(['V']);
    expect(readBoardCards(doc, 'nothing')).toEqual([]);
  });
});
