import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Role } from '@goldthread/shared';

/** What a signed token says about its holder. */
export interface TokenClaims {
  role: Role;
  workshopId: string;
  /** Participant tokens are bound to one room and one participant. */
  roomId?: string;
  participantId?: string;
  name?: string;
  /** Expiry, in seconds since the epoch. */
  exp: number;
}

const TOKEN_VERSION = 1;

const b64 = (data: Buffer | string) => Buffer.from(data).toString('base64url');

/** Signs and verifies Goldthread's tokens (HMAC-SHA256 over a small JSON payload). */
export class TokenSigner {
  readonly #secret: Buffer;

  constructor(secret: string | Buffer) {
    this.#secret = Buffer.isBuffer(secret) ? secret : Buffer.from(secret, 'utf8');
    if (this.#secret.length < 16) throw new Error('the token secret must be at least 16 bytes');
  }

  /** Issues a token valid for `ttlSeconds`. */
  sign(claims: Omit<TokenClaims, 'exp'>, ttlSeconds: number): string {
    const payload = b64(JSON.stringify({ v: TOKEN_VERSION, ...claims, exp: Math.floor(Date.now() / 1000) + ttlSeconds }));
    return `${payload}.${this.#mac(payload)}`;
  }

  /** Returns the claims of a genuine, unexpired token, or null. */
  verify(token: unknown): TokenClaims | null {
    if (typeof token !== 'string' || token.length > 2048) return null;
    const dot = token.indexOf('.');
    if (dot <= 0) return null;
    const payload = token.slice(0, dot);
    const given = Buffer.from(token.slice(dot + 1), 'base64url');
    const expected = Buffer.from(this.#mac(payload), 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    let claims: unknown;
    try {
      claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      return null;
    }
    if (!isClaims(claims)) return null;
    if (claims.exp * 1000 <= Date.now()) return null;
    return claims;
  }

  #mac(payload: string): string {
    return createHmac('sha256', this.#secret).update(payload).digest('base64url');
  }
}

function isClaims(value: unknown): value is TokenClaims & { v: number } {
  if (typeof value !== 'object' || value === null) return false;
  const c = value as Record<string, unknown>;
  return (
    c.v === TOKEN_VERSION &&
    (c.role === 'facilitator' || c.role === 'participant' || c.role === 'projector') &&
    typeof c.workshopId === 'string' &&
    typeof c.exp === 'number' &&
    (c.role !== 'participant' || (typeof c.roomId === 'string' && typeof c.participantId === 'string'))
  );
}

/** A new facilitator key: 192 random bits, url-safe. */
export function newFacilitatorKey(): string {
  return randomBytes(24).toString('base64url');
}

/** Facilitator keys are stored only as this hash (they are random, so a fast hash suffices). */
export function hashFacilitatorKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** Constant-time check of a presented key against its stored hash. */
export function facilitatorKeyMatches(key: unknown, storedHash: string): boolean {
  if (typeof key !== 'string' || key.length === 0 || key.length > 256) return false;
  const given = Buffer.from(hashFacilitatorKey(key), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored);
}

/** A join code people can read aloud and type: no 0/O, 1/I/L. */
export function newJoinCode(length = 6): string {
  const alphabet = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
  const bytes = randomBytes(length);
  let code = '';
  for (const byte of bytes) code += alphabet[byte % alphabet.length];
  return code;
}
