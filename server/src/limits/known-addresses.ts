/** How long an address stays known to a workshop after it was last seen using it. */
const REMEMBER_MS = 12 * 3600_000;

/**
 * Which workshops each client address has recently been seen using — a join, a facilitator
 * session, a screen connected with a valid token. A venue behind one address (NAT or proxy) is
 * thereby known to its own workshop: a correct code for it still joins when a guesser on the
 * same address has used up the address's wrong-code budget, while that guesser cannot learn
 * whether any other workshop's code is right. Bounded: the oldest entries go first.
 */
export class KnownAddresses {
  readonly #seenAt = new Map<string, number>();
  readonly #maxEntries: number;

  constructor(options: { maxEntries?: number } = {}) {
    this.#maxEntries = options.maxEntries ?? 100_000;
  }

  /** Records that `address` used `workshopId` just now. */
  see(address: string, workshopId: string, now = Date.now()): void {
    const key = `${address} ${workshopId}`;
    this.#seenAt.delete(key);
    this.#seenAt.set(key, now);
    while (this.#seenAt.size > this.#maxEntries) {
      const oldest = this.#seenAt.keys().next().value;
      if (oldest === undefined) break;
      this.#seenAt.delete(oldest);
    }
  }

  /** True when `address` used `workshopId` within the last twelve hours. */
  knows(address: string, workshopId: string, now = Date.now()): boolean {
    const at = this.#seenAt.get(`${address} ${workshopId}`);
    return at !== undefined && now - at < REMEMBER_MS;
  }
}
