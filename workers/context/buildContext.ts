import { realpathSync } from 'node:fs';
import path from 'node:path';
import {
  compareStrings,
  hasGeneratedMarker,
  isRepositoryRelativePath,
  listRepositoryFiles,
  readTextHeadSync,
  resolveInsideRepository,
  type RepoFile,
  type SkippedFile,
} from '../files/index.js';
import type { ContextExclusion, ContextFileEntry, ExclusionReason } from '../run/types.js';
import { redactSecrets } from '../secrets/index.js';
import {
  DEFAULT_FILE_LIST_CAP,
  DEFAULT_MAX_EXCLUSIONS,
  DEFAULT_MAX_FILE_BYTES,
  DEFAULT_MAX_FILE_SHARE,
  DEFAULT_MIN_TRUNCATED_CHARS,
  REDACTION_READ_SLACK_BYTES,
} from './constants.js';
import { compactFileList } from './compactFileList.js';
import { indexServes } from './fileIndex.js';
import { readGitRecency } from './gitRecency.js';
import { rankFiles } from './rankFiles.js';
import { scoreCandidates } from './scoreCandidates.js';
import { selectRelevantContext } from './selectRelevantContext.js';
import { cutAtLineBoundary, ENTRY_SEPARATOR, fileHeader, normalizeContent, renderEntry } from './renderContext.js';
import type { BuildContextOptions, ContextBuildResult } from './types.js';

/** `==> ` + ` <==` + newline: a header's length beyond its path, which escaping only lengthens. */
const MIN_HEADER_EXTRA_CHARS = fileHeader('', false).length;

/** A UTF-16 character takes at most 3 UTF-8 bytes, so this many bytes per character always fills the room. */
const MAX_BYTES_PER_CHAR = 3;

interface Candidates {
  readonly files: readonly RepoFile[];
  readonly skipped: readonly SkippedFile[];
  readonly recency: ReadonlyMap<string, number>;
}

/**
 * Builds the text of a prompt's {{context}}: candidate files in rank order,
 * each as `==> path <==` and its redacted content, until the budget (in
 * characters of the final text, headers included) is full. Only what can fit
 * is read, and at most a bounded head of each file, so memory does not grow
 * with the repository beyond its listing. Secrets are redacted before a file
 * is measured. The same tree always gives the same text: ordering uses paths
 * and git commit times, never file mtimes.
 *
 * @example
 * const context = await buildContext({ repoDir: '/work/api', patterns: ['src/**'], budgetChars: 60_000, ranking: 'source-first' });
 * prompt.replace('{{context}}', context.text).replace('{{fileList}}', context.fileList.join('\n'));
 */
export async function buildContext(options: BuildContextOptions): Promise<ContextBuildResult> {
  validateOptions(options);
  const repoDir = path.resolve(options.repoDir);
  const available = Math.max(0, options.budgetChars - (options.reservedChars ?? 0));
  const maxFileChars = options.maxFileChars ?? Math.floor(available * DEFAULT_MAX_FILE_SHARE);
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const minTruncatedChars = options.minTruncatedChars ?? DEFAULT_MIN_TRUNCATED_CHARS;

  const candidates = await loadCandidates(repoDir, options);
  // A security question needs production files by name; tests, docs and translations are counted by folder.
  const listFiles = (paths: string[]): string[] => (options.ranking === 'security' ? compactFileList(paths) : paths.sort(compareStrings));
  // Every file read must really be under the root: a linked directory on the way, or a path from a stored index, may lead out.
  const realRoot = realpathOrSelf(repoDir);
  const strategy = options.ranking ?? 'default';
  // The security ranking reads content: entry points, sinks and the local analysis's hits decide the order and the regions.
  const relevance = strategy === 'security' ? scoreCandidates(candidates.files, { repoDir, realRoot, localHits: options.localHits, maxFileBytes }) : undefined;
  const ranked = rankFiles(candidates.files, { strategy, recency: candidates.recency, relevance });
  if (relevance) {
    const selected = selectRelevantContext(ranked.filter((file) => isRepositoryRelativePath(file.path)), { repoDir, realRoot, available, maxFileChars, maxFileBytes, minTruncatedChars, relevance });
    return finish(selected.text, selected.included, [...candidates.skipped, ...selected.excluded], selected.redactions);
  }

  const parts: string[] = [];
  const included: ContextFileEntry[] = [];
  const excluded: ContextExclusion[] = [...candidates.skipped];
  let used = 0;
  let redactions = 0;
  for (const file of ranked) {
    if (file.size > maxFileBytes) {
      excluded.push({ path: file.path, reason: 'too-large' });
      continue;
    }
    const isFirst = parts.length === 0;
    const separatorChars = isFirst ? 0 : ENTRY_SEPARATOR.length;
    const remaining = available - used - separatorChars;
    // A header is at least the path plus 9 characters: once that does not fit, no header is built.
    if (remaining < file.path.length + MIN_HEADER_EXTRA_CHARS) {
      excluded.push({ path: file.path, reason: 'budget' });
      continue;
    }
    const wholeRoom = Math.min(remaining - fileHeader(file.path, false).length, maxFileChars);
    const truncatedRoom = Math.min(remaining - fileHeader(file.path, true).length, maxFileChars);
    // Not opened unless a useful head, or the whole (small) file, could still fit.
    if (wholeRoom < 0 || (truncatedRoom < minTruncatedChars && file.size > wholeRoom)) {
      excluded.push({ path: file.path, reason: 'budget' });
      continue;
    }
    const where = resolveInsideRepository(realRoot, file.path);
    if (where !== 'inside') {
      excluded.push({ path: file.path, reason: where === 'outside' ? 'outside-repository' : 'unreadable' });
      continue;
    }
    const head = readRedactedHead(path.join(repoDir, file.path), file, wholeRoom);
    if (head.kind !== 'text') {
      excluded.push({ path: file.path, reason: head.reason });
      continue;
    }
    const { content } = head;
    let entryContent = content;
    let truncated = false;
    if (head.truncated || content.length > wholeRoom) {
      entryContent = cutAtLineBoundary(content, truncatedRoom);
      truncated = true;
      if (entryContent.length === 0 || entryContent.length < Math.min(minTruncatedChars, content.length)) {
        excluded.push({ path: file.path, reason: 'budget' });
        continue;
      }
    }
    const entry = renderEntry(file.path, entryContent, truncated, isFirst);
    parts.push(entry);
    used += entry.length;
    redactions += head.redactions;
    included.push({ path: file.path, chars: entryContent.length, truncated, redactions: head.redactions });
  }

  return finish(parts.join(''), included, excluded, redactions);

  function finish(text: string, included: ContextFileEntry[], excluded: ContextExclusion[], redactions: number): ContextBuildResult {
  const { kept, omitted } = capExclusions(excluded, options.maxExclusions ?? DEFAULT_MAX_EXCLUSIONS);
  return {
    text,
    files: included,
    excluded: kept,
    excludedCounts: countByReason(excluded),
    budgetChars: options.budgetChars,
    usedChars: text.length,
    redactions,
    fileList: listFiles(ranked.slice(0, options.fileListCap ?? DEFAULT_FILE_LIST_CAP).map((file) => file.path)),
    candidateCount: ranked.length,
    excludedOmitted: omitted,
  };
  }
}

type RedactedHead =
  | {
      readonly kind: 'text';
      readonly content: string;
      /** The file goes on past what was read. */
      readonly truncated: boolean;
      readonly redactions: number;
      /** Characters read: as many as the bytes unless the text is multi-byte. */
      readonly readChars: number;
    }
  | { readonly kind: 'skipped'; readonly reason: ExclusionReason };

/**
 * The redacted, normalised head of a file with room for `wholeRoom`
 * characters. Most text takes one byte a character, so the room plus the
 * redaction slack is read first; only multi-byte text, whose characters then
 * fall short of that, is read again as far as the worst case (3 bytes a
 * character). Either way the redactor sees the slack past the room, and not
 * the rest of a big file that the entry would cut. A head whose first line
 * runs past the read (minified code) gives an empty entry, as the whole file
 * would: an entry is cut at a line boundary.
 */
function readRedactedHead(absolutePath: string, file: RepoFile, wholeRoom: number): RedactedHead {
  const worstCase = Math.min(file.size, wholeRoom * MAX_BYTES_PER_CHAR + REDACTION_READ_SLACK_BYTES);
  const likely = Math.min(worstCase, wholeRoom + REDACTION_READ_SLACK_BYTES);
  const head = redactedHead(absolutePath, file.path, likely);
  if (likely === worstCase || head.kind !== 'text' || !head.truncated) return head;
  return head.readChars >= likely ? head : redactedHead(absolutePath, file.path, worstCase);
}

function redactedHead(absolutePath: string, filePath: string, maxBytes: number): RedactedHead {
  // Synchronous: a few dozen bounded heads, each a few microseconds from the page cache.
  const read = readTextHeadSync(absolutePath, maxBytes);
  if (read.kind === 'binary') return { kind: 'skipped', reason: 'binary' };
  if (read.kind === 'unreadable') return { kind: 'skipped', reason: unreadableReason(read.reason) };
  if (hasGeneratedMarker(read.text)) return { kind: 'skipped', reason: 'generated' };
  // A partial last line may hold half a secret the redactor would not recognise: drop it first.
  const raw = read.truncated ? read.text.slice(0, read.text.lastIndexOf('\n') + 1) : read.text;
  const redacted = redactSecrets(raw, filePath);
  return { kind: 'text', content: normalizeContent(redacted.text), truncated: read.truncated, redactions: redacted.count, readChars: read.text.length };
}

function validateOptions(options: BuildContextOptions): void {
  const counts: [string, number | undefined][] = [
    ['budgetChars', options.budgetChars],
    ['reservedChars', options.reservedChars],
    ['maxFileChars', options.maxFileChars],
    ['maxFileBytes', options.maxFileBytes],
    ['minTruncatedChars', options.minTruncatedChars],
    ['fileListCap', options.fileListCap],
    ['maxExclusions', options.maxExclusions],
  ];
  for (const [name, value] of counts) {
    if (value !== undefined && !(Number.isSafeInteger(value) && value >= 0)) {
      throw new RangeError(`buildContext: ${name} must be a non-negative integer, got ${String(value)}`);
    }
  }
}

/** Why a read failed, as an exclusion: O_NOFOLLOW met a link (ELOOP), fstat met a FIFO or device, or the open failed. */
function unreadableReason(reason: string): ExclusionReason {
  if (reason === 'not a regular file') return 'not-a-regular-file';
  if (reason === 'ELOOP') return 'symlink';
  return 'unreadable';
}

function realpathOrSelf(dir: string): string {
  try {
    return realpathSync.native(dir);
  } catch {
    return dir;
  }
}

/** How many exclusions of each reason, before any cap: the record's count of what was not analysed. */
function countByReason(excluded: readonly ContextExclusion[]): Partial<Record<ExclusionReason, number>> {
  const counts: Partial<Record<ExclusionReason, number>> = {};
  for (const { reason } of excluded) counts[reason] = (counts[reason] ?? 0) + 1;
  return counts;
}

/**
 * The index when it describes this tree and these patterns; otherwise one
 * walk and one git call. A path of the index that does not name something
 * under the root by its letters (absolute, `..`) is never ranked or listed:
 * it becomes an `outside-repository` exclusion.
 */
async function loadCandidates(repoDir: string, options: BuildContextOptions): Promise<Candidates> {
  const { index } = options;
  if (index && indexServes(index, repoDir, options.patterns)) {
    const files = index.files.filter((file) => isRepositoryRelativePath(file.path));
    const outside = index.files.filter((file) => !isRepositoryRelativePath(file.path)).map((file) => ({ path: file.path, reason: 'outside-repository' as const }));
    const skipped = index.skipped.filter((entry) => isRepositoryRelativePath(entry.path) || entry.path === '.');
    return { files, skipped: [...skipped, ...outside], recency: new Map(Object.entries(index.recency)) };
  }
  // git first: its process runs while the listing, mostly synchronous, holds the thread.
  const [recency, listing] = await Promise.all([readGitRecency(repoDir), listRepositoryFiles(repoDir, { patterns: options.patterns })]);
  return { files: listing.files, skipped: listing.skipped, recency };
}

/**
 * Keeps at most `max` exclusions, dropping `budget` ones first (they are
 * implied by the budget) so the reasons worth reading survive; path order.
 */
function capExclusions(excluded: readonly ContextExclusion[], max: number): { kept: ContextExclusion[]; omitted: number } {
  const byPath = [...excluded].sort((a, b) => compareStrings(a.path, b.path));
  if (byPath.length <= max) return { kept: byPath, omitted: 0 };
  const informative = byPath.filter((entry) => entry.reason !== 'budget');
  const budget = byPath.filter((entry) => entry.reason === 'budget');
  const kept = [...informative, ...budget].slice(0, max).sort((a, b) => compareStrings(a.path, b.path));
  return { kept, omitted: byPath.length - kept.length };
}
