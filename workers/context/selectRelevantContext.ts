import path from 'node:path';
import { hasGeneratedMarker, readTextHeadSync, resolveInsideRepository, type RepoFile } from '../files/index.js';
import type { ContextExclusion, ContextFileEntry, ExclusionReason } from '../run/types.js';
import { DEFAULT_COMPACT_FILE_CHARS, DEFAULT_COMPACT_SHARE, DEFAULT_REGION_SHARE, DEFAULT_SMALL_FILE_CHARS, DEFAULT_TIGHT_SHARE, DEFAULT_TRUST_SHARE, DEFAULT_WHOLE_FILE_CHARS, DEFAULT_WHOLE_WHEN_COVERED } from './constants.js';
import { decidesTrustByName } from './decidesTrustByName.js';
import { cutRegions, splitLines, type WeightedLine } from './cutRegions.js';
import type { FileRelevance } from './fileRelevance.js';
import type { SignalLine } from './relevanceSignals.js';
import { redactKeepingLines } from './redactKeepingLines.js';
import { cutAtLineBoundary, ENTRY_SEPARATOR, fileHeader, normalizeContent, regionHeader } from './renderContext.js';

export interface SelectRelevantOptions {
  readonly repoDir: string;
  readonly realRoot: string;
  /** Characters of the final text, separators and headers included. */
  readonly available: number;
  readonly maxFileChars: number;
  readonly maxFileBytes: number;
  readonly minTruncatedChars: number;
  readonly relevance: ReadonlyMap<string, FileRelevance>;
}

export interface SelectedContext {
  readonly text: string;
  readonly included: ContextFileEntry[];
  readonly excluded: ContextExclusion[];
  readonly redactions: number;
}

interface Entry {
  /** Blocks (a header and its lines), joined by the entry separator in the final text. */
  readonly blocks: readonly string[];
  readonly contentChars: number;
  readonly truncated: boolean;
}

interface Loaded {
  readonly text: string;
  readonly redactions: number;
  readonly totalLines: number;
}

/**
 * Fills the budget for the `security` ranking, in passes over the ranked
 * files. 1. Tight: production files in rank order get every sink and entry
 * line with a line either side (small files, or files those lines nearly
 * cover, go whole), up to `DEFAULT_TIGHT_SHARE` of the budget. 2. Small files
 * named for trust (roles, security questions, policies) go whole, within
 * `DEFAULT_TRUST_SHARE`. 3. Compact: the production files not reached yet get
 * their strongest lines, so the budget reaches many of them (to
 * `DEFAULT_COMPACT_SHARE`). 4. Wide: relevant files in rank order go whole up
 * to `DEFAULT_WHOLE_FILE_CHARS`, else as wider regions around every relevant
 * line, weak ones too. 5. Relevant files still missing (tests, docs...) get a
 * compact view. 6. Files without signals get heads as the other rankings give
 * them. The text lists files in rank order; every region keeps its real line
 * numbers; whatever does not fit is returned as a `budget` exclusion.
 *
 * @example const selected = selectRelevantContext(ranked, { repoDir, realRoot, available: 120_000, ... });
 */
export function selectRelevantContext(ranked: readonly RepoFile[], options: SelectRelevantOptions): SelectedContext {
  const { relevance, available } = options;
  const entries = new Map<string, Entry>();
  const excluded = new Map<string, ExclusionReason>();
  const loaded = new Map<string, Loaded>();
  const redactionsOf = new Map<string, number>();
  let used = 0;
  const cost = (entry: Entry | undefined): number => (entry ? entry.blocks.reduce((n, block) => n + block.length + ENTRY_SEPARATOR.length, 0) : 0);

  const load = (file: RepoFile): Loaded | ExclusionReason => {
    const cached = loaded.get(file.path);
    if (cached) return cached;
    if (file.size > options.maxFileBytes) return 'too-large';
    const where = resolveInsideRepository(options.realRoot, file.path);
    if (where !== 'inside') return where === 'outside' ? 'outside-repository' : 'unreadable';
    const read = readTextHeadSync(path.join(options.repoDir, file.path), options.maxFileBytes);
    if (read.kind === 'binary') return 'binary';
    if (read.kind === 'unreadable') return read.reason === 'not a regular file' ? 'not-a-regular-file' : read.reason === 'ELOOP' ? 'symlink' : 'unreadable';
    if (hasGeneratedMarker(read.text.slice(0, 4096))) return 'generated';
    const raw = read.truncated ? read.text.slice(0, read.text.lastIndexOf('\n') + 1) : read.text;
    const redacted = redactKeepingLines(normalizeContent(raw), file.path);
    const result = { text: redacted.text, redactions: redacted.count, totalLines: splitLines(redacted.text).length };
    // Only relevant files are read twice (compact, then wide): keep those, drop the rest.
    if ((relevance.get(file.path)?.lines.length ?? 0) > 0) loaded.set(file.path, result);
    return result;
  };

  const place = (file: RepoFile, make: (content: Loaded, room: number) => Entry | null): void => {
    const previous = entries.get(file.path);
    const room = available - used + cost(previous);
    if (room < file.path.length + 16) return;
    const content = load(file);
    if (typeof content === 'string') {
      excluded.set(file.path, content);
      return;
    }
    const entry = make(content, room);
    if (!entry || cost(entry) > room || cost(entry) <= cost(previous)) return;
    used += cost(entry) - cost(previous);
    entries.set(file.path, entry);
    redactionsOf.set(file.path, content.redactions);
  };

  const relevant = ranked.filter((file) => (relevance.get(file.path)?.lines.length ?? 0) > 0);
  const isRelevant = new Set(relevant.map((file) => file.path));
  // Tests, examples, docs and translations (a later tier) wait until production code has had its share.
  const production = relevant.filter((file) => relevance.get(file.path)!.tier === 0);
  const fileCap = Math.floor(available * DEFAULT_REGION_SHARE);
  const linesOf = (file: RepoFile): readonly SignalLine[] => relevance.get(file.path)!.lines;
  const compact = (file: RepoFile): void => {
    place(file, (content, room) => {
      if (content.text.length <= DEFAULT_SMALL_FILE_CHARS) return wholeEntry(file.path, content, room);
      return regionsEntry(file.path, content, strongest(linesOf(file)), Math.min(room, DEFAULT_COMPACT_FILE_CHARS), 1);
    });
  };
  // 1. Tight: production files in rank order, every sink and entry line with a line either side (the file
  //    whole when that is nearly all of it), so the regions of the most relevant files come first.
  for (const file of production) {
    if (used >= available * DEFAULT_TIGHT_SHARE) break;
    place(file, (content, room) => {
      const cap = Math.min(room, fileCap);
      if (content.text.length <= DEFAULT_SMALL_FILE_CHARS) return wholeEntry(file.path, content, cap);
      const tight = regionsEntry(file.path, content, strongest(linesOf(file)), cap, 1, SINK_WEIGHT);
      const whole = wholeEntry(file.path, content, cap);
      return whole && (!tight || cost(tight) >= DEFAULT_WHOLE_WHEN_COVERED * cost(whole)) ? whole : tight;
    });
  }
  // 2. Small files named for trust (roles, security questions, policies), whole, smallest first, within a
  //    small share: they hold rules even when no line looks like code.
  const trustStart = used;
  const trustFiles = ranked
    .filter((file) => !entries.has(file.path) && file.size <= DEFAULT_SMALL_FILE_CHARS && (relevance.get(file.path)?.tier ?? 1) <= 1 && decidesTrustByName(file.path))
    .sort((a, b) => a.size - b.size);
  for (const file of trustFiles) {
    if (used - trustStart + file.size > available * DEFAULT_TRUST_SHARE) break;
    place(file, (content, room) => wholeEntry(file.path, content, room));
  }
  // 3. Compact: the strongest lines of the relevant files the first pass did not reach, so the budget reaches many of them.
  for (const file of production) {
    if (used >= available * DEFAULT_COMPACT_SHARE) break;
    if (!entries.has(file.path)) compact(file);
  }
  // 4. Wide: in rank order, files whole when small enough, else wider regions around every relevant line, weaker ones too.
  for (const file of relevant) {
    place(file, (content, room) => {
      const cap = Math.min(room, fileCap);
      if (content.text.length <= DEFAULT_WHOLE_FILE_CHARS) return wholeEntry(file.path, content, cap) ?? regionsEntry(file.path, content, linesOf(file), cap, 3);
      return regionsEntry(file.path, content, linesOf(file), cap, 3);
    });
  }
  // 5. Compact again: relevant files no pass reached, while room is left.
  for (const file of relevant) if (!entries.has(file.path)) compact(file);
  // 6. The rest, as heads.
  for (const file of ranked) {
    if (entries.has(file.path) || excluded.has(file.path) || isRelevant.has(file.path)) continue;
    place(file, (content, room) => headEntry(file.path, content, Math.min(room, options.maxFileChars + fileHeader(file.path, true).length + 1), options.minTruncatedChars));
  }

  const included: ContextFileEntry[] = [];
  const blocks: string[] = [];
  const reasons: ContextExclusion[] = [];
  for (const file of ranked) {
    const entry = entries.get(file.path);
    if (entry) {
      blocks.push(...entry.blocks);
      included.push({ path: file.path, chars: entry.contentChars, truncated: entry.truncated, redactions: redactionsOf.get(file.path) ?? 0 });
    } else reasons.push({ path: file.path, reason: excluded.get(file.path) ?? 'budget' });
  }
  const redactions = included.reduce((n, entry) => n + entry.redactions, 0);
  return { text: blocks.join(ENTRY_SEPARATOR), included, excluded: reasons, redactions };
}

/** Lines at least this heavy (sinks, built queries, local hits) keep a line of context either side in tight views; entry points and request input go alone. */
const SINK_WEIGHT = 3;

/** Sink and entry lines (weight 2 and up), or the strongest lines of a file that has none. */
function strongest(lines: readonly SignalLine[]): readonly SignalLine[] {
  const top = Math.max(...lines.map((line) => line.weight));
  return lines.filter((line) => line.weight >= Math.min(top, 2));
}

function wholeEntry(filePath: string, content: Loaded, room: number): Entry | null {
  const block = `${fileHeader(filePath, false)}${content.text}`;
  return block.length + ENTRY_SEPARATOR.length <= room ? { blocks: [block], contentChars: content.text.length, truncated: false } : null;
}

function regionsEntry(filePath: string, content: Loaded, lines: readonly WeightedLine[], room: number, around: number, narrowBelow = 0): Entry | null {
  const perRegionChars = regionHeader(filePath, content.totalLines, content.totalLines, content.totalLines).length + ENTRY_SEPARATOR.length;
  const regions = cutRegions(content.text, lines, room, { before: around, after: around, perRegionChars, narrowBelow });
  if (regions.length === 0) return null;
  const whole = regions.length === 1 && regions[0]!.startLine === 1 && regions[0]!.endLine === content.totalLines;
  if (whole) return { blocks: [`${fileHeader(filePath, false)}${content.text}`], contentChars: content.text.length, truncated: false };
  return {
    blocks: regions.map((region) => `${regionHeader(filePath, region.startLine, region.endLine, content.totalLines)}${region.text}`),
    contentChars: regions.reduce((n, region) => n + region.text.length, 0),
    truncated: true,
  };
}

function headEntry(filePath: string, content: Loaded, room: number, minTruncatedChars: number): Entry | null {
  const whole = wholeEntry(filePath, content, room);
  if (whole) return whole;
  const header = fileHeader(filePath, true);
  const head = cutAtLineBoundary(content.text, room - header.length - ENTRY_SEPARATOR.length);
  if (head.length === 0 || head.length < Math.min(minTruncatedChars, content.text.length)) return null;
  return { blocks: [`${header}${head}`], contentChars: head.length, truncated: true };
}
