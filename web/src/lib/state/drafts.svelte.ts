/**
 * What a person has typed but not yet added or saved: the "Card text" box of each board, and
 * each card being edited. It lives outside the components, so a board swapped out by "bring
 * everyone here", a phase change or a reload of the tab never loses a half-written card.
 */
interface Saved {
  add: Record<string, string>;
  edit: Record<string, string>;
}

export class Drafts {
  /** boardId -> text in its "Card text" box. */
  #add = $state<Record<string, string>>({});
  /** cardId -> text in its open editor (present while the editor is open). */
  #edit = $state<Record<string, string>>({});
  readonly #storageKey: string | null;

  /** `storageKey` keeps drafts across reloads of this tab (sessionStorage); null keeps them in memory only. */
  constructor(storageKey: string | null = null) {
    this.#storageKey = storageKey;
    const saved = this.#load();
    if (saved) {
      this.#add = saved.add;
      this.#edit = saved.edit;
    }
  }

  /** The unsent text of a board's "Card text" box. */
  addText(boardId: string): string {
    return this.#add[boardId] ?? '';
  }

  setAddText(boardId: string, text: string): void {
    if (text) this.#add[boardId] = text;
    else delete this.#add[boardId];
    this.#save();
  }

  /** Whether a board's box holds unsent text. */
  hasAddText(boardId: string): boolean {
    return (this.#add[boardId] ?? '').trim().length > 0;
  }

  isEditing(cardId: string): boolean {
    return cardId in this.#edit;
  }

  /** Whether any card is being edited. */
  get editingAny(): boolean {
    return Object.keys(this.#edit).length > 0;
  }

  editText(cardId: string): string {
    return this.#edit[cardId] ?? '';
  }

  /** Opens (or updates) a card's editor with this text. */
  setEditText(cardId: string, text: string): void {
    this.#edit[cardId] = text;
    this.#save();
  }

  stopEditing(cardId: string): void {
    delete this.#edit[cardId];
    this.#save();
  }

  /** Drops every draft, here and in storage (leaving the workshop, or the workshop ended). */
  clear(): void {
    this.#add = {};
    this.#edit = {};
    if (!this.#storageKey || typeof sessionStorage === 'undefined') return;
    try {
      sessionStorage.removeItem(this.#storageKey);
    } catch {
      // Storage blocked: nothing was kept there.
    }
  }

  #load(): Saved | null {
    if (!this.#storageKey || typeof sessionStorage === 'undefined') return null;
    try {
      const parsed: unknown = JSON.parse(sessionStorage.getItem(this.#storageKey) ?? 'null');
      if (!parsed || typeof parsed !== 'object') return null;
      const strings = (value: unknown): Record<string, string> =>
        value && typeof value === 'object'
          ? Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string'))
          : {};
      return { add: strings((parsed as Saved).add), edit: strings((parsed as Saved).edit) };
    } catch {
      return null;
    }
  }

  #save(): void {
    if (!this.#storageKey || typeof sessionStorage === 'undefined') return;
    try {
      sessionStorage.setItem(this.#storageKey, JSON.stringify({ add: this.#add, edit: this.#edit }));
    } catch {
      // Storage full or blocked: the draft still lives in memory for this page.
    }
  }
}
