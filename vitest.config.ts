import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Real processes (Claude Code, moto) share two cores: keep parallelism modest.
    maxWorkers: 2,
    allowOnly: false,
    reporters: ['default', './test/summaryReporter.ts'],
  },
});
