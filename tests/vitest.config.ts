import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['unit/**/*.test.ts', 'integration/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Integration files each start their own servers on port 0, so files may run side by side.
    pool: 'forks',
    reporters: ['default']
  }
});
