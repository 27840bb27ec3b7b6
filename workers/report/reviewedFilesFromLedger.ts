import type { ReviewEntry } from '../coverage/types.js';
import type { ReviewCoverageInput, ReviewedFile } from './types.js';

/**
 * The report's coverage from the review ledgers of some (target, worker)s:
 * when a ledger exists it wins over the runs' context entries (it also knows
 * each file's content hash and commit). Pass what `ReviewLedger.read` returns.
 *
 * @example reviewedFilesFromLedger([{ target: 'api', worker: 'audit', entries: await ledger.read('api', 'audit') }])
 */
export function reviewedFilesFromLedger(ledgers: readonly { target: string; worker: string; entries: Iterable<ReviewEntry> | ReadonlyMap<string, ReviewEntry> }[]): ReviewCoverageInput {
  const files: ReviewedFile[] = [];
  for (const { target, worker, entries } of ledgers) {
    const list = entries instanceof Map ? entries.values() : (entries as Iterable<ReviewEntry>);
    for (const entry of list) {
      files.push({
        target,
        worker,
        path: entry.path,
        lastShownAt: entry.reviewedAt,
        runId: entry.runId,
        chars: entry.chars,
        whole: entry.whole,
        contentHash: entry.hash,
        ...(entry.commit ? { commit: entry.commit } : {}),
      });
    }
  }
  return { source: 'ledger', files };
}
