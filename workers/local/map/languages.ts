import { EOL_CONTINUATION, FILTERS_BY_LANGUAGE, LANGUAGE_BY_INTERPRETER } from './clocLanguages.generated.js';
import { literalRegexSource, perlRegex } from './perlRegex.js';

/**
 * One step of cloc's comment stripping, as cloc 1.9x applies it by default
 * (`--strip-str-comments` and `--inline` off): the counter replays these steps
 * so its figures agree with cloc's, quirks included. `marker`, where given:
 * the step changes nothing in a text this pattern does not match, so such a
 * text can be counted without replaying it.
 */
export type ClocFilter =
  /** `remove_matches`: drop every line matching (case-insensitive), e.g. `^\s*#`. */
  | { readonly kind: 'dropLines'; readonly pattern: RegExp; readonly marker?: RegExp }
  /** `call_regexp_common C`/`C++`: remove `/* … *\/` blocks, and `//` to end of line when `lineComments`. */
  | { readonly kind: 'cComments'; readonly lineComments: boolean; readonly marker?: RegExp }
  /** `docstring_to_C`: every `"""`/`'''` pair becomes a C block comment (docstrings count as comments). */
  | { readonly kind: 'docstringsToC'; readonly marker?: RegExp }
  /** `remove_html_comments` followed by `call_regexp_common HTML`. */
  | { readonly kind: 'htmlComments'; readonly marker?: RegExp }
  /** `remove_html_comments` alone (Handlebars). */
  | { readonly kind: 'htmlCommentLines'; readonly marker?: RegExp }
  /** `remove_jsp_comments`: `<%-- … --%>` spans, line by line as `remove_html_comments` does. */
  | { readonly kind: 'jspCommentLines'; readonly marker?: RegExp }
  /** `call_regexp_common HTML` alone: `<!-- … -->` declarations removed from the joined text. */
  | { readonly kind: 'htmlDeclarations'; readonly marker?: RegExp }
  /** `remove_between_general` (literal markers) or `remove_between_regex` (regex sources). */
  | { readonly kind: 'removeBetween'; readonly start: string; readonly end: string; readonly regex: boolean; readonly marker?: RegExp }
  /** `remove_below_above`: drop a block of lines from a line matching `below` to one matching `above`. */
  | { readonly kind: 'removeBelowAbove'; readonly below: RegExp; readonly above: RegExp; readonly marker?: RegExp }
  /** `remove_below`: drop the first line matching and every line after it (Perl's `__END__`). */
  | { readonly kind: 'removeBelow'; readonly pattern: RegExp; readonly marker?: RegExp }
  /** `remove_above`: drop every line before the first one matching (kept when none matches). */
  | { readonly kind: 'removeAbove'; readonly pattern: RegExp; readonly marker?: RegExp }
  /** `replace_regex` / Java's `replace_between_regex`: rewrite each line, then drop it if blank. */
  | { readonly kind: 'replaceInLines'; readonly pattern: RegExp; readonly replacement: string; readonly marker?: RegExp }
  /** `powershell_to_C` / `smarty_to_C`: rewrite the language's block markers as `/*` and `*\/` on every line. */
  | { readonly kind: 'markersToC'; readonly open: RegExp; readonly close: RegExp; readonly marker?: RegExp }
  /** `remove_pug_block` / `remove_slim_block` / `remove_haml_block`: a comment line and the lines indented under it. */
  | { readonly kind: 'indentedBlock'; readonly opener: RegExp; readonly marker?: RegExp }
  /** `jupyter_nb`: keeps only the source lines of a notebook's code cells, less `"\n"` and `"#` lines. */
  | { readonly kind: 'jupyterCode'; readonly marker?: RegExp }
  /** `elixir_doc_to_C`: `@doc` / `@moduledoc` with triple quotes, and the closing triple quotes, become a C block comment. */
  | { readonly kind: 'elixirDocsToC'; readonly marker?: RegExp }
  /** `remove_OCaml_comments`: nested `(* ... *)` removed token by token (strings kept). */
  | { readonly kind: 'ocamlComments'; readonly marker?: RegExp }
  /** `remove_haskell_comments` (not literate): `--` to the end of the line and `{- -}` blocks, nested in Elm only; pragmas `{-#` kept. */
  | { readonly kind: 'haskellComments'; readonly nested: boolean; readonly marker?: RegExp }
  /** `add_newlines`: gives back the newline each line lost in an earlier join (changes no count by itself). */
  | { readonly kind: 'restoreNewlines'; readonly marker?: RegExp };

/** A language as cloc counts it. */
export interface LanguageDefinition {
  /** The name cloc prints (`TypeScript`, `C/C++ Header`, `Bourne Again Shell`). */
  readonly name: string;
  /**
   * A script language (cloc's `%Language_by_Script` names it): cloc counts its
   * `#!` first line as code even though it starts with a comment marker.
   */
  readonly isScript: boolean;
  readonly filters: readonly ClocFilter[];
  /** A blank line after a line ending in `\` is a continuation, not a blank line. */
  readonly eolContinuation: boolean;
  /** cloc's continuation pattern when it is not a trailing `\` (`...` in MATLAB); null otherwise. */
  readonly eolContinuationPattern: RegExp | null;
  /**
   * The cloc routine this language needs that the map does not replay (null
   * when every one is replayed): its files are listed as unknown, with this
   * reason, instead of being counted differently from cloc.
   */
  readonly unsupported: string | null;
}

/** Routines cloc skips under its defaults: `rm_comments_in_strings` needs --strip-str-comments, `remove_inline` needs --inline. */
const NO_OP_ROUTINES = new Set(['rm_comments_in_strings', 'remove_inline']);

/** A regex that finds the literal text anywhere (case-insensitively when the step matches so). */
const literalMarker = (text: string, flags = ''): RegExp => new RegExp(literalRegexSource(text), flags);

/** For `^\s*LITERAL` patterns: the literal, which a text must hold for the step to change anything. */
function markerOfLinePattern(source: string): RegExp | undefined {
  const literal = /^\^\\s\*((?:\\[^a-zA-Z0-9]|[^\\.*+?^$()[\]{}|])+)$/.exec(source)?.[1];
  return literal === undefined ? undefined : literalMarker(literal.replace(/\\(.)/g, '$1'), 'i');
}

/**
 * `"xx"` or `"$1$2$1 + $1$3$1$4"`: the Perl string a `/ee` replacement
 * evaluates to, as a JavaScript replacement (`$1` means the same in both),
 * or null when it is other code.
 */
function perlStringLiteral(text: string): string | null {
  return /^"((?:[^"$@\\]|\$\d)*)"$/.exec(text)?.[1] ?? null;
}

type Compiled = ClocFilter | 'no-op' | { readonly unsupported: string };

function compileRoutine(routine: readonly string[], languageName: string): Compiled {
  const [name = '', ...args] = routine;
  if (NO_OP_ROUTINES.has(name)) return 'no-op';
  switch (name) {
    case 'remove_matches':
      return { kind: 'dropLines', pattern: perlRegex(args[0]!, 'i'), ...optional(markerOfLinePattern(args[0]!)) };
    case 'call_regexp_common':
      if (args[0] === 'C') return { kind: 'cComments', lineComments: false, marker: /\/\*/ };
      if (args[0] === 'C++') return { kind: 'cComments', lineComments: true, marker: /\/[/*]/ };
      if (args[0] === 'HTML') return { kind: 'htmlDeclarations', marker: /<!/ };
      return { unsupported: `call_regexp_common ${args[0]}` };
    case 'remove_html_comments':
      return { kind: 'htmlCommentLines', marker: /<!--/ };
    case 'remove_jsp_comments':
      return { kind: 'jspCommentLines', marker: /<%--/ };
    case 'remove_between_general':
      return { kind: 'removeBetween', start: args[0]!, end: args[1]!, regex: false, marker: literalMarker(args[0]!) };
    case 'remove_between_regex':
      return { kind: 'removeBetween', start: args[0]!, end: args[1]!, regex: true, marker: perlRegex(args[0]!) };
    case 'remove_below_above':
      return { kind: 'removeBelowAbove', below: perlRegex(args[0]!), above: perlRegex(args[1]!), marker: perlRegex(args[0]!, 'm') };
    case 'remove_below':
      return { kind: 'removeBelow', pattern: perlRegex(args[0]!), marker: perlRegex(args[0]!, 'm') };
    case 'remove_above':
      return { kind: 'removeAbove', pattern: perlRegex(args[0]!), marker: perlRegex(args[0]!, 'm') };
    case 'remove_f77_comments':
      return { kind: 'dropLines', pattern: /^(?:[*cC]|[ \t\n\r\f\v]*!)/ };
    case 'remove_f90_comments':
      // A `!` line is a comment unless it is an HPF or OpenMP directive (`!$omp`).
      return { kind: 'dropLines', pattern: /^(?![ \t\n\r\f\v]*!(?:hpf|omp)\$)[ \t\n\r\f\v]*(?:!|$)/i, marker: /!/ };
    case 'jupyter_nb':
      return { kind: 'jupyterCode' };
    case 'elixir_doc_to_C':
      return { kind: 'elixirDocsToC', marker: /@(?:module)?doc/ };
    case 'remove_OCaml_comments':
      return { kind: 'ocamlComments' };
    case 'remove_haskell_comments':
      // cloc tells Elm by the file's `.elm` extension, which only Elm claims; `.lhs` files are left out by classifyLanguage.
      return { kind: 'haskellComments', nested: languageName === 'Elm', marker: /--|\{-/ };
    case 'add_newlines':
      return { kind: 'restoreNewlines', marker: /(?!)/ };
    case 'docstring_to_C':
      return { kind: 'docstringsToC', marker: /"""|'''/ };
    case 'replace_regex':
      return { kind: 'replaceInLines', pattern: perlRegex(args[0]!, 'g'), replacement: args[1]! };
    case 'replace_between_regex': {
      // The forms cloc uses (Java, Groovy): the end pattern `(.*?)` matches nothing and the replacement is a
      // string (with captures); Groovy's turns multi-line mode off, and Java's cannot re-open a comment once replaced.
      const replacement = perlStringLiteral(args[2] ?? '');
      if (args[1] !== '(.*?)' || replacement === null) return { unsupported: `replace_between_regex ${args.join(' ')}` };
      return { kind: 'replaceInLines', pattern: perlRegex(`${args[0]}.*?${args[1]}`, 'g'), replacement };
    }
    case 'powershell_to_C':
      return { kind: 'markersToC', open: /<#/g, close: /#>/g, marker: /<#|#>/ };
    case 'smarty_to_C':
      return { kind: 'markersToC', open: /\{\*/g, close: /\*\}/g, marker: /\{\*|\*\}/ };
    case 'remove_pug_block':
      return { kind: 'indentedBlock', opener: perlRegex('^(\\s*)(//)\\s*$'), marker: /\/\// };
    case 'remove_slim_block':
      return { kind: 'indentedBlock', opener: perlRegex('^(\\s*)(/[^!])'), marker: /\// };
    case 'remove_haml_block':
      return { kind: 'indentedBlock', opener: perlRegex('^(\\s*)(/|-#)\\s*$'), marker: /\/|-#/ };
    default:
      return { unsupported: name };
  }
}

function optional(marker: RegExp | undefined): { marker?: RegExp } {
  return marker ? { marker } : {};
}

/** The two cloc steps that always come together in its HTML-like languages, as one filter the counter knows well. */
function mergeHtmlSteps(filters: readonly ClocFilter[]): ClocFilter[] {
  const merged: ClocFilter[] = [];
  for (const filter of filters) {
    const previous = merged[merged.length - 1];
    if (filter.kind === 'htmlDeclarations' && previous?.kind === 'htmlCommentLines') merged[merged.length - 1] = { kind: 'htmlComments', marker: /<!/ };
    else merged.push(filter);
  }
  return merged;
}

const SCRIPT_LANGUAGES = new Set(Object.values(LANGUAGE_BY_INTERPRETER));

function defineLanguage(name: string, routines: readonly (readonly string[])[]): LanguageDefinition {
  const filters: ClocFilter[] = [];
  let unsupported: string | null = null;
  for (const routine of routines) {
    const compiled = compileRoutine(routine, name);
    if (compiled === 'no-op') continue;
    if ('unsupported' in compiled) unsupported ??= compiled.unsupported;
    else filters.push(compiled);
  }
  const continuation = EOL_CONTINUATION[name];
  const backslash = continuation === '\\\\$';
  return {
    name,
    isScript: SCRIPT_LANGUAGES.has(name),
    filters: mergeHtmlSteps(filters),
    eolContinuation: backslash,
    eolContinuationPattern: continuation !== undefined && !backslash ? perlRegex(continuation, 'i') : null,
    unsupported,
  };
}

/**
 * Every language cloc 1.96 counts, with its comment filters compiled from
 * cloc's own table (clocLanguages.generated.ts). Entries cloc keeps only to
 * decide between languages by content (`Perl/Prolog`) are not languages.
 *
 * @example LANGUAGES.find((language) => language.name === 'Python')
 */
export const LANGUAGES: readonly LanguageDefinition[] = Object.entries(FILTERS_BY_LANGUAGE)
  .filter(([, routines]) => !routines.some(([routine]) => routine === 'die'))
  .map(([name, routines]) => defineLanguage(name, routines));

const BY_NAME = new Map(LANGUAGES.map((language) => [language.name, language]));

/** The language cloc calls `name`, if cloc counts it. */
export function languageNamed(name: string): LanguageDefinition | null {
  return BY_NAME.get(name) ?? null;
}
