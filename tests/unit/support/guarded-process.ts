// Run as a child process by process-guards.test.ts: guards itself, then fails the way it is told.
import { guardProcess } from '../../../server/src/process-guards.js';

const logger = {
  error: (message: string) => process.stdout.write(`logged: ${message}\n`),
  warn: () => undefined,
  info: () => undefined
};
guardProcess(logger, (reason) => {
  process.stdout.write(`shutting down: ${reason}\n`);
  process.exit(1);
});

const how = process.argv[2];
setImmediate(() => {
  if (how === 'io') throw Object.assign(new Error('gone'), { code: 'ENOENT', syscall: 'open', path: '/web/build/x.js.br' });
  if (how === 'rejection') void Promise.reject(new Error('nobody awaited this'));
  if (how === 'bug') throw new TypeError('undefined is not a function');
});
// Alive a moment later means the failure did not stop the process.
setTimeout(() => process.stdout.write('still serving\n'), 200);
