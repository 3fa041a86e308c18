import { fileURLToPath } from 'node:url';
import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, resolveChromium } from './support/chromium';

// Screenshots and traces of failures land in tests/artifacts (git-ignored).
const artifacts = fileURLToPath(new URL('../artifacts', import.meta.url));

export default defineConfig({
  testDir: '.',
  testMatch: '**/*.spec.ts',
  // Each spec starts its own server; one at a time keeps a 2-core machine calm.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: 'list',
  outputDir: artifacts,
  timeout: 120_000,
  expect: { timeout: 10_000 },
  use: {
    browserName: 'chromium',
    headless: true,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    actionTimeout: 10_000,
    navigationTimeout: 20_000,
    launchOptions: { executablePath: resolveChromium(), args: CHROMIUM_ARGS }
  }
});
