import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = path.dirname(fileURLToPath(import.meta.url));
const script = path.join(here, 'support/guarded-process.ts');

/** Runs the guarded child to the end and returns its exit code and what it printed. */
function run(how: string) {
  const child = spawnSync(process.execPath, ['--import', 'tsx', script, how], { cwd: here, encoding: 'utf8', timeout: 15_000 });
  return { code: child.status, output: child.stdout + child.stderr };
}

describe('process guards', () => {
  it('an I/O error that escapes a request is logged and the process keeps serving', () => {
    const { code, output } = run('io');
    expect(output).toContain('logged: an I/O error (ENOENT in open) escaped a request; carrying on');
    expect(output).toContain('still serving');
    expect(code).toBe(0);
  });

  it('a rejected promise nobody awaited is logged and the process keeps serving', () => {
    const { code, output } = run('rejection');
    expect(output).toContain('logged: a promise failed and nothing handled it');
    expect(output).toContain('still serving');
    expect(code).toBe(0);
  });

  it('any other uncaught exception is logged and shuts the server down (saving first) with code 1', () => {
    const { code, output } = run('bug');
    expect(output).toContain('logged: an unexpected error escaped');
    expect(output).toContain('shutting down: uncaught exception');
    expect(output).not.toContain('still serving');
    expect(code).toBe(1);
  });
});
