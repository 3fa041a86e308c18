import type { ErrorRequestHandler, RequestHandler } from 'express';
import { errorBody } from '@goldthread/shared';
import { AppError } from '../errors.js';
import type { Logger } from '../logger.js';

/** Unknown `/api` routes answer 404 in JSON rather than falling through to the web app. */
export const apiNotFound: RequestHandler = (req, res) => {
  res.status(404).json(errorBody('not_found', `No API route ${req.method} ${req.originalUrl.split('?')[0]}.`));
};

/**
 * Turns every error into `{ error: { code, message } }`. Body-parser failures become
 * invalid_json / payload_too_large; anything unexpected is logged and reported as `internal`.
 */
export function jsonErrors(logger: Logger): ErrorRequestHandler {
  return (error, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    if (error instanceof AppError) {
      res.status(error.status).json(errorBody(error.code, error.message));
      return;
    }
    const type = (error as { type?: string }).type;
    if (type === 'entity.parse.failed') {
      res.status(400).json(errorBody('invalid_json', 'The request body is not valid JSON.'));
      return;
    }
    if (type === 'entity.too.large') {
      res.status(413).json(errorBody('payload_too_large', 'The request body is too large.'));
      return;
    }
    const status = (error as { status?: number }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      res.status(status).json(errorBody('bad_request', 'The request could not be understood.'));
      return;
    }
    logger.error(`${req.method} ${req.originalUrl} failed`, error);
    res.status(500).json(errorBody('internal', 'Something went wrong on the server. Please try again.'));
  };
}
