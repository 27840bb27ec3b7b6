import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/**
 * The folder every test's default state folders go under (`HW_STATE_DIR`),
 * one per test run: the product keeps state outside the repository, in the
 * user's home by default, and tests must not leave it there.
 */
export const TEST_STATE_ROOT = path.join(os.tmpdir(), `hw-test-state-${process.pid}`);

/** vitest global setup: nothing to prepare (folders are made on demand); removes the root after the run. */
export default function setup(): () => Promise<void> {
  return () => rm(TEST_STATE_ROOT, { recursive: true, force: true });
}
