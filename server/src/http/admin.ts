import { timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { AppError } from '../errors.js';
import { bearer } from './bearer.js';

/**
 * With GOLDTHREAD_ADMIN_TOKEN set, creating and importing workshops needs it as the bearer;
 * without it (the default for a venue laptop) anyone who reaches the server may create one.
 */
export function adminCheck(adminToken: string | null): (req: Request) => void {
  if (!adminToken) return () => undefined;
  const expected = Buffer.from(adminToken, 'utf8');
  return (req) => {
    const given = Buffer.from(bearer(req) ?? '', 'utf8');
    if (given.length === 0) throw new AppError('unauthorized', 'Creating workshops on this server needs the admin token.');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new AppError('forbidden', 'That admin token is not right.');
    }
  };
}
