import { describe, expect, it } from 'vitest';
import { CLOSE_CODES, isTransientClose } from '@goldthread/shared';

describe('which closes a client should reconnect after', () => {
  it('reconnects after a restart, an unavailable room, a refused message, a rate limit or a connection cap', () => {
    for (const code of [1006, CLOSE_CODES.serverRestarting, CLOSE_CODES.unavailable, CLOSE_CODES.badMessage, CLOSE_CODES.rateLimited, CLOSE_CODES.tooManyConnections]) {
      expect(isTransientClose(code), String(code)).toBe(true);
    }
  });

  it('stops after a refused token, a forbidden document or an oversized room', () => {
    for (const code of [CLOSE_CODES.unauthorized, CLOSE_CODES.forbidden, CLOSE_CODES.tooLarge]) {
      expect(isTransientClose(code), String(code)).toBe(false);
    }
  });
});
