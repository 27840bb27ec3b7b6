import type { ExclusionReason } from '../../run/types.js';

/** Reasons that mean part of the tree could not be read (rather than was left out on purpose). */
export const UNREADABLE_REASONS: readonly ExclusionReason[] = ['unreadable', 'too-deep'];

/** What the files an analysis did not read amount to. */
export interface UnanalysedSummary {
  /** Files (and unwalked directories) not analysed, by reason. */
  readonly counts: Partial<Record<ExclusionReason, number>>;
  /** Set when part of the tree could not be read: one sentence naming the first paths. */
  readonly incomplete?: string;
  /** Set when nothing could be read although the tree has content: the run must fail. */
  readonly nothingRead?: string;
}

/**
 * Counts the entries an analysis left out by reason and says, in one
 * sentence, when part of the tree (or all of it) could not be read, so a run
 * never reports "no findings in 0 files" as a success.
 *
 * @example describeUnanalysed([{ path: 'secret', reason: 'unreadable' }], 3).incomplete // "1 path could not be read (unreadable: secret); files under it were not analysed"
 */
export function describeUnanalysed(entries: readonly { path: string; reason: ExclusionReason }[], filesRead: number): UnanalysedSummary {
  const counts: Partial<Record<ExclusionReason, number>> = {};
  for (const { reason } of entries) counts[reason] = (counts[reason] ?? 0) + 1;
  const unreadable = entries.filter((entry) => UNREADABLE_REASONS.includes(entry.reason));
  if (unreadable.length === 0) return { counts };
  const named = unreadable.slice(0, 3).map((entry) => `${entry.path === '.' ? 'the repository root' : entry.path} (${entry.reason})`).join(', ');
  const more = unreadable.length > 3 ? ` and ${unreadable.length - 3} more` : '';
  const sentence = `${unreadable.length} path${unreadable.length === 1 ? '' : 's'} could not be read: ${named}${more}; nothing under ${unreadable.length === 1 ? 'it' : 'them'} was analysed`;
  if (filesRead === 0) return { counts, incomplete: sentence, nothingRead: `could not read the repository: ${sentence}. Give the user running the analysis read access (e.g. chmod -R a+rX), then run again` };
  return { counts, incomplete: `${sentence}. Give the user running the analysis read access to see them` };
}
