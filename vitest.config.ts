import { defineConfig } from 'vitest/config';
import { TEST_STATE_ROOT } from './test/stateRootSetup.js';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Real processes (Claude Code, moto) share two cores, but most tests wait on them and on
    // backoff sleeps: three files at a time keeps the suite near four minutes without starving them.
    maxWorkers: 3,
    allowOnly: false,
    // State lives outside the repository, by default under the user's home: tests keep theirs in a temp root.
    env: { HW_STATE_DIR: TEST_STATE_ROOT },
    globalSetup: ['./test/stateRootSetup.ts'],
    reporters: ['default', './test/summaryReporter.ts'],
  },
});
