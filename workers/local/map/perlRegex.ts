/** Perl's `\s` without Unicode rules (cloc reads bytes): space, tab, LF, VT, FF, CR. */
const PERL_SPACE = ' \\t\\n\\r\\f\\v';

/**
 * A JavaScript RegExp that matches what the Perl regex `source` matches on a
 * line as cloc holds it (bytes, maybe ending in `\n`): `$` and `\Z` also match
 * before a final newline, `.` stops at `\n` only (not at `\r`), `\s` is ASCII
 * whitespace, `\g1` is a back-reference. Covers the constructs cloc's filter
 * table uses; throws on one it does not know (the generator's table is
 * checked by the tests, so a new cloc release cannot slip one in unnoticed).
 *
 * @example perlRegex('^\\s*#', 'i').test('  # c\n') === true
 */
export function perlRegex(source: string, flags = ''): RegExp {
  let out = '';
  let inClass = false;
  for (let index = 0; index < source.length; index++) {
    const char = source[index]!;
    if (char === '\\') {
      const next = source[index + 1] ?? '';
      index++;
      if (next === 's') out += inClass ? PERL_SPACE : `[${PERL_SPACE}]`;
      else if (next === 'S') out += inClass ? unsupported(source, '\\S in a class') : `[^${PERL_SPACE}]`;
      else if (next === 'g' && /\d/.test(source[index + 1] ?? '')) out += '\\';
      else if (next === 'Z') out += '(?=\\n?$)';
      else if (next === 'z') out += '$';
      else if (next === 'A') out += '^';
      else if (next === 'x' && source[index + 1] === '{') {
        const end = source.indexOf('}', index);
        out += `\\u${source.slice(index + 2, end).padStart(4, '0')}`;
        index = end;
      } else if (next === 'Q' || next === 'E') unsupported(source, `\\${next}`);
      else out += `\\${next}`;
      continue;
    }
    if (inClass) {
      if (char === ']') inClass = false;
      out += char;
      continue;
    }
    if (char === '[') {
      inClass = true;
      out += char;
      // A `]` first in a class (or after `^`) is a literal, as in Perl.
      if (source[index + 1] === '^') out += source[++index];
      if (source[index + 1] === ']') out += `\\${source[++index]}`;
      continue;
    }
    if (char === '$') out += '(?=\\n?$)';
    else if (char === '.') out += '[^\\n]';
    else out += char;
  }
  return new RegExp(out, flags);
}

/** `s/\Q...\E//`: the text as a literal pattern. */
export function literalRegexSource(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function unsupported(source: string, construct: string): never {
  throw new Error(`cloc regex ${JSON.stringify(source)} uses ${construct}, which perlRegex does not translate`);
}
