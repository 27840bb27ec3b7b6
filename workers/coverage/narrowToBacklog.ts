import type { HeadlessWorkerDefinition } from '../catalog/types.js';
import type { ScanScope } from '../engine/scanScope.js';
import { nextBacklogSlice, orderBacklog } from './orderBacklog.js';
import { reviewCandidates } from './reviewCandidates.js';
import type { ReviewLedger } from './types.js';

/**
 * Turns an incremental scan into a step through the review backlog: instead of
 * only the files git says changed, the run takes the files changed since the
 * model last saw them, then the never-reviewed ones by relevance, as many as
 * the context budget holds. With nothing due, the slice is empty and the run
 * is SKIPPED with no model call, as an unchanged incremental scan is. Full
 * scans (first run, baseline due, `--full`) are left as decided: they rank the
 * whole repository, and the ledger records what they showed.
 *
 * @example const scope = await narrowToBacklog(decided, { def, target, repoDir, stateDir, ledger });
 */
export async function narrowToBacklog(
  scope: ScanScope,
  options: { readonly def: HeadlessWorkerDefinition; readonly target: string; readonly repoDir: string; readonly stateDir: string; readonly ledger: ReviewLedger },
): Promise<ScanScope> {
  if (scope.kind !== 'incremental') return scope;
  const [candidates, reviews] = await Promise.all([reviewCandidates(options.def, options.repoDir, options.stateDir), options.ledger.read(options.target, options.def.type)]);
  const backlog = orderBacklog(candidates.ranked, reviews);
  const slice = nextBacklogSlice(backlog, options.def.contextBudgetChars);
  const changed = slice.filter((item) => item.state === 'changed').length;
  const due = backlog.items.filter((item) => item.state !== 'reviewed').length;
  const { unchangedByContent: _unchanged, ...rest } = scope;
  return {
    ...rest,
    // The record's count stays git's (changed since the base) when there is any; 0 means nothing is due (SKIPPED).
    changedFiles: slice.length === 0 ? 0 : scope.changedFiles || slice.length,
    reason: `review backlog: ${changed} changed since review and ${slice.length - changed} never reviewed taken, ${due - slice.length} still due of ${candidates.ranked.length} relevant file(s)`,
    onlyFiles: new Set(slice.map((item) => item.path)),
  };
}
