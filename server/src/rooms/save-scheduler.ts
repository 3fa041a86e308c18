/**
 * Debounced saving: a save runs after `quietMs` without changes, and at the latest `maxMs`
 * after the first unsaved change, so a busy room is still saved regularly.
 */
export class SaveScheduler {
  readonly #save: () => Promise<void>;
  readonly #quietMs: number;
  readonly #maxMs: number;
  readonly #onError: (error: unknown) => void;
  #quietTimer: NodeJS.Timeout | null = null;
  #maxTimer: NodeJS.Timeout | null = null;
  #running: Promise<void> = Promise.resolve();
  #dirty = false;

  constructor(save: () => Promise<void>, options: { quietMs: number; maxMs: number; onError: (error: unknown) => void }) {
    this.#save = save;
    this.#quietMs = options.quietMs;
    this.#maxMs = options.maxMs;
    this.#onError = options.onError;
  }

  /** True while a change has not been saved yet. */
  get dirty(): boolean {
    return this.#dirty;
  }

  /** Records a change and (re)arms the timers. */
  changed(): void {
    this.#dirty = true;
    if (this.#quietTimer) clearTimeout(this.#quietTimer);
    this.#quietTimer = setTimeout(() => this.flush().catch(this.#onError), this.#quietMs);
    this.#maxTimer ??= setTimeout(() => this.flush().catch(this.#onError), this.#maxMs);
  }

  /** Saves now if anything is unsaved; saves run one at a time. A failed save stays dirty and is retried after `maxMs`. */
  flush(): Promise<void> {
    this.#clearTimers();
    const run = this.#running.catch(() => undefined).then(async () => {
      if (!this.#dirty) return;
      this.#dirty = false;
      try {
        await this.#save();
      } catch (error) {
        // Tried again later even if nothing else changes, so saving resumes once the disk has room.
        this.#dirty = true;
        this.#maxTimer ??= setTimeout(() => this.flush().catch(this.#onError), this.#maxMs).unref();
        throw error;
      }
    });
    this.#running = run;
    return run;
  }

  /** Stops the timers without saving. */
  cancel(): void {
    this.#clearTimers();
  }

  #clearTimers() {
    if (this.#quietTimer) clearTimeout(this.#quietTimer);
    if (this.#maxTimer) clearTimeout(this.#maxTimer);
    this.#quietTimer = null;
    this.#maxTimer = null;
  }
}
