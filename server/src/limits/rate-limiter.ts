/** A token bucket: `capacity` events at once, refilled at `perSecond`. */
export class TokenBucket {
  readonly #capacity: number;
  readonly #perSecond: number;
  #tokens: number;
  #at: number;

  constructor(capacity: number, perSecond: number, now = Date.now()) {
    this.#capacity = capacity;
    this.#perSecond = perSecond;
    this.#tokens = capacity;
    this.#at = now;
  }

  /** Takes one token; false when none is left. */
  take(now = Date.now()): boolean {
    this.#refill(now);
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }

  /** Spends `count` tokens, as many as are left (several wrong keys in one request each cost one). */
  spend(count: number, now = Date.now()): void {
    this.#refill(now);
    this.#tokens = Math.max(0, this.#tokens - count);
  }

  /** Gives back a token taken for something that turned out not to count. */
  refund(now = Date.now()): void {
    this.#refill(now);
    this.#tokens = Math.min(this.#capacity, this.#tokens + 1);
  }

  /** True when no token is left, without taking one. */
  exhausted(now = Date.now()): boolean {
    this.#refill(now);
    return this.#tokens < 1;
  }

  /** True when the bucket is full again (nothing to remember about it). */
  full(now = Date.now()): boolean {
    this.#refill(now);
    return this.#tokens >= this.#capacity;
  }

  /** Seconds until a token is available. */
  retryAfterSeconds(now = Date.now()): number {
    this.#refill(now);
    return this.#tokens >= 1 ? 0 : Math.ceil((1 - this.#tokens) / this.#perSecond);
  }

  #refill(now: number) {
    this.#tokens = Math.min(this.#capacity, this.#tokens + ((now - this.#at) / 1000) * this.#perSecond);
    this.#at = now;
  }
}

/**
 * A token bucket per key (e.g. per IP). Keys whose bucket has refilled are forgotten, so
 * memory stays bounded by recent activity.
 */
export class RateLimiter {
  readonly #capacity: number;
  readonly #perSecond: number;
  readonly #maxKeys: number;
  readonly #buckets = new Map<string, TokenBucket>();

  constructor(options: { capacity: number; perSecond: number; maxKeys?: number }) {
    this.#capacity = options.capacity;
    this.#perSecond = options.perSecond;
    this.#maxKeys = options.maxKeys ?? 100_000;
  }

  take(key: string, now = Date.now()): boolean {
    return this.#bucket(key, now).take(now);
  }

  /** Gives back a token of a key's bucket. */
  refund(key: string, now = Date.now()): void {
    this.#buckets.get(key)?.refund(now);
  }

  /** Spends `count` tokens of a key's bucket (down to empty). */
  spend(key: string, count: number, now = Date.now()): void {
    if (count > 0) this.#bucket(key, now).spend(count, now);
  }

  exhausted(key: string, now = Date.now()): boolean {
    return this.#buckets.get(key)?.exhausted(now) ?? false;
  }

  retryAfterSeconds(key: string, now = Date.now()): number {
    return this.#buckets.get(key)?.retryAfterSeconds(now) ?? 0;
  }

  #bucket(key: string, now: number): TokenBucket {
    let bucket = this.#buckets.get(key);
    if (!bucket) {
      if (this.#buckets.size >= this.#maxKeys) this.#sweep(now);
      bucket = new TokenBucket(this.#capacity, this.#perSecond, now);
      this.#buckets.set(key, bucket);
    }
    return bucket;
  }

  #sweep(now: number) {
    for (const [key, bucket] of this.#buckets) if (bucket.full(now)) this.#buckets.delete(key);
    // Still full of active keys: drop the oldest rather than grow without bound.
    for (const key of this.#buckets.keys()) {
      if (this.#buckets.size < this.#maxKeys) break;
      this.#buckets.delete(key);
    }
  }
}
