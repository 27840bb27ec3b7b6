import type { LineCounts } from './countLines.js';
import type { ClocFilter, LanguageDefinition } from './languages.js';
import { literalRegexSource, perlRegex } from './perlRegex.js';

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
  const continuation = continuationOf(language);
  let rest = removeBlanks(lines, continuation);
  const blank = total - rest.length;
  const firstLine = lines[0];
  // cloc's lines keep their `\n` until a routine that joins and splits them (call_regexp_common) drops it; add_newlines puts it back.
  let chomped = false;
  for (const filter of language.filters) {
    if (rest.length === 0) break;
    rest = removeBlanks(applyFilter(rest, filter, chomped), continuation);
    if (filter.kind === 'cComments' || filter.kind === 'htmlComments' || filter.kind === 'htmlDeclarations' || filter.kind === 'haskellComments') chomped = true;
    if (filter.kind === 'restoreNewlines') chomped = false;
  }
  // cloc's exception for script languages: the `#!` line is code, even where `#` starts a comment.
  const code = rest.length + (language.isScript && firstLine?.startsWith('#!') && rest[0] !== firstLine ? 1 : 0);
  return { blank, comment: total - blank - code, code };
}

/**
 * Lines without their `\n` (a missing final newline still ends a line), as
 * cloc's read_file gives them: a byte order mark dropped (UTF-8 as U+FEFF or
 * as its three Latin-1 characters, or another of cloc's list), and one
 * carriage return before each line's end trimmed.
 */
function splitLines(text: string): string[] {
  if (text.length === 0) return [];
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text.slice(clocByteOrderMarkLength(text));
  const lines = body.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
}

/** The byte order marks cloc's read_file removes, as Latin-1 text, longest first. */
const CLOC_BYTE_ORDER_MARKS = ['2b2f76382d', '0000feff', 'fffe0000', '2b2f7638', '2b2f7639', '2b2f762b', '2b2f762f', 'dd736673', '84319533', 'efbbbf', 'f7644c', '0efeff', 'fbee28', 'feff', 'fffe']
  .map((hex) => Buffer.from(hex, 'hex').toString('latin1'))
  .sort((a, b) => a.length - b.length);

/** Length of the byte order mark cloc would remove from the start of this Latin-1 text (cloc tries the 2-byte ones first). */
export function clocByteOrderMarkLength(text: string): number {
  for (const mark of CLOC_BYTE_ORDER_MARKS) if (text.startsWith(mark)) return mark.length;
  return 0;
}

/** The language's continuation pattern (`\\` at the end of a line for most), or null. */
function continuationOf(language: LanguageDefinition): RegExp | null {
  return language.eolContinuation ? ENDS_WITH_BACKSLASH : language.eolContinuationPattern;
}

/** cloc's `rm_blanks`: a blank line is kept when the line before it ends with a continuation (a `\\` for most languages). */
function removeBlanks(lines: readonly string[], continuation: RegExp | null): string[] {
  return lines.filter((line, index) => !(BLANK.test(line) && (!continuation || index === 0 || !continuation.test(lines[index - 1]!))));
}

function applyFilter(lines: readonly string[], filter: ClocFilter, chomped: boolean): string[] {
  switch (filter.kind) {
    case 'restoreNewlines':
      return [...lines];
    case 'dropLines':
      return lines.filter((line) => !filter.pattern.test(line));
    case 'cComments':
      return removeCComments(lines, filter.lineComments, chomped);
    case 'docstringsToC':
      return docstringsToC(lines);
    case 'htmlComments':
      return removeHtmlDeclarations(removeHtmlCommentLines(lines), chomped);
    case 'htmlCommentLines':
      return removeHtmlCommentLines(lines);
    case 'jspCommentLines':
      return removeHtmlCommentLines(lines, JSP_MARKERS);
    case 'htmlDeclarations':
      return removeHtmlDeclarations(lines, chomped);
    case 'removeBelow': {
      const at = lines.findIndex((line) => filter.pattern.test(line));
      return at === -1 ? [...lines] : lines.slice(0, at);
    }
    case 'removeAbove': {
      const at = lines.findIndex((line) => filter.pattern.test(line));
      return at === -1 ? [...lines] : lines.slice(at);
    }
    case 'markersToC':
      return lines.map((line) => line.replace(filter.open, '/*').replace(filter.close, '*/'));
    case 'indentedBlock':
      return removeIndentedBlock(lines, filter.opener);
    case 'jupyterCode':
      return jupyterCodeLines(lines);
    case 'elixirDocsToC':
      return elixirDocsToC(lines);
    case 'ocamlComments':
      return removeOcamlComments(lines);
    case 'haskellComments':
      return removeHaskellComments(lines, filter.nested);
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
 * and splits again. For C++-style comments cloc adds a newline to each line
 * (but not to a line ending in `\`), doubling the one a line still carries,
 * so that removing `// …\n` keeps the lines apart; a block comment joins the
 * code around it into one line. Lines `chomped` by an earlier join carry no
 * newline of their own: then a `// …\n` joins its line to the next one, as
 * in cloc (a Vue file's script after its template).
 */
function removeCComments(lines: readonly string[], lineComments: boolean, chomped: boolean): string[] {
  const own = chomped ? '' : '\n';
  let all = '';
  for (const line of lines) all += lineComments && !ENDS_WITH_BACKSLASH.test(line) ? `${line}${own}\n` : `${line}${own}`;
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

/** The markers of cloc's `remove_html_comments` and `remove_jsp_comments`, which differ in nothing else. */
const HTML_MARKERS = { spans: /<!--[^\n]*?-->/g, upToClose: /^[^\n]*?-->/, close: '-->', opening: /^([^\n]*?)<!--/ };
const JSP_MARKERS = { spans: /<%--[^\n]*?--%>/g, upToClose: /^[^\n]*?--%>/, close: '--%>', opening: /^([^\n]*?)<%--/ };

/**
 * cloc's `remove_html_comments` (`<!-- … -->`) or `remove_jsp_comments`
 * (`<%-- … --%>`): spans removed line by line; a line that starts inside one
 * goes, and so does every line while a comment stays open (cloc keeps no code
 * before an opening marker).
 */
function removeHtmlCommentLines(lines: readonly string[], markers: typeof HTML_MARKERS = HTML_MARKERS): string[] {
  const kept: string[] = [];
  let inComment = false;
  for (const original of lines) {
    if (BLANK.test(original)) continue;
    let line = original.replace(markers.spans, '');
    if (BLANK.test(line)) continue;
    if (inComment && line.includes(markers.close)) {
      line = line.replace(markers.upToClose, '');
      inComment = false;
    }
    if (BLANK.test(line)) continue;
    const opening = markers.opening.exec(line);
    if (opening) {
      inComment = true;
      if (BLANK.test(opening[1]!)) continue;
    }
    if (inComment) continue;
    kept.push(line);
  }
  return kept;
}

/** cloc's `call_regexp_common HTML`: joins the lines and removes `<!-- … -->` declarations across them. */
function removeHtmlDeclarations(lines: readonly string[], chomped: boolean): string[] {
  return splitLikePerl(lines.map((line) => (chomped ? line : `${line}\n`)).join('').replace(HTML_COMMENT_DECLARATION, ''));
}

/** cloc's `jupyter_nb`: the lines of the `source` arrays of code cells, less empty and `#` lines. */
function jupyterCodeLines(lines: readonly string[]): string[] {
  const kept: string[] = [];
  let inCode = false;
  let inSource = false;
  for (const line of lines) {
    if (!inCode && !inSource && /^[ \t\n\r\f\v]*"cell_type":[ \t\n\r\f\v]*"code",[ \t\n\r\f\v]*$/.test(line)) inCode = true;
    else if (inCode && !inSource && /^[ \t\n\r\f\v]*"source":[ \t\n\r\f\v]*\[[ \t\n\r\f\v]*$/.test(line)) inSource = true;
    else if (inCode && inSource) {
      if (/^[ \t\n\r\f\v]*"[ \t\n\r\f\v]*\\n",[ \t\n\r\f\v]*$/.test(line) || /^[ \t\n\r\f\v]*"[ \t\n\r\f\v]*#/.test(line)) continue;
      if (/^[ \t\n\r\f\v]*\][ \t\n\r\f\v]*$/.test(line)) {
        inCode = false;
        inSource = false;
      } else kept.push(line);
    }
  }
  return kept;
}

/** cloc's `elixir_doc_to_C`: `@doc` with triple quotes opens a C comment, the next line with triple quotes closes it. */
function elixirDocsToC(lines: readonly string[]): string[] {
  let inDoc = false;
  return lines.map((line) => {
    if (!inDoc) {
      const opening = /@(?:module)?doc[ \t\n\r\f\v]+(?:~[sScC])?['"]{3}/.exec(line);
      if (!opening) return line;
      inDoc = true;
      return line.replace(opening[0], '/*');
    }
    const closing = /['"]{3}/.exec(line);
    if (!closing) return line;
    inDoc = false;
    return line.replace(closing[0], '*/');
  });
}

/** cloc's `remove_OCaml_comments`: splits each line into `(*`, `*)`, strings and the rest, keeping what lies outside comments. */
function removeOcamlComments(lines: readonly string[]): string[] {
  const kept: string[] = [];
  let depth = 0;
  for (const line of lines) {
    if (BLANK.test(line)) continue;
    let clean = '';
    for (const token of line.split(/(\(\*|\*\)|"[^\n]*?")/)) {
      if (!token) continue;
      if (token === '(*') depth++;
      else if (token === '*)') depth--;
      else if (depth === 0) clean += token;
    }
    if (clean) kept.push(clean);
  }
  return kept;
}

/** cloc's `remove_haskell_comments` for a file that is not literate Haskell. */
function removeHaskellComments(lines: readonly string[], nested: boolean): string[] {
  const kept: string[] = [];
  let inComment = 0;
  for (const original of lines) {
    if (/^[ \t\n\r\f\v]*\{-#/.test(original)) {
      kept.push(original);
      continue;
    }
    const opened = original.match(/\{-/g)?.length ?? 0;
    const closed = original.match(/-\}/g)?.length ?? 0;
    let line = original.replace(/\{-[^\n]*?-\}/g, '');
    if (inComment !== 0) {
      if (line.includes('-}')) {
        line = line.replace(/^[^\n]*?-\}/, '');
        inComment = nested ? inComment + opened - closed : 0;
      } else line = '';
    } else {
      line = line.replace(/--[^\n]*/, '');
      if (line.includes('{-') && !line.includes('{-#')) {
        line = line.replace(/\{-[^\n]*/, '');
        inComment = nested ? inComment + opened - closed : 1;
      }
    }
    if (/[^ \t\n\r\f\v]/.test(line)) kept.push(line);
  }
  return kept;
}

/** Perl's `Text::Tabs::expand`: tabs to spaces up to the next multiple of 8. */
function expandTabs(line: string): string {
  if (!line.includes('\t')) return line;
  let out = '';
  for (const char of line) out += char === '\t' ? ' '.repeat(8 - (out.length % 8)) : char;
  return out;
}

/** cloc's `remove_intented_block` (Pug, Slim, Haml): a comment line and every line indented deeper than it. */
function removeIndentedBlock(lines: readonly string[], opener: RegExp): string[] {
  const kept: string[] = [];
  // Indentation (plus one) a line needs to stay inside the comment; 0 outside one.
  let inComment = 0;
  for (const original of lines) {
    if (BLANK.test(original)) continue;
    const line = expandTabs(original);
    if (inComment > 0) {
      const indent = /^[ \t\n\r\f\v]*/.exec(line)![0].length;
      if (indent >= inComment) continue;
      inComment = 0;
    } else {
      const match = opener.exec(line);
      if (match) {
        inComment = match[1] ? match[1].length + 1 : 1;
        continue;
      }
    }
    kept.push(line);
  }
  return kept;
}

/** cloc's `remove_between_general` / `remove_between_regex`: a start marker hides the rest of its line and everything up to the end marker. */
function removeBetween(lines: readonly string[], start: string, end: string, regex: boolean): string[] {
  const startSource = regex ? perlRegex(start).source : literalRegexSource(start);
  const endSource = regex ? perlRegex(end).source : literalRegexSource(end);
  // Perl's `.` stops only at `\n`, which a line no longer holds (JavaScript's also stops at `\r`).
  const oneLine = new RegExp(`${startSource}[^\\n]*?${endSource}`, 'g');
  const upToEnd = new RegExp(`^[^\\n]*?${endSource}`);
  const endMarker = new RegExp(endSource);
  const opening = new RegExp(`^([^\\n]*?)${startSource}`);
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
