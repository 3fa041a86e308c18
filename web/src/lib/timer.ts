import type { TimerState } from '@goldthread/shared';

/** What a screen shows of the shared timer. */
export type TimerDisplayState = 'hidden' | 'running' | 'paused' | 'ended';

/**
 * Running, paused part-way, or ended (the server sets `remainingMs` to 0 when it runs out);
 * a timer that was set but never started is not shown to participants.
 */
export function timerDisplayState(timer: TimerState | undefined, remainingMs: number): TimerDisplayState {
  if (!timer) return 'hidden';
  if (timer.running) return remainingMs > 0 ? 'running' : 'ended';
  if (timer.remainingMs <= 0 && timer.endedCount > 0) return 'ended';
  if (timer.remainingMs > 0 && timer.remainingMs < timer.durationMs) return 'paused';
  return 'hidden';
}
