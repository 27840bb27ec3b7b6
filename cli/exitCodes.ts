import type { RunResult } from '../workers/run/types.js';

/**
 * Exit codes of every command: scripts can rely on them.
 *
 * @example process.exitCode = EXIT.usage; // a flag, argument, config or input was wrong
 */
export const EXIT = {
  /** Done, including a run SKIPPED because nothing changed since the last one. */
  ok: 0,
  /** A run failed, timed out, was cancelled or skipped, its findings could not be tracked, or it found problems at or above `--fail-on`. */
  runFailed: 1,
  /** Bad flags, arguments, config or input: a plain message names it and the fix. */
  usage: 2,
} as const;

/**
 * True for a run that had nothing to do: an incremental scan found no file changed
 * since the last complete run (the only SKIPPED record that carries a scan). That is
 * done, not a failure: its findings were carried over as they are.
 *
 * @example isUpToDate({ status: 'SKIPPED', scan: { kind: 'incremental', changedFiles: 0 } }); // true
 */
export function isUpToDate(result: Pick<RunResult, 'status' | 'scan'>): boolean {
  return result.status === 'SKIPPED' && result.scan !== undefined;
}

/**
 * Exit code for a finished run: 0 when it succeeded (and its findings were tracked)
 * or had nothing to do; 1 otherwise. A SUCCEEDED record with an `error` is a run
 * whose bookkeeping failed (e.g. a corrupt findings store): not done.
 *
 * @example exitCodeOf(result); // 0 | 1
 */
export function exitCodeOf(result: Pick<RunResult, 'status' | 'scan' | 'error'>): number {
  if (result.status === 'SUCCEEDED') return result.error ? EXIT.runFailed : EXIT.ok;
  return isUpToDate(result) ? EXIT.ok : EXIT.runFailed;
}
