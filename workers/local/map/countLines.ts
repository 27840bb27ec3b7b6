import type { LanguageDefinition } from './languages.js';
import { replayClocFilters } from './replayClocFilters.js';
import { scanClocLines, type ScanComments } from './scanClocLines.js';

/** Line counts of one file, as cloc reports them. */
export interface LineCounts {
  readonly blank: number;
  readonly comment: number;
  readonly code: number;
}

/**
 * Counts blank, comment and code lines the way cloc 1.9x does: blank lines
 * are whitespace-only lines; comments are removed with the language's cloc
 * filters; every non-blank line that is left is code, and the lines that
 * disappeared are comments. So a line with code and a comment is code, a
 * docstring is a comment, every non-blank Markdown line is code, and, as in
 * cloc, comment markers inside strings are not special.
 *
 * Languages whose filters are plain C comments (or none) are counted by the
 * one-pass scanner, and so is a file in which none of its language's filters
 * can change anything (a Markdown file without `<!--` or `[//]`, a YAML file
 * without `#`); the others by replaying cloc's filters. Both give the same
 * figures.
 *
 * @example countLines('// a\nconst x = 1;\n\n', typescript) // { blank: 1, comment: 1, code: 1 }
 */
export function countLines(text: string, language: LanguageDefinition): LineCounts {
  const comments = scannableComments(language) ?? (noFilterApplies(text, language) ? 'none' : null);
  return comments === null ? replayClocFilters(text, language) : scanBytes(Buffer.from(text, 'utf8'), comments, language);
}

/**
 * `countLines` on the raw bytes of a file: the scanner reads them without
 * decoding; the filters of the other languages get them as Latin-1 text, one
 * character per byte, as cloc's Perl reads files (its regexes see bytes).
 *
 * @example countFileLines(readFileSync('index.ts'), typescript)
 */
export function countFileLines(bytes: Buffer, language: LanguageDefinition): LineCounts {
  const comments = scannableComments(language);
  if (comments !== null) return scanBytes(bytes, comments, language);
  const text = bytes.toString('latin1');
  return noFilterApplies(text, language) ? scanBytes(bytes, 'none', language) : replayClocFilters(text, language);
}

function scanBytes(bytes: Buffer, comments: ScanComments, language: LanguageDefinition): LineCounts {
  const hasByteOrderMark = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  return scanClocLines(bytes, hasByteOrderMark ? 3 : 0, comments, language.eolContinuation);
}

/** True when every filter of the language has a marker and the text matches none of them: no filter can change it. */
function noFilterApplies(text: string, language: LanguageDefinition): boolean {
  return language.filters.every((filter) => filter.marker !== undefined && !filter.marker.test(text));
}

const SCANNABLE = new WeakMap<LanguageDefinition, ScanComments | null>();

/** What the scanner must remove for this language, or null when its filters need the replay. */
function scannableComments(language: LanguageDefinition): ScanComments | null {
  let comments = SCANNABLE.get(language);
  if (comments === undefined) {
    comments = scanCommentsOf(language);
    SCANNABLE.set(language, comments);
  }
  return comments;
}

function scanCommentsOf(language: LanguageDefinition): ScanComments | null {
  // A script's `#!` line is code by an exception the scanner does not replay; nor does it know continuations other than `\`.
  if (language.isScript || language.eolContinuationPattern !== null) return null;
  const [filter, ...others] = language.filters;
  if (!filter) return 'none';
  if (others.length > 0 || filter.kind !== 'cComments') return null;
  return filter.lineComments ? 'blockAndLine' : 'block';
}
