// `pnpm start`: builds the web app and the server when their sources are newer than the
// build (or there is no build), then runs the server in this process's place.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const sources = ['shared/src', 'server/src', 'web/src', 'web/static', 'web/svelte.config.js', 'web/vite.config.ts'];
const outputs = ['server/dist/main.js', 'web/build/handler.js'];

function newest(target) {
  const full = path.join(root, target);
  if (!existsSync(full)) return 0;
  const stat = statSync(full);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(full).reduce((max, name) => Math.max(max, newest(path.join(target, name))), stat.mtimeMs);
}

const built = Math.min(...outputs.map((file) => newest(file)));
if (built === 0 || sources.some((source) => newest(source) > built)) {
  console.log('Building Goldthread (web app and server)...');
  const result = spawnSync('pnpm', ['run', 'build'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

await import(path.join(root, 'server/dist/main.js'));
