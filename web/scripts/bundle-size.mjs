#!/usr/bin/env node
// Prints the gzipped JavaScript each page loads (its route node, the root layout and the
// client runtime, with every static import), from the last `vite build`. The participant
// room has a budget: run with `--budget` to fail when it is over 150 KB.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const web = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const output = path.join(web, '.svelte-kit/output/client');
const manifest = JSON.parse(readFileSync(path.join(output, '.vite/manifest.json'), 'utf8'));
const app = readFileSync(path.join(web, '.svelte-kit/generated/client-optimized/app.js'), 'utf8');
const dictionary = Object.fromEntries(
  [...app.matchAll(/"([^"]+)":\s*\[(-?\d+)/g)].map(([, route, node]) => [route, Math.abs(Number(node))])
);

const PARTICIPANT_ROUTE = '/w/[workshopId]/r/[roomId]';
const BUDGET_BYTES = 150 * 1024;

/** Every file a manifest entry loads before it runs (itself and its static imports). */
function staticClosure(keys) {
  const files = new Set();
  const visit = (key) => {
    const entry = manifest[key];
    if (!entry || files.has(entry.file)) return;
    files.add(entry.file);
    for (const imported of entry.imports ?? []) visit(imported);
  };
  keys.forEach(visit);
  return files;
}

const entryKeys = Object.keys(manifest).filter((key) => manifest[key].isEntry && !key.includes('/nodes/'));
const nodeKey = (index) => Object.keys(manifest).find((key) => key.endsWith(`/nodes/${index}.js`));

let overBudget = false;
for (const [route, node] of Object.entries(dictionary)) {
  const files = staticClosure([...entryKeys, nodeKey(0), nodeKey(node)]);
  let gzip = 0;
  for (const file of files) gzip += gzipSync(readFileSync(path.join(output, file)), { level: 9 }).length;
  const kb = (gzip / 1024).toFixed(1);
  const flag = route === PARTICIPANT_ROUTE ? (gzip > BUDGET_BYTES ? '  OVER BUDGET (150 KB)' : '  (budget 150 KB)') : '';
  if (route === PARTICIPANT_ROUTE && gzip > BUDGET_BYTES) overBudget = true;
  console.log(`${route.padEnd(32)} ${kb.padStart(7)} KB gzip in ${files.size} files${flag}`);
}
if (overBudget && process.argv.includes('--budget')) process.exit(1);
