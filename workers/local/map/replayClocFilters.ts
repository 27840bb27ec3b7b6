import type { LineCounts } from './countLines.js';
import type { ClocFilter, LanguageDefinition } from './languages.js';

/** Perl's `\s` on bytes: ASCII whitespace only, so a line of no-break spaces is not blank (as in cloc). */
const BLANK = /^[ \t\n\r\f\v]*$/;
const ENDS_WITH_BACKSLASH = /\\$/;
const C_COMMENTS = /\/\*[\s\S]*?\*\//g;
const C_AND_LINE_COMMENTS = /\/\/[^\n]*\n|\/\*[\s\S]*?\*\//g;
const HTML_COMMENT_DECLARATION = /<!(?:--[^-]*(?:-[^-]+)*--\s*)*>/g;

/**
 * Counts lines by replaying cloc's steps literally: split into lines, drop
 * blanks, run each of the language's filters (regexes over joined lines, as
 * cloc's Perl does), drop blanks again. Every language can be counted this
 * way; it is the reference the one-pass scanner is tested against.
 *
 * @example replayClocFilters('// a\nconst x = 1;\n\n', typescript) // { blank: 1, comment: 1, code: 1 }
 */
export function replayClocFilters(text: string, language: LanguageDefinition): LineCounts {
  const lines = splitLines(text);
  const total = lines.length;
  let rest = removeBlanks(lines, language.eolContinuation);
  const blank = total - rest.length;
  const firstLine = rest[0];
  for (const filter of language.filters) {
    if (rest.length === 0) break;
    rest = removeBlanks(applyFilter(rest, filter), language.eolContinuation);
  }
  // cloc's exception for script languages: the `#!` line is code, even where `#` starts a comment.
  const isScript = (language.interpreters?.length ?? 0) > 0;
  const code = rest.length + (isScript && firstLine?.startsWith('#!') && rest[0] !== firstLine ? 1 : 0);
  return { blank, comment: total - blank - code, code };
}

/** Lines without their `\n` (a missing final newline still ends a line); a UTF-8 byte order mark is dropped. */
function splitLines(text: string): string[] {
  if (text.length === 0) return [];
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const lines = body.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** cloc's `rm_blanks`: a blank line is kept when the line before it ends with a continuation backslash. */
function removeBlanks(lines: readonly string[], eolContinuation: boolean): string[] {
  return lines.filter(
    (line, index) => !(BLANK.test(line) && (!eolContinuation || index === 0 || !ENDS_WITH_BACKSLASH.test(lines[index - 1]!))),
  );
}

function applyFilter(lines: readonly string[], filter: ClocFilter): string[] {
  switch (filter.kind) {
    case 'dropLines':
      return lines.filter((line) => !filter.pattern.test(line));
    case 'cComments':
      return removeCComments(lines, filter.lineComments);
    case 'docstringsToC':
      return docstringsToC(lines);
    case 'htmlComments':
      return removeHtmlComments(lines);
    case 'removeBetween':
      return removeBetween(lines, filter.start, filter.end, filter.regex);
    case 'removeBelowAbove':
      return removeBelowAbove(lines, filter.below, filter.above);
    case 'replaceInLines':
      return lines.flatMap((line) => {
        if (BLANK.test(line)) return [];
        const replaced = line.replace(filter.pattern, filter.replacement);
        return BLANK.test(replaced) ? [] : [replaced];
      });
  }
}

/**
 * cloc's `call_regexp_common`: joins the lines, removes every comment match
 * and splits again. For C++-style comments cloc doubles each newline (but not
 * after a line ending in `\`) so that removing `// …\n` keeps the lines apart;
 * a block comment joins the code around it into one line.
 */
function removeCComments(lines: readonly string[], lineComments: boolean): string[] {
  let all = '';
  for (const line of lines) all += lineComments ? (ENDS_WITH_BACKSLASH.test(line) ? `${line}\n` : `${line}\n\n`) : `${line}\n`;
  return splitLikePerl(all.replace(lineComments ? C_AND_LINE_COMMENTS : C_COMMENTS, ''));
}

/** Perl's `split("\n", $s)`: trailing empty fields are dropped. */
function splitLikePerl(text: string): string[] {
  const fields = text.split('\n');
  while (fields.length > 0 && fields[fields.length - 1] === '') fields.pop();
  return fields;
}

/** cloc's `docstring_to_C`: alternately turns each `"""`/`'''` into `/*` and `*\/`, across lines. */
function docstringsToC(lines: readonly string[]): string[] {
  let inDocstring = false;
  return lines.map((original) => {
    let line = original;
    while (/"""|'''/.test(line)) {
      line = inDocstring ? line.replace(/"""|'''/, '*/') : line.replace(/[uU]?(?:"""|''')/, '/*');
      inDocstring = !inDocstring;
    }
    return line;
  });
}

/** cloc's `remove_html_comments` and then `call_regexp_common HTML`. */
function removeHtmlComments(lines: readonly string[]): string[] {
  const kept: string[] = [];
  let inComment = false;
  for (const original of lines) {
    if (BLANK.test(original)) continue;
    let line = original.replace(/<!--.*?-->/gs, '');
    if (BLANK.test(line)) continue;
    if (inComment && line.includes('-->')) {
      line = line.replace(/^.*?-->/s, '');
      inComment = false;
    }
    if (BLANK.test(line)) continue;
    const opening = /^(.*?)<!--/s.exec(line);
    if (opening) {
      inComment = true;
      if (BLANK.test(opening[1]!)) continue;
    }
    if (inComment) continue;
    kept.push(line);
  }
  return splitLikePerl(kept.map((line) => `${line}\n`).join('').replace(HTML_COMMENT_DECLARATION, ''));
}

/** cloc's `remove_between_general` / `remove_between_regex`: a start marker hides the rest of its line and everything up to the end marker. */
function removeBetween(lines: readonly string[], start: string, end: string, regex: boolean): string[] {
  const startSource = regex ? start : escapeRegExp(start);
  const endSource = regex ? end : escapeRegExp(end);
  // `s`: Perl's `.` stops only at `\n`, which a line no longer holds (JavaScript's also stops at `\r`).
  const oneLine = new RegExp(`${startSource}.*?${endSource}`, 'gs');
  const upToEnd = new RegExp(`^.*?${endSource}`, 's');
  const endMarker = new RegExp(endSource, 's');
  const opening = new RegExp(`^(.*?)${startSource}`, 's');
  const kept: string[] = [];
  let inComment = false;
  for (const original of lines) {
    if (BLANK.test(original)) continue;
    let line = original.replace(oneLine, '');
    if (BLANK.test(line)) continue;
    if (inComment) {
      if (!endMarker.test(line)) continue;
      line = line.replace(upToEnd, '');
      inComment = false;
    }
    if (BLANK.test(line)) continue;
    const match = opening.exec(line);
    if (match) {
      inComment = true;
      if (BLANK.test(match[1]!)) continue;
      line = match[1]!;
    }
    kept.push(line);
  }
  return kept;
}

/** cloc's `remove_below_above`: drops the marker lines and everything between them. */
function removeBelowAbove(lines: readonly string[], below: RegExp, above: RegExp): string[] {
  const kept: string[] = [];
  let between = false;
  for (const line of lines) {
    if (!between && below.test(line)) between = true;
    else if (between && above.test(line)) between = false;
    else if (!between) kept.push(line);
  }
  return kept;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
