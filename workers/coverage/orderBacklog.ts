import type { ReviewEntry } from './types.js';

/** A relevant file as the backlog sees it: its rank order is the order of the input. */
export interface BacklogCandidate {
  readonly path: string;
  /** Characters (bytes) of the file: what it costs to show it whole. */
  readonly chars: number;
  /** Current content hash, or null when it cannot be hashed (too large, binary, gone). */
  readonly hash: string | null;
}

export type BacklogState = 'changed' | 'never' | 'reviewed';

export interface BacklogItem extends BacklogCandidate {
  readonly state: BacklogState;
  readonly review?: ReviewEntry;
}

export interface Backlog {
  /** Changed since review (rank order), then never reviewed (rank order), then reviewed (oldest review first). */
  readonly items: readonly BacklogItem[];
  /** True when every candidate was reviewed and none changed since: a scheduled run has nothing to send. */
  readonly allReviewed: boolean;
}

/**
 * Orders the relevant files (given ranked by relevance) for the next run: files
 * changed since the model last saw them first, then files never shown, by
 * relevance, then the oldest reviews. A file whose hash is unknown counts as
 * changed when it was reviewed (its content cannot be vouched for).
 *
 * @example orderBacklog(ranked, await ledger.read('api', 'audit')).items[0]
 */
export function orderBacklog(ranked: readonly BacklogCandidate[], ledger: ReadonlyMap<string, ReviewEntry>): Backlog {
  const changed: BacklogItem[] = [];
  const never: BacklogItem[] = [];
  const reviewed: BacklogItem[] = [];
  for (const candidate of ranked) {
    const review = ledger.get(candidate.path);
    if (!review) never.push({ ...candidate, state: 'never' });
    else if (candidate.hash === null || candidate.hash !== review.hash) changed.push({ ...candidate, state: 'changed', review });
    else reviewed.push({ ...candidate, state: 'reviewed', review });
  }
  // Stable: equal times keep rank order.
  reviewed.sort((a, b) => Date.parse(a.review!.reviewedAt) - Date.parse(b.review!.reviewedAt));
  return { items: [...changed, ...never, ...reviewed], allReviewed: changed.length === 0 && never.length === 0 };
}

/** Characters a file's header and separator add in the context (`==> path <==`, newlines). */
const ENTRY_OVERHEAD_CHARS = 16;

/**
 * The files due in the next run: changed and never-reviewed ones in backlog
 * order while their whole text fits `budgetChars` (the first due file always
 * goes, even when larger: the context shows what fits of it). Reviewed,
 * unchanged files are not due; they are re-sent only by a full scan.
 */
export function nextBacklogSlice(backlog: Backlog, budgetChars: number): BacklogItem[] {
  const slice: BacklogItem[] = [];
  let used = 0;
  for (const item of backlog.items) {
    if (item.state === 'reviewed') break;
    const cost = item.chars + item.path.length + ENTRY_OVERHEAD_CHARS;
    if (slice.length > 0 && used + cost > budgetChars) continue;
    slice.push(item);
    used += cost;
  }
  return slice;
}
