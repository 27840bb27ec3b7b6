import path from 'node:path';
import { hasGeneratedMarker, readTextHeadSync, resolveInsideRepository, type RepoFile } from '../files/index.js';
import type { ContextExclusion, ContextFileEntry, ExclusionReason } from '../run/types.js';
import { DEFAULT_COMPACT_FILE_CHARS, DEFAULT_COMPACT_SHARE, DEFAULT_REGION_SHARE, DEFAULT_WHOLE_FILE_CHARS, DEFAULT_WIDE_SHARE } from './constants.js';
import { cutRegions, splitLines, type WeightedLine } from './cutRegions.js';
import type { FileRelevance } from './fileRelevance.js';
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
 * Fills the budget for the `security` ranking, in passes over the
 * ranked files. First every relevant file gets a compact view (whole when
 * small, otherwise the regions around its strongest lines), so the budget
 * reaches many relevant files (up to `DEFAULT_COMPACT_SHARE` of it); then, in rank order, relevant
 * files are widened (whole up to `DEFAULT_WHOLE_FILE_CHARS`, else regions
 * around all their relevant lines) while the budget allows; then compact
 * views of the relevant files still missing; last, files
 * without signals get heads as the other rankings give them. The text lists
 * files in rank order; every region keeps its real line numbers.
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
  const compact = (file: RepoFile): void => {
    const lines = relevance.get(file.path)!.lines;
    place(file, (content, room) => {
      if (content.text.length <= DEFAULT_COMPACT_FILE_CHARS) return wholeEntry(file.path, content, room);
      const strongest = Math.max(...lines.map((line) => line.weight));
      const strong = lines.filter((line) => line.weight >= Math.min(strongest, 2));
      return regionsEntry(file.path, content, strong, Math.min(room, DEFAULT_COMPACT_FILE_CHARS), 2);
    });
  };
  // 1. Compact: the most relevant files, within a share of the budget so the next pass can widen the best of them.
  for (const file of relevant) {
    if (used >= available * DEFAULT_COMPACT_SHARE) break;
    compact(file);
  }
  // 2. Wide: relevant files in rank order, whole when small enough, else more and wider regions.
  const regionCap = Math.floor(available * DEFAULT_REGION_SHARE);
  for (const file of relevant) {
    if (used >= available * DEFAULT_WIDE_SHARE) break;
    const lines = relevance.get(file.path)!.lines;
    place(file, (content, room) => {
      if (content.text.length <= DEFAULT_WHOLE_FILE_CHARS) return wholeEntry(file.path, content, room);
      return regionsEntry(file.path, content, lines, Math.min(room, regionCap), 3);
    });
  }
  // 3. Compact again: relevant files the first pass did not reach, while room is left.
  for (const file of relevant) if (!entries.has(file.path)) compact(file);
  // 4. The rest, as heads.
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

function wholeEntry(filePath: string, content: Loaded, room: number): Entry | null {
  const block = `${fileHeader(filePath, false)}${content.text}`;
  return block.length + ENTRY_SEPARATOR.length <= room ? { blocks: [block], contentChars: content.text.length, truncated: false } : null;
}

function regionsEntry(filePath: string, content: Loaded, lines: readonly WeightedLine[], room: number, around: number): Entry | null {
  const perRegionChars = regionHeader(filePath, content.totalLines, content.totalLines, content.totalLines).length + ENTRY_SEPARATOR.length;
  const regions = cutRegions(content.text, lines, room, { before: around, after: around, perRegionChars });
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
