import { expect } from 'vitest';
import { ERROR_CODES, type ErrorCode } from '@goldthread/shared';

/**
 * Asserts an HTTP answer is exactly `{ error: { code, message } }` with a code from the closed
 * set, a non-empty message and a JSON content type, and (when given) the expected status and code.
 */
export function expectErrorBody(
  answer: { status: number; body: unknown; headers: Headers },
  expected: { status: number; code: ErrorCode | readonly ErrorCode[] }
): void {
  const described = `${answer.status} ${JSON.stringify(answer.body)}`;
  expect(answer.status, described).toBe(expected.status);
  expect(answer.headers.get('content-type') ?? '', described).toMatch(/^application\/json/);
  expect(answer.body, described).toEqual({ error: { code: expect.any(String), message: expect.any(String) } });
  const { code, message } = (answer.body as { error: { code: ErrorCode; message: string } }).error;
  expect(ERROR_CODES, described).toContain(code);
  expect(message.trim().length, described).toBeGreaterThan(0);
  const allowed: readonly ErrorCode[] = typeof expected.code === 'string' ? [expected.code] : expected.code;
  expect(allowed, described).toContain(code);
}
