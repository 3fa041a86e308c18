/** The closed set of error codes any Goldthread channel (HTTP, Socket.IO, Yjs) may answer with. */
export const ERROR_CODES = [
  'bad_request',
  'invalid_json',
  'validation_failed',
  'unauthorized',
  'forbidden',
  'not_found',
  'conflict',
  'payload_too_large',
  'rate_limited',
  'unavailable',
  'internal'
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** The body of every error on the wire. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string };
}

/** The reply to every acknowledged command: data on success, an error otherwise. */
export type Ack<T> = { data: T } | ErrorBody;

/** Builds an error body. */
export function errorBody(code: ErrorCode, message: string): ErrorBody {
  return { error: { code, message } };
}

/** True when a value is an error body (useful on ack replies and fetch results). */
export function isErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false;
  const error = (value as { error: unknown }).error;
  return typeof error === 'object' && error !== null && 'code' in error && 'message' in error;
}
