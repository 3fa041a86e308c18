/** Runs a task for a key at most once per interval, coalescing the calls in between. */
export class Throttle {
  readonly #intervalMs: number;
  readonly #task: (key: string) => Promise<void> | void;
  readonly #onError: (error: unknown) => void;
  readonly #timers = new Map<string, NodeJS.Timeout>();

  constructor(intervalMs: number, task: (key: string) => Promise<void> | void, onError: (error: unknown) => void) {
    this.#intervalMs = intervalMs;
    this.#task = task;
    this.#onError = onError;
  }

  /** Runs the task for `key` at the end of the current interval (once, however often this is called). */
  schedule(key: string): void {
    if (this.#timers.has(key)) return;
    this.#timers.set(
      key,
      setTimeout(() => {
        this.#timers.delete(key);
        Promise.resolve()
          .then(() => this.#task(key))
          .catch(this.#onError);
      }, this.#intervalMs)
    );
  }

  cancel(): void {
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
  }
}
