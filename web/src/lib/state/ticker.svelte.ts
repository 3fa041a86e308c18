import { createSubscriber } from 'svelte/reactivity';

/**
 * The local time, re-read by whatever displays it several times a second — but only while
 * something is displaying it, so a page with no countdown on it does no work.
 */
export class Ticker {
  readonly #subscribe;

  constructor(intervalMs = 200) {
    this.#subscribe = createSubscriber((update) => {
      const id = setInterval(update, intervalMs);
      return () => clearInterval(id);
    });
  }

  get now(): number {
    this.#subscribe();
    return Date.now();
  }
}
