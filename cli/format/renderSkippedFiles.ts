import type { BuiltContext, ExclusionReason } from '../../workers/run/types.js';
import { formatCount } from './humanize.js';
import { paint, type Terminal } from './terminal.js';

/** Reasons that mean a file could not be analysed (rather than was filtered on purpose): listed first, in yellow. */
const COULD_NOT_ANALYSE: readonly ExclusionReason[] = ['too-deep', 'unreadable', 'not-a-regular-file', 'too-large', 'outside-repository', 'symlink', 'binary'];

/**
 * One line counting the files a context left out, by reason, so nothing is
 * skipped without a word: `skipped: 1 too-deep, 2 not-a-regular-file, 4
 * gitignored (paths in --json)`. Budget cuts are left to the context line.
 * Null when nothing but the budget left files out.
 *
 * @example renderSkippedFiles(result.context, terminal)
 */
export function renderSkippedFiles(context: Pick<BuiltContext, 'excluded' | 'excludedCounts'>, terminal: Terminal): string | null {
  const counts = context.excludedCounts ?? countReasons(context.excluded);
  const reasons = (Object.keys(counts) as ExclusionReason[]).filter((reason) => reason !== 'budget' && (counts[reason] ?? 0) > 0);
  if (reasons.length === 0) return null;
  const rank = (reason: ExclusionReason): number => {
    const index = COULD_NOT_ANALYSE.indexOf(reason);
    return index === -1 ? COULD_NOT_ANALYSE.length : index;
  };
  reasons.sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : 1));
  const parts = reasons.map((reason) => `${formatCount(counts[reason] ?? 0)} ${reason}`);
  const line = `skipped: ${parts.join(', ')} (paths in --json)`;
  return reasons.some((reason) => COULD_NOT_ANALYSE.includes(reason)) ? paint(terminal, 'yellow', line) : line;
}

/** Counts of a record written before `excludedCounts` existed. */
function countReasons(excluded: BuiltContext['excluded']): Partial<Record<ExclusionReason, number>> {
  const counts: Partial<Record<ExclusionReason, number>> = {};
  for (const { reason } of excluded) counts[reason] = (counts[reason] ?? 0) + 1;
  return counts;
}
