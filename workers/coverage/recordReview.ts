import { contentHashOf } from '../engine/contentHashes.js';
import type { ExecutionOutcome } from '../engine/types.js';
import type { ReviewEntry, ReviewLedger } from './types.js';

/**
 * Records in the ledger what a successful headless run's context really
 * contained: each file's current hash (the run reads a scratch copy or the
 * tree as it is), the commit, whole or partial, the run and the time. A run
 * that did not succeed reviewed nothing.
 *
 * @example await recordReview(ledger, { outcome, target: 'api', worker: 'audit', runId, repoDir, now: new Date() });
 */
export async function recordReview(
  ledger: ReviewLedger,
  run: { readonly outcome: ExecutionOutcome; readonly target: string; readonly worker: string; readonly runId: string; readonly repoDir: string; readonly now: Date },
): Promise<void> {
  const { outcome } = run;
  if (outcome.mode !== 'headless' || outcome.status !== 'SUCCEEDED') return;
  const files = outcome.context?.files ?? [];
  const reviewedAt = run.now.toISOString();
  const commit = outcome.scan?.headCommit ?? null;
  const entries = await Promise.all(
    files.map(async (file): Promise<ReviewEntry | null> => {
      const hash = await contentHashOf(run.repoDir, file.path);
      return hash === null ? null : { path: file.path, hash, commit, whole: !file.truncated, chars: file.chars, runId: run.runId, reviewedAt };
    }),
  );
  await ledger.record(run.target, run.worker, entries.filter((entry): entry is ReviewEntry => entry !== null));
}
