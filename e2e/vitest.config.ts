import { defineConfig } from 'vitest/config';

/** Browser tests: each file its own server on a copy of the demo, real Chromium, one file at a time (2 cores). */
export default defineConfig({
  test: {
    include: ['tests/**/*.e2e.ts'],
    globalSetup: ['setup/server.ts'],
    setupFiles: ['setup/per-file.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    pool: 'forks',
  },
});
