import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SaveScheduler } from '../../server/src/rooms/save-scheduler.js';

const QUIET_MS = 2000;
const MAX_MS = 10_000;

/** A scheduler whose saves are recorded (at the fake time they started) and can be made to fail. */
function recordingScheduler() {
  const savedAt: number[] = [];
  const errors: unknown[] = [];
  let failNext = 0;
  const save = vi.fn(async () => {
    savedAt.push(Date.now());
    if (failNext > 0) {
      failNext--;
      throw new Error('disk full');
    }
  });
  const scheduler = new SaveScheduler(save, { quietMs: QUIET_MS, maxMs: MAX_MS, onError: (error) => errors.push(error) });
  return {
    scheduler,
    save,
    savedAt,
    errors,
    failNextSaves(count: number) {
      failNext = count;
    }
  };
}

let start: number;

beforeEach(() => {
  vi.useFakeTimers();
  start = Date.now();
});

afterEach(() => {
  vi.useRealTimers();
});

const elapsed = (times: number[]) => times.map((t) => t - start);

describe('SaveScheduler', () => {
  it(`saves once, ${QUIET_MS} ms after a single change`, async () => {
    const { scheduler, savedAt } = recordingScheduler();
    scheduler.changed();
    expect(scheduler.dirty).toBe(true);
    await vi.advanceTimersByTimeAsync(QUIET_MS - 1);
    expect(savedAt).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(elapsed(savedAt)).toEqual([QUIET_MS]);
    expect(scheduler.dirty).toBe(false);
    await vi.advanceTimersByTimeAsync(MAX_MS * 2);
    expect(savedAt).toHaveLength(1);
  });

  it(`waits for ${QUIET_MS} ms of quiet: each change restarts the wait, and a burst is saved once`, async () => {
    const { scheduler, savedAt } = recordingScheduler();
    for (let i = 0; i < 5; i++) {
      scheduler.changed();
      await vi.advanceTimersByTimeAsync(QUIET_MS - 500);
    }
    expect(savedAt).toEqual([]);
    await vi.advanceTimersByTimeAsync(500);
    expect(elapsed(savedAt)).toEqual([4 * (QUIET_MS - 500) + QUIET_MS]);
  });

  it(`saves at least every ${MAX_MS} ms while changes keep coming without a quiet moment`, async () => {
    const { scheduler, savedAt } = recordingScheduler();
    // A change every second for 25 seconds: never 2 s of quiet.
    for (let second = 0; second < 25; second++) {
      scheduler.changed();
      await vi.advanceTimersByTimeAsync(1000);
    }
    // The first save comes 10 s after the first unsaved change; the next 10 s after the first change after it.
    expect(elapsed(savedAt)).toEqual([MAX_MS, 2 * MAX_MS]);
    expect(scheduler.dirty).toBe(true);
    await vi.advanceTimersByTimeAsync(QUIET_MS);
    expect(scheduler.dirty).toBe(false);
    expect(savedAt).toHaveLength(3);
  });

  it('flush saves at once and cancels the pending timers', async () => {
    const { scheduler, savedAt } = recordingScheduler();
    scheduler.changed();
    await vi.advanceTimersByTimeAsync(500);
    await scheduler.flush();
    expect(elapsed(savedAt)).toEqual([500]);
    expect(scheduler.dirty).toBe(false);
    await vi.advanceTimersByTimeAsync(MAX_MS * 2);
    expect(savedAt).toHaveLength(1);
  });

  it('flush does nothing when there is nothing unsaved', async () => {
    const { scheduler, save } = recordingScheduler();
    await scheduler.flush();
    scheduler.changed();
    await scheduler.flush();
    await scheduler.flush();
    expect(save).toHaveBeenCalledTimes(1);
  });

  it('runs saves one at a time, never overlapping', async () => {
    let running = 0;
    let overlapped = false;
    let release!: () => void;
    const save = vi.fn(async () => {
      running++;
      if (running > 1) overlapped = true;
      await new Promise<void>((resolve) => (release = resolve));
      running--;
    });
    const scheduler = new SaveScheduler(save, { quietMs: QUIET_MS, maxMs: MAX_MS, onError: () => undefined });
    scheduler.changed();
    const first = scheduler.flush();
    await vi.advanceTimersByTimeAsync(0);
    expect(save).toHaveBeenCalledTimes(1);
    scheduler.changed();
    const second = scheduler.flush();
    await vi.advanceTimersByTimeAsync(0);
    // The second save waits for the first to finish.
    expect(save).toHaveBeenCalledTimes(1);
    release();
    await first;
    await vi.advanceTimersByTimeAsync(0);
    expect(save).toHaveBeenCalledTimes(2);
    release();
    await second;
    expect(overlapped).toBe(false);
  });

  it('a change made while a save is running is saved by a later save', async () => {
    let release!: () => void;
    const save = vi.fn(() => new Promise<void>((resolve) => (release = resolve)));
    const scheduler = new SaveScheduler(save, { quietMs: QUIET_MS, maxMs: MAX_MS, onError: () => undefined });
    scheduler.changed();
    const first = scheduler.flush();
    await vi.advanceTimersByTimeAsync(0);
    scheduler.changed();
    release();
    await first;
    expect(scheduler.dirty).toBe(true);
    await vi.advanceTimersByTimeAsync(QUIET_MS);
    expect(save).toHaveBeenCalledTimes(2);
    release();
    await vi.advanceTimersByTimeAsync(0);
    expect(scheduler.dirty).toBe(false);
  });

  it('a failed save is reported, stays dirty, and is retried by the next change', async () => {
    const { scheduler, savedAt, errors, failNextSaves } = recordingScheduler();
    failNextSaves(1);
    scheduler.changed();
    await vi.advanceTimersByTimeAsync(QUIET_MS);
    expect(savedAt).toHaveLength(1);
    expect(errors).toEqual([expect.objectContaining({ message: 'disk full' })]);
    expect(scheduler.dirty).toBe(true);

    scheduler.changed();
    await vi.advanceTimersByTimeAsync(QUIET_MS);
    expect(savedAt).toHaveLength(2);
    expect(scheduler.dirty).toBe(false);
    expect(errors).toHaveLength(1);
  });

  it(`a failed save is tried again ${MAX_MS} ms later even when nothing else changes (a disk that had no room)`, async () => {
    const { scheduler, savedAt, errors, failNextSaves } = recordingScheduler();
    failNextSaves(2);
    scheduler.changed();
    await vi.advanceTimersByTimeAsync(QUIET_MS);
    await vi.advanceTimersByTimeAsync(MAX_MS);
    expect(elapsed(savedAt)).toEqual([QUIET_MS, QUIET_MS + MAX_MS]);
    expect(scheduler.dirty).toBe(true);
    await vi.advanceTimersByTimeAsync(MAX_MS);
    expect(elapsed(savedAt)).toEqual([QUIET_MS, QUIET_MS + MAX_MS, QUIET_MS + 2 * MAX_MS]);
    expect(scheduler.dirty).toBe(false);
    expect(errors).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(MAX_MS * 2);
    expect(savedAt).toHaveLength(3);
  });

  it('a failed flush rejects, stays dirty, and the next flush saves again', async () => {
    const { scheduler, save, failNextSaves } = recordingScheduler();
    failNextSaves(1);
    scheduler.changed();
    await expect(scheduler.flush()).rejects.toThrow('disk full');
    expect(scheduler.dirty).toBe(true);
    await scheduler.flush();
    expect(save).toHaveBeenCalledTimes(2);
    expect(scheduler.dirty).toBe(false);
  });

  it('cancel stops the timers without saving', async () => {
    const { scheduler, save } = recordingScheduler();
    scheduler.changed();
    scheduler.cancel();
    await vi.advanceTimersByTimeAsync(MAX_MS * 2);
    expect(save).not.toHaveBeenCalled();
    expect(scheduler.dirty).toBe(true);
  });
});
