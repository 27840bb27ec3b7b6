import path from 'node:path';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { ExclusionReason } from '../../run/types.js';
import { compareStrings, listRepositoryFiles } from '../../files/index.js';
import { countFileLines } from './countLines.js';
import { detectLanguage } from './detectLanguage.js';
import { FileBytesReader } from './FileBytesReader.js';
import type { DirectorySummary, LanguageSummary, LargestFile, RepositoryMap } from './types.js';

export interface MapOptions {
  /** Files larger than this are not read and are counted as skipped `too-large` (default 8 MiB). */
  readonly maxFileBytes?: number;
  /** How many of the longest files to list (default 20). */
  readonly largestFiles?: number;
  /** Directory levels summarised (default 2: `src` and `src/api`). */
  readonly directoryDepth?: number;
  readonly signal?: AbortSignal;
}

const DEFAULT_MAX_FILE_BYTES = 8 * 1024 * 1024;

/** Longest stretch of synchronous reading and counting before other work in the process gets a turn. */
const YIELD_AFTER_MS = 20;

/**
 * Maps a repository: files, lines per language counted as cloc counts them,
 * the longest files and the code per directory. Files are read one at a time
 * and only their counts are kept, so memory stays bounded by the largest
 * file, not the repository. Reading and counting are synchronous (far cheaper
 * than a promise per system call), in stretches of ~20 ms between which the
 * event loop runs, so timers and signals in the process still fire.
 * Git-ignored, binary, lock, vendored and generated files are skipped and
 * counted by reason; files of no known language (and empty files, which cloc
 * ignores) count as files but stay out of the language table.
 *
 * @example const map = await runMap('/work/repo'); map.languages[0]?.language
 */
export async function runMap(repoDir: string, options: MapOptions = {}): Promise<RepositoryMap> {
  const root = path.resolve(repoDir);
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const depth = options.directoryDepth ?? 2;
  const keepLargest = options.largestFiles ?? 20;
  const listing = await listRepositoryFiles(root);
  const skipped = new Map<ExclusionReason, number>();
  const skip = (reason: ExclusionReason): void => {
    skipped.set(reason, (skipped.get(reason) ?? 0) + 1);
  };
  for (const entry of listing.skipped) skip(entry.reason);

  const languages = new Map<string, { files: number; blank: number; comment: number; code: number }>();
  const directories = new Map<string, { files: number; code: number }>();
  let largest: LargestFile[] = [];
  let files = 0;
  let totalLines = 0;

  const reader = new FileBytesReader();
  const visit = (relativePath: string, size: number): void => {
    if (size > maxFileBytes) return skip('too-large');
    // Listed paths are normalised already: no path.join (and its normalising) per file.
    const read = reader.read(`${root}/${relativePath}`, maxFileBytes + 1);
    if (read.kind === 'binary') return skip('binary');
    if (read.kind === 'unreadable') return skip('unreadable');
    if (read.truncated) return skip('too-large');
    const language = detectLanguage(relativePath, read.bytes);
    const counts = language && read.bytes.length > 0 ? countFileLines(read.bytes, language) : null;
    const lines = counts ? counts.blank + counts.comment + counts.code : lineCount(read.bytes);
    files++;
    totalLines += lines;
    if (language && counts) {
      const totals = languages.get(language.name) ?? { files: 0, blank: 0, comment: 0, code: 0 };
      totals.files++;
      totals.blank += counts.blank;
      totals.comment += counts.comment;
      totals.code += counts.code;
      languages.set(language.name, totals);
    }
    for (const directory of ancestorDirectories(relativePath, depth)) {
      const totals = directories.get(directory) ?? { files: 0, code: 0 };
      totals.files++;
      totals.code += counts?.code ?? 0;
      directories.set(directory, totals);
    }
    largest.push({ path: relativePath, lines, bytes: size, language: language?.name ?? null });
    if (largest.length > keepLargest * 2) largest = largest.sort(compareLargest).slice(0, keepLargest);
  };

  let lastYield = performance.now();
  for (const file of listing.files) {
    options.signal?.throwIfAborted();
    visit(file.path, file.size);
    if (performance.now() - lastYield > YIELD_AFTER_MS) {
      await yieldToEventLoop();
      lastYield = performance.now();
    }
  }

  return {
    files,
    totalLines,
    languages: [...languages]
      .map(([language, totals]): LanguageSummary => ({ language, ...totals }))
      .sort((a, b) => b.code - a.code || compareStrings(a.language, b.language)),
    largestFiles: largest.sort(compareLargest).slice(0, keepLargest),
    directories: [...directories]
      .map(([directory, totals]): DirectorySummary => ({ path: directory, ...totals }))
      .sort((a, b) => compareStrings(a.path, b.path)),
    skipped: Object.fromEntries([...skipped].sort(([a], [b]) => compareStrings(a, b))),
  };
}

function compareLargest(a: LargestFile, b: LargestFile): number {
  return b.lines - a.lines || b.bytes - a.bytes || compareStrings(a.path, b.path);
}

/** Lines as cloc counts them (a last line without a newline still counts). */
function lineCount(bytes: Buffer): number {
  if (bytes.length === 0) return 0;
  let count = 0;
  for (let index = bytes.indexOf(0x0a); index !== -1; index = bytes.indexOf(0x0a, index + 1)) count++;
  return bytes[bytes.length - 1] === 0x0a ? count : count + 1;
}

/** `.` for a root file, else its directories from the top down to `depth` levels. */
function ancestorDirectories(relativePath: string, depth: number): string[] {
  const segments = relativePath.split('/').slice(0, -1);
  if (segments.length === 0) return ['.'];
  return segments.slice(0, depth).map((_, index) => segments.slice(0, index + 1).join('/'));
}
