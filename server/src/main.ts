import { networkInterfaces } from 'node:os';
import { createServer, loadConfig } from './app.js';
import { createLogger } from './logger.js';
import { DataDirLockedError, lockDataDir } from './store/data-dir-lock.js';
import { guardProcess } from './process-guards.js';

// The only side-effecting entry: read config, listen, and shut down cleanly on signals.
const config = loadConfig();
const logger = createLogger(config.logLevel);
const lock = lockOrExit(config.dataDir);
const server = await createServer(config, { logger });
const address = await server.listen(config.port, config.host);

const local = `http://${config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host}:${address.port}`;
// Tests and scripts read this exact line to learn the port.
process.stdout.write(`Goldthread listening on ${local}\n`);
if (config.host === '0.0.0.0' || config.host === '::') {
  for (const list of Object.values(networkInterfaces())) {
    for (const net of list ?? []) {
      if (net.family === 'IPv4' && !net.internal) process.stdout.write(`  on the venue network: http://${net.address}:${address.port}\n`);
    }
  }
}
process.stdout.write(`Data is kept in ${config.dataDir}\n`);

let stopping = false;
const stop = (signal: string, exitCode = 0) => {
  if (stopping) return;
  stopping = true;
  logger.info(`${signal} received: saving every room and closing connections`);
  const forced = setTimeout(() => {
    logger.error('shutdown took longer than 10 s; exiting anyway');
    process.exit(1);
  }, 10_000);
  forced.unref();
  server.close().then(
    () => {
      lock.release();
      logger.info('saved and stopped');
      process.exit(exitCode);
    },
    (error: unknown) => {
      logger.error('shutdown failed', error);
      process.exit(1);
    }
  );
};
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));

/** One process per data directory: a second one says why and exits non-zero before touching anything. */
function lockOrExit(dataDir: string) {
  try {
    return lockDataDir(dataDir);
  } catch (error) {
    if (!(error instanceof DataDirLockedError)) throw error;
    process.stderr.write(`Goldthread cannot start: ${error.message}\n`);
    process.exit(1);
  }
}
guardProcess(logger, (reason) => stop(reason, 1));
