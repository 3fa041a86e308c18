/**
 * The server's clock as seen from this browser, so every screen counts the same timer down
 * to the same second whatever its own clock says.
 *
 * Each message stamped with `serverTime` bounds the offset (server minus local): it was
 * stamped after the request left and before the reply arrived, so
 * `serverTime - receivedAt <= offset <= serverTime - sentAt`. Broadcasts have no request, so
 * they give only the lower bound. The estimate is the tightest of the recent bounds.
 */
export class ServerClock {
  /** Recent [lower, upper] bounds of the offset, newest last. */
  readonly #samples: { lower: number; upper: number }[] = [];
  static readonly KEEP = 12;

  /** Records a `serverTime` that arrived at `receivedAt` (local), in reply to a request sent at `sentAt`, if any. */
  observe(serverTime: number, receivedAt: number, sentAt?: number): void {
    const lower = serverTime - receivedAt;
    const upper = sentAt === undefined ? Number.POSITIVE_INFINITY : serverTime - sentAt;
    this.#samples.push({ lower, upper });
    if (this.#samples.length > ServerClock.KEEP) this.#samples.shift();
  }

  /** Server time minus local time, in ms (0 before anything was heard). */
  get offset(): number {
    if (this.#samples.length === 0) return 0;
    const lower = Math.max(...this.#samples.map((s) => s.lower));
    const upper = Math.min(...this.#samples.map((s) => s.upper));
    // The bounds disagree only when the local clock jumped: trust the newest sample then.
    if (lower > upper) {
      const newest = this.#samples.at(-1)!;
      return Number.isFinite(newest.upper) ? (newest.lower + newest.upper) / 2 : newest.lower;
    }
    return Number.isFinite(upper) ? (lower + upper) / 2 : lower;
  }

  /** The server's time now. */
  now(localNow: number = Date.now()): number {
    return localNow + this.offset;
  }
}

/** Whole seconds left, rounded up, so "00:00" means the time really is up. */
export function secondsLeft(remainingMs: number): number {
  return Math.max(0, Math.ceil(remainingMs / 1000));
}

/** `mm:ss` (or `h:mm:ss` past an hour), as shown on every screen. */
export function formatClock(remainingMs: number): string {
  const total = secondsLeft(remainingMs);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const mmss = `${String(minutes).padStart(2, '0')}:${String(seconds).padStart(2, '0')}`;
  return hours > 0 ? `${hours}:${mmss}` : mmss;
}

/** The same time in words, for screen readers: "4 minutes 5 seconds". */
export function describeClock(remainingMs: number): string {
  const total = secondsLeft(remainingMs);
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  const parts: string[] = [];
  if (minutes > 0) parts.push(`${minutes} ${minutes === 1 ? 'minute' : 'minutes'}`);
  if (seconds > 0 || minutes === 0) parts.push(`${seconds} ${seconds === 1 ? 'second' : 'seconds'}`);
  return parts.join(' ');
}
