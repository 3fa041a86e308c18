import { AppError } from '../errors.js';

/**
 * A change could not be written (a full disk, an I/O error): the caller answers `unavailable`
 * (HTTP 503) and nothing of the change is kept. The file system's own error is the `cause`, for the log.
 */
export class StorageError extends AppError {
  constructor(cause: unknown) {
    super('unavailable', 'The server could not save this change (its disk is full or failing), so nothing was changed. Please try again shortly.');
    this.cause = cause;
  }
}

/** The error a failed write is reported as: a StorageError (kept as it is when it already is one). */
export function storageError(cause: unknown): StorageError {
  return cause instanceof StorageError ? cause : new StorageError(cause);
}
