import type { RateSettings } from '../config.js';
import { KnownAddresses } from './known-addresses.js';
import { RateLimiter } from './rate-limiter.js';

/**
 * The limits that protect secrets people type and the server's capacity, shared by the HTTP
 * routes and the Socket.IO handshake: wrong attempts per address and per workshop, creations per
 * address, and which addresses each workshop is used from.
 */
export class AccessLimits {
  /** Wrong join codes and credentials, per client address. */
  readonly failuresByAddress: RateLimiter;
  /** Wrong facilitator keys aimed at one workshop, from any address. */
  readonly failuresByWorkshop: RateLimiter;
  /** Workshops created or imported, per client address. */
  readonly creations: RateLimiter;
  readonly known = new KnownAddresses();
  readonly rates: RateSettings;

  constructor(rates: RateSettings) {
    this.rates = rates;
    this.failuresByAddress = new RateLimiter({ capacity: rates.failedAttemptsBurst, perSecond: rates.failedAttemptsPerSecond });
    this.failuresByWorkshop = new RateLimiter({ capacity: rates.failedAttemptsBurst, perSecond: rates.failedAttemptsPerSecond });
    this.creations = new RateLimiter({ capacity: rates.creationsBurst, perSecond: rates.creationsPerSecond });
  }
}
