import path from 'node:path';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { ExclusionReason } from '../../run/types.js';
import { compareStrings, hasGeneratedMarker, listRepositoryFiles } from '../../files/index.js';
import { countFileLines } from './countLines.js';
import { classifyLanguage } from './detectLanguage.js';
import { FileBytesReader } from './FileBytesReader.js';
import { NotCountedLedger } from './notCountedLedger.js';
import { perlSeesBinary } from './perlSeesBinary.js';
import type { DirectorySummary, LanguageSummary, LargestFile, NotCountedReason, RepositoryMap } from './types.js';

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

/** How much of a file's head is searched for a generator's marker (as the audit does). */
const GENERATED_MARKER_BYTES = 1024;

/**
 * Maps a repository: files, lines per language counted as cloc 1.96 counts
 * them (its languages, detection and comment rules, from its own tables),
 * the longest files and the code per directory. The files are the audit's
 * selection (listRepositoryFiles): tracked files whatever .gitignore says,
 * generated or vendored by .gitattributes, file name or a generator's marker
 * in the head, never by directory name. Every file is accounted for in
 * `accounting`: counted in a language, or left out with the reason and its
 * path (unknown language, binary, empty, generated, vendored, ignored...).
 * A text file cloc takes for binary (Perl's -B: dense Latin-1, say) is left
 * out as binary too. Files are read one at a time, once,
 * and only their counts are kept, so memory stays bounded by the largest
 * file, not the repository. Reading and counting are synchronous (far cheaper
 * than a promise per system call), in stretches of ~20 ms between which the
 * event loop runs, so timers and signals in the process still fire.
 * Files of no known language (and empty files, which cloc ignores) count as
 * files but stay out of the language table.
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
  const notCounted = new NotCountedLedger();
  const skip = (relativePath: string, reason: ExclusionReason, detail?: string): void => {
    skipped.set(reason, (skipped.get(reason) ?? 0) + 1);
    notCounted.add(relativePath, reason, detail);
  };
  const leaveOut = (relativePath: string, reason: NotCountedReason, detail?: string): void => notCounted.add(relativePath, reason, detail);
  for (const entry of listing.skipped) skip(entry.path, entry.reason);

  const languages = new Map<string, { files: number; blank: number; comment: number; code: number }>();
  const directories = new Map<string, { files: number; code: number }>();
  let largest: LargestFile[] = [];
  let files = 0;
  let counted = 0;
  let totalLines = 0;

  const reader = new FileBytesReader();
  const visit = (relativePath: string, size: number): void => {
    if (size > maxFileBytes) return skip(relativePath, 'too-large');
    // Listed paths are normalised already: no path.join (and its normalising) per file.
    const read = reader.read(`${root}/${relativePath}`, maxFileBytes + 1);
    if (read.kind === 'binary') return skip(relativePath, 'binary');
    if (read.kind === 'unreadable') return skip(relativePath, 'unreadable', `could not be read: ${read.reason}`);
    if (read.truncated) return skip(relativePath, 'too-large');
    const { bytes } = read;
    if (hasGeneratedMarker(bytes.toString('latin1', 0, GENERATED_MARKER_BYTES))) {
      return skip(relativePath, 'generated', "generated: its head carries a generator's marker (@generated, DO NOT EDIT...)");
    }
    if (bytes.length > 0 && perlSeesBinary(bytes)) return skip(relativePath, 'binary', "text to git, binary to cloc (Perl's -B test: mostly non-UTF-8 bytes)");
    const verdict = bytes.length > 0 ? classifyLanguage(relativePath, bytes) : null;
    const language = verdict?.language && verdict.language.unsupported === null ? verdict.language : null;
    const counts = language ? countFileLines(bytes, language) : null;
    const lines = counts ? counts.blank + counts.comment + counts.code : lineCount(bytes);
    files++;
    totalLines += lines;
    if (language && counts) {
      counted++;
      const totals = languages.get(language.name) ?? { files: 0, blank: 0, comment: 0, code: 0 };
      totals.files++;
      totals.blank += counts.blank;
      totals.comment += counts.comment;
      totals.code += counts.code;
      languages.set(language.name, totals);
    } else if (verdict === null) leaveOut(relativePath, 'empty');
    else if (verdict.language) leaveOut(relativePath, 'unknown', `cloc counts ${verdict.language.name} with ${verdict.language.unsupported}, which the map does not replay`);
    else leaveOut(relativePath, 'unknown', verdict.reason);
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
    accounting: { seen: counted + notCounted.total(), counted, notCounted: notCounted.groups() },
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
