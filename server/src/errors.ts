import type { ErrorCode } from '@goldthread/shared';

const STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  invalid_json: 400,
  validation_failed: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  rate_limited: 429,
  unavailable: 503,
  internal: 500
};

/** An error whose message is safe to show a client; anything else is reported as `internal`. */
export class AppError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string) {
    super(message);
    this.code = code;
  }

  /** The HTTP status that goes with the code. */
  get status(): number {
    return STATUS[this.code];
  }
}
