import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  TokenSigner,
  facilitatorKeyMatches,
  hashFacilitatorKey,
  newFacilitatorKey,
  newJoinCode
} from '../../server/src/auth/tokens.js';

const SECRET = 'a test secret that is long enough';
const participantClaims = { role: 'participant' as const, workshopId: 'ws1', roomId: 'north', participantId: 'p1', name: 'Ada' };

/** Flips one character of a base64url string to another valid one. */
const flip = (text: string, at: number) => text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1);

afterEach(() => {
  vi.useRealTimers();
});

describe('TokenSigner', () => {
  it('verifies its own token and returns the claims it signed, with an expiry', () => {
    const signer = new TokenSigner(SECRET);
    const before = Math.floor(Date.now() / 1000);
    const claims = signer.verify(signer.sign(participantClaims, 3600));
    expect(claims).toMatchObject(participantClaims);
    expect(claims!.exp).toBeGreaterThanOrEqual(before + 3600);
    expect(claims!.exp).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) + 3600);
  });

  it('verifies a facilitator token, which carries no room', () => {
    const signer = new TokenSigner(Buffer.alloc(32, 7));
    expect(signer.verify(signer.sign({ role: 'facilitator', workshopId: 'ws1' }, 60))).toMatchObject({ role: 'facilitator', workshopId: 'ws1' });
  });

  it('refuses a token whose payload was changed, e.g. to claim another room', () => {
    const signer = new TokenSigner(SECRET);
    const token = signer.sign(participantClaims, 3600);
    const [payload, mac] = token.split('.') as [string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    const forged = Buffer.from(JSON.stringify({ ...claims, roomId: 'south' })).toString('base64url');
    expect(signer.verify(`${forged}.${mac}`)).toBeNull();
    expect(signer.verify(`${flip(payload, 5)}.${mac}`)).toBeNull();
  });

  it('refuses a token whose signature was changed, cut short or removed', () => {
    const signer = new TokenSigner(SECRET);
    const token = signer.sign(participantClaims, 3600);
    const [payload, mac] = token.split('.') as [string, string];
    expect(signer.verify(`${payload}.${flip(mac, 0)}`)).toBeNull();
    expect(signer.verify(`${payload}.${mac.slice(0, -4)}`)).toBeNull();
    expect(signer.verify(`${payload}.`)).toBeNull();
    expect(signer.verify(payload)).toBeNull();
  });

  it('refuses a token signed with another secret', () => {
    const token = new TokenSigner(SECRET).sign(participantClaims, 3600);
    expect(new TokenSigner('another secret, just as long').verify(token)).toBeNull();
  });

  it('refuses a token signed with no time to live or a negative one', () => {
    const signer = new TokenSigner(SECRET);
    expect(signer.verify(signer.sign(participantClaims, 0))).toBeNull();
    expect(signer.verify(signer.sign(participantClaims, -60))).toBeNull();
  });

  it('accepts a token until its expiry and refuses it from then on', () => {
    vi.useFakeTimers({ now: new Date('2030-05-01T10:00:00.000Z') });
    const signer = new TokenSigner(SECRET);
    const token = signer.sign(participantClaims, 60);
    vi.setSystemTime(new Date('2030-05-01T10:00:59.999Z'));
    expect(signer.verify(token)).not.toBeNull();
    vi.setSystemTime(new Date('2030-05-01T10:01:00.000Z'));
    expect(signer.verify(token)).toBeNull();
  });

  it('refuses a genuine signature over claims that are not a valid token', () => {
    const signer = new TokenSigner(SECRET);
    // A participant token must name its room and participant.
    expect(signer.verify(signer.sign({ role: 'participant', workshopId: 'ws1' }, 60))).toBeNull();
    expect(signer.verify(signer.sign({ role: 'admin' as never, workshopId: 'ws1' }, 60))).toBeNull();
    expect(signer.verify(signer.sign({ role: 'facilitator', workshopId: 42 as never }, 60))).toBeNull();
  });

  it.each([
    ['undefined', undefined],
    ['null', null],
    ['a number', 12345],
    ['an object', { role: 'facilitator' }],
    ['an empty string', ''],
    ['a string without a dot', 'abcdef'],
    ['a string starting with a dot', '.abcdef'],
    ['a token of 5000 characters', `${'a'.repeat(4000)}.${'b'.repeat(1000)}`],
    ['a payload that is not JSON', `${Buffer.from('not json').toString('base64url')}.x`]
  ])('refuses %s without throwing', (_what, token) => {
    expect(new TokenSigner(SECRET).verify(token)).toBeNull();
  });

  it('will not work with a secret shorter than 16 bytes', () => {
    expect(() => new TokenSigner('short')).toThrow();
    expect(() => new TokenSigner(Buffer.alloc(15))).toThrow();
    expect(() => new TokenSigner(Buffer.alloc(16))).not.toThrow();
  });
});

describe('facilitator keys', () => {
  it('are long, url-safe and different every time', () => {
    const keys = Array.from({ length: 50 }, () => newFacilitatorKey());
    for (const key of keys) expect(key).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(new Set(keys).size).toBe(50);
  });

  it('are stored as a SHA-256 hash that is not the key itself', () => {
    const key = newFacilitatorKey();
    const hash = hashFacilitatorKey(key);
    expect(hash).toBe(createHash('sha256').update(key, 'utf8').digest('hex'));
    expect(hash).not.toContain(key);
    expect(hashFacilitatorKey(key)).toBe(hash);
  });

  it('match only the key they were hashed from', () => {
    const key = newFacilitatorKey();
    const hash = hashFacilitatorKey(key);
    expect(facilitatorKeyMatches(key, hash)).toBe(true);
    expect(facilitatorKeyMatches(newFacilitatorKey(), hash)).toBe(false);
    expect(facilitatorKeyMatches(flip(key, 0), hash)).toBe(false);
    expect(facilitatorKeyMatches(`${key} `, hash)).toBe(false);
    expect(facilitatorKeyMatches(hash, hash)).toBe(false);
  });

  it.each([
    ['an empty key', ''],
    ['a key that is not a string', 12345],
    ['no key', undefined],
    ['a key of 257 characters', 'k'.repeat(257)]
  ])('do not match %s', (_what, key) => {
    expect(facilitatorKeyMatches(key, hashFacilitatorKey(typeof key === 'string' ? key : 'x'))).toBe(false);
  });

  it('do not match against a stored hash that is malformed', () => {
    const key = newFacilitatorKey();
    expect(facilitatorKeyMatches(key, '')).toBe(false);
    expect(facilitatorKeyMatches(key, 'not hex at all')).toBe(false);
    expect(facilitatorKeyMatches(key, hashFacilitatorKey(key).slice(0, 32))).toBe(false);
  });
});

describe('join codes', () => {
  const READABLE = /^[ABCDEFGHJKMNPQRSTUVWXYZ23456789]+$/;

  it('are six characters people can read aloud: no 0/O or 1/I/L', () => {
    const codes = Array.from({ length: 2000 }, () => newJoinCode());
    expect(codes.filter((code) => code.length !== 6 || !READABLE.test(code))).toEqual([]);
    const used = new Set(codes.join(''));
    for (const confusable of ['0', 'O', '1', 'I', 'L']) expect(used.has(confusable)).toBe(false);
    // Every readable character turns up, so the whole alphabet is in use.
    expect(used.size).toBe(31);
  });

  it('come in the length asked for', () => {
    expect(newJoinCode(4)).toMatch(/^[A-Z2-9]{4}$/);
    expect(newJoinCode(10)).toMatch(READABLE);
    expect(newJoinCode(10)).toHaveLength(10);
  });

  it('are different from one another', () => {
    const codes = new Set(Array.from({ length: 200 }, () => newJoinCode()));
    // 31^6 ≈ 887 million codes: a repeat among 200 is a one-in-forty-thousand event.
    expect(codes.size).toBeGreaterThanOrEqual(199);
  });
});
