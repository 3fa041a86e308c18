import type { LogLevel } from './config.js';

/** A small leveled logger; details of failures go here, never to clients. */
export interface Logger {
  info(message: string, detail?: unknown): void;
  warn(message: string, detail?: unknown): void;
  error(message: string, detail?: unknown): void;
}

const rank: Record<LogLevel, number> = { silent: 0, error: 1, warn: 2, info: 3 };

/** Writes timestamped lines to stdout (info) and stderr (warn, error). */
export function createLogger(level: LogLevel): Logger {
  const write = (at: LogLevel, stream: NodeJS.WriteStream, message: string, detail?: unknown) => {
    if (rank[level] < rank[at]) return;
    const suffix =
      detail === undefined ? '' : ` ${detail instanceof Error ? (detail.stack ?? detail.message) : JSON.stringify(detail)}`;
    stream.write(`${new Date().toISOString()} ${at.toUpperCase()} ${message}${suffix}\n`);
  };
  return {
    info: (m, d) => write('info', process.stdout, m, d),
    warn: (m, d) => write('warn', process.stderr, m, d),
    error: (m, d) => write('error', process.stderr, m, d)
  };
}
