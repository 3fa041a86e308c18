/**
 * What a screen reader hears from a page's one polite live region. Messages are queued and
 * each stays up for a moment, so news arriving together (a phase change and the timer's end)
 * is read in turn instead of the later one silently replacing the earlier.
 */
export class Announcer {
  /** The text of the live region now. */
  text = $state('');

  readonly #queue: string[] = [];
  readonly #holdMs: number;
  #timer: ReturnType<typeof setTimeout> | null = null;
  /** Alternates a trailing space, so the same words said twice are still a change to announce. */
  #flip = false;

  /** `holdMs`: the least time one message stays before the next replaces it. */
  constructor(holdMs = 1500) {
    this.#holdMs = holdMs;
  }

  say(message: string): void {
    if (!message) return;
    this.#queue.push(message);
    if (this.#timer === null) this.#next();
  }

  destroy(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    this.#queue.length = 0;
  }

  #next(): void {
    const message = this.#queue.shift();
    if (message === undefined) {
      this.#timer = null;
      return;
    }
    this.#flip = !this.#flip;
    this.text = this.#flip ? message : `${message}\u00a0`;
    this.#timer = setTimeout(() => this.#next(), this.#holdMs);
  }
}

/**
 * Collects cards other people add and says them as one short sentence per board after a
 * quiet moment, so a busy room is not read out card by card.
 */
export class NewCardNews {
  readonly #waiting = new Map<string, { count: number; authors: Set<string> }>();
  readonly #delayMs: number;
  readonly #describe: (boardId: string, count: number, authors: string[]) => string;
  readonly #say: (message: string) => void;
  #timer: ReturnType<typeof setTimeout> | null = null;

  constructor(options: {
    say: (message: string) => void;
    describe: (boardId: string, count: number, authors: string[]) => string;
    delayMs?: number;
  }) {
    this.#say = options.say;
    this.#describe = options.describe;
    this.#delayMs = options.delayMs ?? 4000;
  }

  add(boardId: string, authorName: string): void {
    const entry = this.#waiting.get(boardId) ?? { count: 0, authors: new Set<string>() };
    entry.count += 1;
    if (authorName) entry.authors.add(authorName);
    this.#waiting.set(boardId, entry);
    // The first card starts the wait; more cards in the meantime join the same sentence.
    this.#timer ??= setTimeout(() => this.#flush(), this.#delayMs);
  }

  destroy(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    this.#waiting.clear();
  }

  #flush(): void {
    this.#timer = null;
    const parts = [...this.#waiting].map(([boardId, { count, authors }]) => this.#describe(boardId, count, [...authors]));
    this.#waiting.clear();
    if (parts.length > 0) this.#say(parts.join(' '));
  }
}

/** "1 new card on Priorities, from Sam." / "4 new cards on Vision, from Sam, Jo and 2 others." */
export function describeNewCards(boardTitle: string, count: number, authors: string[]): string {
  const what = `${count} new ${count === 1 ? 'card' : 'cards'} on ${boardTitle}`;
  if (authors.length === 0) return `${what}.`;
  if (authors.length <= 2) return `${what}, from ${authors.join(' and ')}.`;
  const others = authors.length - 2;
  return `${what}, from ${authors[0]}, ${authors[1]} and ${others} ${others === 1 ? 'other' : 'others'}.`;
}
