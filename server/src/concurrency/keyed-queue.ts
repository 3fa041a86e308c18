/** Runs tasks one at a time per key (tasks of different keys run side by side). */
export class KeyedQueue {
  readonly #tails = new Map<string, Promise<unknown>>();

  /** Runs `task` after every earlier task of the same key has settled. */
  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(task);
    this.#tails.set(key, run);
    void run
      .finally(() => {
        if (this.#tails.get(key) === run) this.#tails.delete(key);
      })
      .catch(() => undefined);
    return run;
  }

  /** Resolves once every task queued so far has settled. */
  async idle(): Promise<void> {
    await Promise.all([...this.#tails.values()].map((tail) => tail.catch(() => undefined)));
  }
}
