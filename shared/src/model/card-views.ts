import type * as Y from 'yjs';
import { cardsMap, readCard, type CardView } from './cards.js';

const byCreation = (a: CardView, b: CardView) => a.createdAt - b.createdAt || a.id.localeCompare(b.id);

function sameCard(a: CardView, b: CardView): boolean {
  return (
    a.boardId === b.boardId &&
    a.text === b.text &&
    a.authorId === b.authorId &&
    a.authorName === b.authorName &&
    a.color === b.color &&
    a.createdAt === b.createdAt &&
    a.themeId === b.themeId &&
    a.sourceRoomId === b.sourceRoomId &&
    a.proxy === b.proxy
  );
}

/**
 * A room's cards as `CardView`s (oldest first, like `readCards`), kept current from the
 * document's events: a change reads again only the cards it touched, and every other card keeps
 * the very same object. A list keyed by card id then re-renders the one card that changed, not
 * the whole board — what keeps a screen showing a thousand cards quick when one more arrives.
 *
 * Call `note` with the events of `cardsMap(doc).observeDeep`, before `list` is read again.
 */
export class CardViews {
  readonly #doc: Y.Doc;
  readonly #views = new Map<string, CardView>();
  /** Card ids to read again; `all` until the first read. */
  #dirty: Set<string> | 'all' = 'all';
  #list: CardView[] | null = null;

  constructor(doc: Y.Doc) {
    this.#doc = doc;
  }

  /** Marks the cards a transaction touched (added, removed, or changed inside). */
  note(events: readonly Y.YEvent<Y.AbstractType<unknown>>[]): void {
    const dirty = this.#dirty;
    if (dirty !== 'all') {
      for (const event of events) {
        if (event.path.length === 0) for (const key of event.changes.keys.keys()) dirty.add(key);
        else if (typeof event.path[0] === 'string') dirty.add(event.path[0]);
      }
    }
    this.#list = null;
  }

  /** Every well-formed card, oldest first. The array is new after a change; unchanged cards are not. */
  list(): CardView[] {
    if (this.#list) return this.#list;
    const map = cardsMap(this.#doc);
    if (this.#dirty === 'all') {
      const seen = new Set<string>();
      map.forEach((entry, id) => {
        seen.add(id);
        this.#refresh(id, entry);
      });
      for (const id of this.#views.keys()) if (!seen.has(id)) this.#views.delete(id);
    } else {
      for (const id of this.#dirty) this.#refresh(id, map.get(id));
    }
    this.#dirty = new Set();
    this.#list = [...this.#views.values()].sort(byCreation);
    return this.#list;
  }

  #refresh(id: string, entry: unknown): void {
    const fresh = entry === undefined ? null : readCard(id, entry);
    if (!fresh) {
      this.#views.delete(id);
      return;
    }
    const known = this.#views.get(id);
    if (!known || !sameCard(known, fresh)) this.#views.set(id, fresh);
  }
}
