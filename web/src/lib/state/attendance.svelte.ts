import type { AttendanceResponse } from '@goldthread/shared';
import { getAttendance } from '$lib/facilitator-api';
import type { ControlChannel } from './control.svelte';

/** How often the counts are asked for again when nobody comes or goes. */
const REFRESH_MS = 60_000;

/**
 * Who has taken part, counted by room and by sector (never by name). The server counts
 * everyone who joined, including people without a device; the console asks again when the
 * live head-counts change, after adding someone, and every minute.
 */
export class AttendanceCounts {
  counts = $state.raw<AttendanceResponse | null>(null);
  error = $state<string | null>(null);

  readonly #workshopId: string;
  readonly #token: string;
  #stop: (() => void) | null = null;
  #inFlight: Promise<void> | null = null;
  #again = false;

  constructor(workshopId: string, token: string) {
    this.#workshopId = workshopId;
    this.#token = token;
  }

  /** Starts following the control channel's head-counts and the minute clock. */
  start(control: ControlChannel): void {
    const timer = setInterval(() => void this.refresh(), REFRESH_MS);
    const stopEffects = $effect.root(() => {
      $effect(() => {
        // Each rooms:counts message (someone arrived or left) is a reason to count again.
        void control.roomCounts;
        void this.refresh();
      });
    });
    this.#stop = () => {
      clearInterval(timer);
      stopEffects();
    };
  }

  /** Asks the server again; overlapping asks are folded into one more after the current one. */
  refresh(): Promise<void> {
    if (this.#inFlight) {
      this.#again = true;
      return this.#inFlight;
    }
    this.#inFlight = (async () => {
      do {
        this.#again = false;
        const answer = await getAttendance(this.#workshopId, this.#token);
        if (answer.ok) {
          this.counts = answer.data;
          this.error = null;
        } else {
          this.error = answer.error.message;
        }
      } while (this.#again);
    })().finally(() => (this.#inFlight = null));
    return this.#inFlight;
  }

  destroy(): void {
    this.#stop?.();
    this.#stop = null;
  }
}
