import type { Logger } from './logger.js';

/**
 * Keeps one request's failure from stopping everyone's workshop. An I/O error nobody listened
 * for (a file gone under a stream, a socket reset) and a promise rejection nobody awaited are
 * logged, and the server carries on. Any other uncaught exception is logged and ends the process
 * through `shutDown` (which saves every room), since what it broke is unknown.
 */
export function guardProcess(logger: Logger, shutDown: (reason: string) => void): void {
  process.on('unhandledRejection', (reason) => {
    logger.error('a promise failed and nothing handled it; carrying on', reason);
  });
  process.on('uncaughtException', (error) => {
    if (isIoError(error)) {
      logger.error(`an I/O error (${error.code} in ${error.syscall}) escaped a request; carrying on`, error);
      return;
    }
    logger.error('an unexpected error escaped; saving and stopping', error);
    shutDown('uncaught exception');
  });
}

function isIoError(error: unknown): error is NodeJS.ErrnoException & { code: string; syscall: string } {
  const { code, syscall } = (error ?? {}) as NodeJS.ErrnoException;
  return typeof code === 'string' && typeof syscall === 'string';
}
