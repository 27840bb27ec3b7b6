import type { FindingRecord } from '../findings/types.js';
import type { ContextFileEntry, RunResult } from '../run/types.js';

/** What the report reads of a run record: the same fields locally and in the cloud (no output text). */
export type ReportRun = Pick<
  RunResult,
  'runId' | 'worker' | 'target' | 'mode' | 'status' | 'startedAt' | 'finishedAt' | 'durationMs' | 'tokens' | 'costUsd' | 'model' | 'violations' | 'findingSummary' | 'error'
> & {
  /** Only the file list of the run's context is read. */
  readonly context?: { readonly files: readonly Pick<ContextFileEntry, 'path' | 'chars' | 'truncated'>[] };
};

/**
 * One file shown to the model, as the latest review of it. Built from the runs'
 * `context` entries today; the review ledger (issue 18) fills the same shape
 * with its content hash, commit and line ranges, and then wins over the runs.
 */
export interface ReviewedFile {
  readonly target: string;
  readonly worker: string;
  /** Repository-relative path, forward slashes. */
  readonly path: string;
  readonly lastShownAt: string;
  readonly runId: string;
  /** Characters of the file the model saw in that review. */
  readonly chars: number;
  /** False when only part of the file went in (its head, or regions). */
  readonly whole: boolean;
  readonly contentHash?: string;
  readonly commit?: string;
}

/** Where the coverage section's data came from, said in the report. */
export interface ReviewCoverageInput {
  readonly source: 'run-context' | 'ledger';
  readonly files: readonly ReviewedFile[];
}

/** Everything the report shows; the builder is a pure function of it. */
export interface ReportInput {
  /** Shown in the title: the repository or the cloud stack and target. */
  readonly title: string;
  /** Where the data came from, in words (a state folder, a stack). */
  readonly source: string;
  readonly generatedAt: Date;
  readonly runs: readonly ReportRun[];
  /** Tracked findings of every (target, worker), suppressions applied as of `generatedAt`. */
  readonly findings: readonly FindingRecord[];
  /** Default: derived from `runs` (see reviewCoverageFromRuns). */
  readonly coverage?: ReviewCoverageInput;
  /** Files per directory from the latest map run (see mapDirectoriesOf), so coverage can say "3 of 40". */
  readonly repositoryDirectories?: readonly { readonly path: string; readonly files: number }[];
}
