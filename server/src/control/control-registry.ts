import { initialControl, WorkshopControl } from './workshop-control.js';
import type { WorkshopStore } from '../store/types.js';
import type { Logger } from '../logger.js';
import { KeyedQueue } from '../concurrency/keyed-queue.js';
import { storageError } from '../store/storage-error.js';

export interface ControlRegistryOptions {
  store: WorkshopStore;
  logger: Logger;
  /** Called after every change is saved, e.g. to publish it and apply locks to rooms. */
  onChange: (workshopId: string, control: WorkshopControl) => void;
}

/**
 * Loads each workshop's control state once, runs commands on it one at a time, saves after
 * each change (control changes are rare and must survive a crash), and ends timers on time.
 */
export class ControlRegistry {
  readonly #controls = new Map<string, Promise<WorkshopControl>>();
  readonly #timers = new Map<string, NodeJS.Timeout>();
  readonly #queue = new KeyedQueue();
  readonly #options: ControlRegistryOptions;

  constructor(options: ControlRegistryOptions) {
    this.#options = options;
  }

  /** The workshop's control state, loaded on first use. */
  get(workshopId: string): Promise<WorkshopControl> {
    let control = this.#controls.get(workshopId);
    if (!control) {
      control = this.#load(workshopId);
      this.#controls.set(workshopId, control);
      control.catch(() => this.#controls.delete(workshopId));
    }
    return control;
  }

  /**
   * Runs a command: it either throws (nothing changed) or changes the state, which is then
   * saved before the command's result is returned and published. When the save fails, the
   * change is dropped and this rejects with a StorageError (`unavailable`).
   */
  run<T>(workshopId: string, command: (control: WorkshopControl) => T): Promise<T> {
    return this.#queue.run(workshopId, async () => {
      const control = await this.get(workshopId);
      const before = control.revision;
      const result = command(control);
      if (control.revision !== before) {
        try {
          await this.#options.store.saveControl(workshopId, control.toStored());
        } catch (error) {
          // Not kept as if saved: the next command starts again from what is on disk.
          this.#controls.delete(workshopId);
          throw storageError(error);
        }
        this.#scheduleTimer(workshopId, control);
        this.#options.onChange(workshopId, control);
      }
      return result;
    });
  }

  close(): void {
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
  }

  async #load(workshopId: string): Promise<WorkshopControl> {
    const workshop = this.#options.store.get(workshopId);
    if (!workshop) throw new Error(`no workshop ${workshopId}`);
    const stored = (await this.#options.store.loadControl(workshopId)) ?? initialControl(workshopId, workshop.boards.map((b) => b.id));
    const control = new WorkshopControl(stored);
    this.#scheduleTimer(workshopId, control);
    return control;
  }

  /** Ends a running timer when it reaches zero (also after a restart mid-countdown). */
  #scheduleTimer(workshopId: string, control: WorkshopControl) {
    const existing = this.#timers.get(workshopId);
    if (existing) clearTimeout(existing);
    this.#timers.delete(workshopId);
    const endsAt = control.timerEndsAt();
    if (endsAt === null) return;
    const timer = setTimeout(() => {
      this.#timers.delete(workshopId);
      this.run(workshopId, (c) => c.settleTimer()).catch((error) =>
        this.#options.logger.error(`ending the timer of workshop ${workshopId} failed`, error)
      );
    }, Math.max(0, endsAt - Date.now()));
    this.#timers.set(workshopId, timer);
  }
}
