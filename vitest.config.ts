import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Real processes (Claude Code, moto) share two cores, but most tests wait on them and on
    // backoff sleeps: three files at a time keeps the suite near four minutes without starving them.
    maxWorkers: 3,
    allowOnly: false,
    reporters: ['default', './test/summaryReporter.ts'],
  },
});
