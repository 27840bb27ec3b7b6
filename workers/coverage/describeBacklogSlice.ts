import type { HeadlessWorkerDefinition } from '../catalog/types.js';
import { nextBacklogSlice, orderBacklog } from './orderBacklog.js';
import { reviewCandidates } from './reviewCandidates.js';
import type { ReviewLedger } from './types.js';

/**
 * One line for `run --dry-run`: which slice of the review backlog the next
 * incremental run takes (a full scan, e.g. the first run, ranks the whole
 * repository instead).
 *
 * @example await describeBacklogSlice({ def, target, repoDir, stateDir, ledger }) // → 'review backlog: next incremental run takes 4 file(s)…'
 */
export async function describeBacklogSlice(options: {
  readonly def: HeadlessWorkerDefinition;
  readonly target: string;
  readonly repoDir: string;
  readonly stateDir: string;
  readonly ledger: ReviewLedger;
}): Promise<string> {
  const [candidates, reviews] = await Promise.all([reviewCandidates(options.def, options.repoDir, options.stateDir), options.ledger.read(options.target, options.def.type)]);
  if (reviews.size === 0) return 'review backlog: nothing reviewed yet; the first run ranks the whole repository (see `coverage`)';
  const backlog = orderBacklog(candidates.ranked, reviews);
  const slice = nextBacklogSlice(backlog, options.def.contextBudgetChars);
  if (slice.length === 0) return `review backlog: all ${candidates.ranked.length} relevant file(s) reviewed and unchanged; an incremental run is SKIPPED`;
  const changed = slice.filter((item) => item.state === 'changed').length;
  const chars = slice.reduce((n, item) => n + item.chars, 0);
  const shown = slice.slice(0, 5).map((item) => item.path).join(', ');
  return `review backlog: next incremental run takes ${slice.length} file(s), ${chars} chars (${changed} changed since review, ${slice.length - changed} never reviewed): ${shown}${slice.length > 5 ? ', …' : ''}`;
}
