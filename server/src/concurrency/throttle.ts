/** Runs a task for a key at most once per interval, coalescing the calls in between. */
export class Throttle {
  readonly #intervalMs: number;
  readonly #task: (key: string) => Promise<void> | void;
  readonly #onError: (error: unknown) => void;
  readonly #timers = new Map<string, NodeJS.Timeout>();
  #cancelled = false;

  constructor(intervalMs: number, task: (key: string) => Promise<void> | void, onError: (error: unknown) => void) {
    this.#intervalMs = intervalMs;
    this.#task = task;
    this.#onError = onError;
  }

  /** Runs the task for `key` at the end of the current interval (once, however often this is called). */
  schedule(key: string): void {
    if (this.#cancelled || this.#timers.has(key)) return;
    const timer = setTimeout(() => {
      this.#timers.delete(key);
      Promise.resolve()
        .then(() => this.#task(key))
        .catch(this.#onError);
    }, this.#intervalMs);
    timer.unref();
    this.#timers.set(key, timer);
  }

  /** Drops what is waiting; nothing runs afterwards (the server is closing). */
  cancel(): void {
    this.#cancelled = true;
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
  }
}
