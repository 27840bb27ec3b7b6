import { afterEach, beforeEach } from 'vitest';
import { createClaudeTestBed, type ClaudeTestBed } from './claudeTestBed.js';
import type { FakeModelServer } from './types.js';

/** The bed of the running test, and the fake model server it started (closed after the test). */
export interface ClaudeTestBedSlot {
  readonly bed: ClaudeTestBed;
  server: FakeModelServer | undefined;
}

/**
 * Registers the usual lifecycle of a file of real-CLI tests: a fresh test bed
 * before each test (then `prepare`, e.g. `git init`), and after it the fake
 * model server the test put in `server` closed and the bed removed.
 *
 * @example
 * const t = useClaudeTestBed(VULNERABLE_APP);
 * it('…', async () => { t.server = await startFakeModelServer({ reply }); … t.bed.workspace … });
 */
export function useClaudeTestBed(files: Record<string, string> = {}, prepare?: (bed: ClaudeTestBed) => unknown): ClaudeTestBedSlot {
  let bed: ClaudeTestBed | undefined;
  const slot = {
    server: undefined as FakeModelServer | undefined,
    get bed(): ClaudeTestBed {
      if (!bed) throw new Error('the test bed exists only inside a test');
      return bed;
    },
  };
  beforeEach(async () => {
    bed = await createClaudeTestBed(files);
    await prepare?.(bed);
  });
  afterEach(async () => {
    await slot.server?.close();
    slot.server = undefined;
    await bed?.cleanup();
    bed = undefined;
  });
  return slot;
}
