import { test as base } from '@playwright/test';
import type { Person } from './goldthread';
import { startServer, type RunningServer } from './server';

export { expect } from '@playwright/test';

interface GoldthreadFixtures {
  /** The people a test opened a browser for: each one's context is closed after the test, passed or failed. */
  people: Person[];
}

/** Playwright's `test` with Goldthread's fixtures; specs import `test` and `expect` from here. */
export const test = base.extend<GoldthreadFixtures>({
  // Playwright reads which fixtures a fixture needs from this pattern: `people` needs none.
  people: async ({}, use) => {
    const people: Person[] = [];
    await use(people);
    const closed = await Promise.allSettled(people.map((person) => person.context.close()));
    const failed = closed.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failed) throw failed.reason;
  }
});

/**
 * The Goldthread server of the spec file that calls this, once, at its top level: started before
 * the file's first test and disposed after its last. Playwright has no file-scoped fixtures, and a
 * worker-scoped one would share a server between the files a worker runs, so this registers the
 * file's own `beforeAll`/`afterAll`. The handle stays valid across `restart()`.
 */
export function serverForThisFile(): RunningServer {
  let current: RunningServer | undefined;
  const running = (): RunningServer => {
    if (!current) throw new Error('The spec file’s server starts in beforeAll: use it inside a test or hook.');
    return current;
  };
  const handle: RunningServer = {
    get url() {
      return running().url;
    },
    get port() {
      return running().port;
    },
    get dataDir() {
      return running().dataDir;
    },
    output: () => running().output(),
    stop: () => running().stop(),
    kill: () => running().kill(),
    async restart() {
      current = await running().restart();
      return handle;
    },
    dispose: () => running().dispose()
  };

  test.beforeAll(async () => {
    current = await startServer();
  });
  test.afterAll(async () => {
    await current?.dispose();
  });
  return handle;
}
