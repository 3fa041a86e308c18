import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  CardViews,
  addCard,
  addTheme,
  cardsMap,
  deleteCard,
  moveCardToTheme,
  putCard,
  readCards,
  setCardColor,
  setCardText,
  type CardView,
  type NewCard
} from '@goldthread/shared';

const card = (text: string): NewCard => ({ boardId: 'board1', text, authorId: 'p1', authorName: 'Ada' });

/** Writes a card with a given id and creation time, so the order is known. */
function putAt(doc: Y.Doc, id: string, text: string, createdAt: number): string {
  const view: CardView = { id, boardId: 'board1', text, authorId: 'p1', authorName: 'Ada', color: 'yellow', createdAt };
  putCard(doc, view);
  return id;
}

/** A document whose `CardViews` is told about every change, as the web client's room does. */
function watched(doc = new Y.Doc()) {
  const views = new CardViews(doc);
  cardsMap(doc).observeDeep((events) => views.note(events));
  return { doc, views };
}

describe('CardViews', () => {
  it('lists the same cards, in the same order, as readCards after every kind of change', () => {
    const { doc, views } = watched();
    const ids = ['Housing', 'Transport', 'Youth clubs', 'Libraries'].map((text, i) => putAt(doc, `c${i}`, text, 100 - i));
    expect(views.list()).toEqual(readCards(doc));
    setCardText(doc, ids[0]!, 'Housing for young people');
    setCardColor(doc, ids[1]!, 'blue');
    deleteCard(doc, ids[2]!);
    const theme = addTheme(doc, 'board1', 'Places');
    moveCardToTheme(doc, ids[3]!, theme);
    expect(views.list()).toEqual(readCards(doc));
    expect(views.list().map((c) => c.text)).toEqual(['Libraries', 'Transport', 'Housing for young people']);
  });

  it('keeps the very same object for every card a change did not touch, and a new one for the card it did', () => {
    const { doc, views } = watched();
    const ids = Array.from({ length: 50 }, (_, i) => putAt(doc, `c${i}`, `Idea ${i}`, i));
    const before = views.list();
    setCardText(doc, ids[7]!, 'Idea seven, edited');
    const after = views.list();
    expect(after).not.toBe(before);
    expect(after).toHaveLength(50);
    const replaced = after.filter((view, i) => view !== before[i]);
    expect(replaced.map((view) => view.text)).toEqual(['Idea seven, edited']);
  });

  it('keeps every object when a card arrives, and adds the newcomer in its place', () => {
    const { doc, views } = watched();
    for (let i = 0; i < 10; i++) putAt(doc, `c${i}`, `Idea ${i}`, i * 10);
    const before = views.list();
    putAt(doc, 'between', 'In between', 45);
    const after = views.list();
    expect(after.map((view) => view.text).slice(4, 7)).toEqual(['Idea 4', 'In between', 'Idea 5']);
    expect(after.filter((view) => before.includes(view))).toHaveLength(10);
  });

  it('follows changes that arrive from another replica, including cards removed there', () => {
    const { doc, views } = watched();
    const peer = new Y.Doc();
    peer.on('update', (update: Uint8Array) => Y.applyUpdate(doc, update));
    const kept = addCard(peer, card('Kept'));
    const gone = addCard(peer, card('Gone'));
    expect(views.list().map((c) => c.id).sort()).toEqual([kept, gone].sort());
    deleteCard(peer, gone);
    setCardText(peer, kept, 'Kept and edited');
    expect(views.list()).toEqual(readCards(doc));
    expect(views.list().map((c) => c.text)).toEqual(['Kept and edited']);
  });

  it('hands back the same array until something changes', () => {
    const { doc, views } = watched();
    addCard(doc, card('One'));
    expect(views.list()).toBe(views.list());
    addCard(doc, card('Two'));
    expect(views.list()).toHaveLength(2);
  });
});
