import { isPastRetention } from '@goldthread/shared';
import type { WorkshopService } from '../workshops/workshop-service.js';
import type { WorkshopStore } from '../store/types.js';
import type { WorkshopDeletion } from './workshop-deletion.js';
import type { Logger } from '../logger.js';

export interface RetentionSweepOptions {
  store: WorkshopStore;
  workshops: WorkshopService;
  deletion: WorkshopDeletion;
  logger: Logger;
  /** How often expired workshops are looked for (besides at start). */
  intervalMs: number;
  /** The time now, in epoch ms (tests move it on). */
  now: () => number;
}

/**
 * Deletes every workshop whose retention period has ended: at start, then every `intervalMs`.
 * Its timer never keeps the process alive, and stops on `close()`.
 */
export class RetentionSweep {
  readonly #options: RetentionSweepOptions;
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<string[]> | null = null;

  constructor(options: RetentionSweepOptions) {
    this.#options = options;
  }

  start(): Promise<string[]> {
    this.#timer = setInterval(() => void this.sweep().catch(() => undefined), this.#options.intervalMs);
    this.#timer.unref();
    return this.sweep();
  }

  /** Deletes what has expired now; resolves with the ids deleted. One sweep runs at a time. */
  sweep(): Promise<string[]> {
    this.#running ??= this.#sweep().finally(() => {
      this.#running = null;
    });
    return this.#running;
  }

  async close(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.#running?.catch(() => undefined);
  }

  async #sweep(): Promise<string[]> {
    const { store, workshops, deletion, logger, now } = this.#options;
    const deleted: string[] = [];
    for (const id of store.workshopIds()) {
      const workshop = store.get(id);
      if (!workshop || !isPastRetention(workshops.keptUntil(workshop), now())) continue;
      try {
        await deletion.delete(id, 'retention');
        deleted.push(id);
      } catch (error) {
        logger.error(`deleting workshop ${id} at the end of its retention period failed; trying again at the next sweep`, error);
      }
    }
    return deleted;
  }
}
