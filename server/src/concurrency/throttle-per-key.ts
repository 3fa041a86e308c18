/**
 * Runs `work(key)` at once for the first call of a key, then at most once per `intervalMs` for
 * that key while calls keep coming, always once more after the last of them (so the latest
 * state is what is sent last).
 */
export function throttlePerKey(intervalMs: number, work: (key: string) => void) {
  const windows = new Map<string, { timer: NodeJS.Timeout; again: boolean }>();
  const call = (key: string): void => {
    const open = windows.get(key);
    if (open) {
      open.again = true;
      return;
    }
    work(key);
    const timer = setTimeout(() => {
      const again = windows.get(key)?.again;
      windows.delete(key);
      if (again) call(key);
    }, intervalMs);
    timer.unref();
    windows.set(key, { timer, again: false });
  };
  return {
    call,
    /** Drops what is waiting. */
    close(): void {
      for (const { timer } of windows.values()) clearTimeout(timer);
      windows.clear();
    }
  };
}
