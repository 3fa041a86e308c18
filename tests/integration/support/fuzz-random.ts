/** Draws from a seeded generator of floats in [0, 1), so a fuzz run can be replayed from its seed. */
export class Random {
  readonly #next: () => number;

  constructor(next: () => number) {
    this.#next = next;
  }

  /** A float in [0, 1). */
  float(): number {
    return this.#next();
  }

  /** An integer in [0, max). */
  int(max: number): number {
    return Math.floor(this.#next() * max);
  }

  /** An integer in [min, max]. */
  between(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  chance(probability: number): boolean {
    return this.#next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  /** Picks a key of `weights` with probability proportional to its weight. */
  weighted<K extends string>(weights: Record<K, number>): K {
    const entries = Object.entries(weights) as [K, number][];
    let left = this.#next() * entries.reduce((total, [, weight]) => total + weight, 0);
    for (const [key, weight] of entries) {
      left -= weight;
      if (left < 0) return key;
    }
    return entries.at(-1)![0];
  }

  bytes(length: number): Uint8Array {
    const bytes = new Uint8Array(length);
    for (let i = 0; i < length; i++) bytes[i] = this.int(256);
    return bytes;
  }

  /** A string of `length` characters drawn from ASCII, Latin, emoji halves, controls and the odd NUL. */
  text(length: number): string {
    const pools = ['abcdefghijklmnopqrstuvwxyz0123456789 :-_', '\u0000\u0001\u001f\u007f\ufeff\u200b', 'éßøΩжخ中😀', '\ud800\udc00\udfff{}[]"\\'];
    let text = '';
    for (let i = 0; i < length; i++) {
      const pool = pools[this.chance(0.85) ? 0 : this.between(1, 3)]!;
      text += pool[this.int(pool.length)];
    }
    return text;
  }
}
