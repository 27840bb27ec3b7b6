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
  /** `remove_between_general` (literal markers) or `remove_between_regex` (regex sources). */
  | { readonly kind: 'removeBetween'; readonly start: string; readonly end: string; readonly regex: boolean; readonly marker?: RegExp }
  /** `remove_below_above`: drop a block of lines from a line matching `below` to one matching `above`. */
  | { readonly kind: 'removeBelowAbove'; readonly below: RegExp; readonly above: RegExp; readonly marker?: RegExp }
  /** `replace_regex` / Java's `replace_between_regex`: rewrite each line, then drop it if blank. */
  | { readonly kind: 'replaceInLines'; readonly pattern: RegExp; readonly replacement: string; readonly marker?: RegExp };

/** A language as cloc counts it. */
export interface LanguageDefinition {
  /** The name cloc prints (`TypeScript`, `C/C++ Header`, `Bourne Again Shell`). */
  readonly name: string;
  /** File extensions without the dot; case-sensitive, as cloc is on Linux (`C` is C++, `c` is C). */
  readonly extensions: readonly string[];
  /** Exact file names (`Makefile`, `Dockerfile`). */
  readonly fileNames?: readonly string[];
  /** File name stems before any extension (`Dockerfile.prod`). */
  readonly fileNamePrefixes?: readonly string[];
  /**
   * Interpreters named on a `#!` first line of a file without a known
   * extension. A language with interpreters is a script language: cloc counts
   * its `#!` line as code even though it starts with a comment marker.
   */
  readonly interpreters?: readonly string[];
  /** Line comment markers, for readers; counting follows `filters`. */
  readonly lineComments: readonly string[];
  /** Block comment delimiter pairs, for readers; counting follows `filters`. */
  readonly blockComments: readonly (readonly [string, string])[];
  /**
   * String delimiters to be aware of. cloc by default does not protect comment
   * markers inside strings (`"a/*b"` opens a comment), and neither does the
   * counter, so that the figures agree.
   */
  readonly strings: readonly string[];
  readonly filters: readonly ClocFilter[];
  /** A blank line after a line ending in `\` is a continuation, not a blank line. */
  readonly eolContinuation: boolean;
}

const HASH_LINE: ClocFilter = { kind: 'dropLines', pattern: /^\s*#/i, marker: /#/ };
// Every regex of remove_html_comments and of the HTML declaration pattern starts at `<!`.
const HTML_COMMENTS: ClocFilter = { kind: 'htmlComments', marker: /<!/ };
const C_BLOCK: ClocFilter = { kind: 'cComments', lineComments: false };
const C_AND_LINE: ClocFilter = { kind: 'cComments', lineComments: true };
const C_STYLE = { lineComments: ['//'], blockComments: [['/*', '*/']] as const, filters: [C_AND_LINE] };
const HASH_STYLE = { lineComments: ['#'], blockComments: [] as const, filters: [HASH_LINE] };

/**
 * The languages the map worker counts, with cloc's names, file matching and
 * comment filters (taken from cloc 1.96's `%Filters_by_Language`).
 *
 * @example LANGUAGES.find((language) => language.name === 'Python')
 */
export const LANGUAGES: readonly LanguageDefinition[] = [
  { name: 'TypeScript', extensions: ['ts', 'tsx'], strings: ['"', "'", '`'], eolContinuation: true, ...C_STYLE },
  {
    name: 'JavaScript',
    extensions: ['js', 'mjs', 'cjs', 'es6', 'jsm', 'jss', 'sjs', 'ssjs', 'pac', 'njs', 'jsb', 'jake', '_js', 'bones', 'jscad', 'jsfl', 'xsjs', 'xsjslib'],
    strings: ['"', "'", '`'],
    eolContinuation: true,
    ...C_STYLE,
  },
  { name: 'JSX', extensions: ['jsx'], strings: ['"', "'", '`'], eolContinuation: true, ...C_STYLE },
  {
    name: 'JSON',
    extensions: ['json', 'jsonl', 'geojson', 'topojson', 'webmanifest', 'har', 'avsc', 'gltf', 'mcmeta', 'tfstate', 'arcconfig', 'htmlhintrc', 'tern-config', 'tern-project', 'watchmanconfig', 'webapp', 'yyp'],
    lineComments: [],
    blockComments: [],
    strings: ['"'],
    filters: [],
    eolContinuation: false,
  },
  {
    name: 'YAML',
    extensions: ['yml', 'yaml', 'clang-format', 'clang-tidy', 'gemrc', 'reek', 'rviz', 'sublime-syntax', 'syntax', 'mir'],
    strings: ['"', "'"],
    eolContinuation: false,
    ...HASH_STYLE,
  },
  {
    name: 'Markdown',
    extensions: ['md', 'markdown', 'mdown', 'mdwn', 'mdx', 'mkd', 'mkdn', 'mkdown', 'ronn', 'workbook'],
    lineComments: [],
    blockComments: [['<!--', '-->']],
    strings: [],
    filters: [
      { kind: 'removeBetween', start: '<!--', end: '-->', regex: false, marker: /<!--/ },
      // The marker is the start pattern: a line can match it only where the whole text does.
      {
        kind: 'removeBetween',
        start: String.raw`\[(comment|\/\/)?\]\s*:?\s*(<\s*>|#)?\s*\(.*?`,
        end: String.raw`.*?\)`,
        regex: true,
        marker: /\[(comment|\/\/)?\]\s*:?\s*(<\s*>|#)?\s*\(/,
      },
    ],
    eolContinuation: false,
  },
  {
    name: 'Python',
    extensions: ['py', 'pyw', 'pyi', 'py3', 'pyde', 'pyp', 'pyt', 'gyp', 'gypi', 'lmi', 'tac', 'wsgi', 'xpy'],
    interpreters: ['python', 'python2', 'python2.6', 'python2.7', 'python3', 'python3.3', 'python3.4', 'python3.5', 'python3.6', 'python3.7', 'python3.8'],
    lineComments: ['#'],
    blockComments: [['"""', '"""'], ["'''", "'''"]],
    strings: ['"', "'", '"""', "'''"],
    filters: [
      { kind: 'dropLines', pattern: /\/\*/i },
      { kind: 'dropLines', pattern: /\*\//i },
      HASH_LINE,
      { kind: 'docstringsToC' },
      C_BLOCK,
    ],
    eolContinuation: true,
  },
  { name: 'Go', extensions: ['go'], strings: ['"', '`', "'"], eolContinuation: true, ...C_STYLE },
  { name: 'Rust', extensions: ['rs', 'rs.in'], strings: ['"'], eolContinuation: false, ...C_STYLE },
  {
    name: 'Java',
    extensions: ['java'],
    lineComments: ['//'],
    blockComments: [['/*', '*/']],
    strings: ['"', "'"],
    filters: [
      { kind: 'replaceInLines', pattern: /\\$/g, replacement: ' ' },
      // A string ending in `/*` or `*/` ("src/*") becomes `xx` so it opens or closes no comment.
      { kind: 'replaceInLines', pattern: /(["'])(.*?\/\*)\1/gs, replacement: 'xx' },
      { kind: 'replaceInLines', pattern: /(["'])(.*?\*\/)\1/gs, replacement: 'xx' },
      C_AND_LINE,
    ],
    eolContinuation: false,
  },
  { name: 'C', extensions: ['c', 'cats', 'ec', 'idc', 'pgc'], strings: ['"', "'"], eolContinuation: true, ...C_STYLE },
  { name: 'C/C++ Header', extensions: ['h', 'H', 'hh', 'hpp', 'hxx'], strings: ['"', "'"], eolContinuation: true, ...C_STYLE },
  { name: 'C++', extensions: ['cpp', 'CPP', 'cc', 'cxx', 'c++', 'C', 'h++', 'inl', 'ipp', 'tcc', 'tpp', 'pcc'], strings: ['"', "'"], eolContinuation: true, ...C_STYLE },
  { name: 'C#', extensions: ['cs'], strings: ['"', "'"], eolContinuation: true, ...C_STYLE },
  {
    name: 'Ruby',
    extensions: ['rb', 'rake', 'gemspec', 'podspec', 'rbw', 'rbx', 'ru', 'jbuilder', 'thor', 'builder', 'irbrc', 'pryrc'],
    fileNames: ['Rakefile', 'rakefile'],
    interpreters: ['ruby'],
    lineComments: ['#'],
    blockComments: [['=begin', '=end']],
    strings: ['"', "'"],
    filters: [HASH_LINE, { kind: 'removeBelowAbove', below: /^=begin/, above: /^=end/ }],
    eolContinuation: true,
  },
  {
    name: 'PHP',
    extensions: ['php', 'php3', 'php4', 'php5', 'phtml', 'phpt', 'phps', 'ctp'],
    interpreters: ['php', 'php5'],
    lineComments: ['//', '#'],
    blockComments: [['/*', '*/']],
    strings: ['"', "'"],
    filters: [HASH_LINE, C_AND_LINE],
    eolContinuation: false,
  },
  { name: 'Bourne Shell', extensions: ['sh'], interpreters: ['sh'], strings: ['"', "'"], eolContinuation: true, ...HASH_STYLE },
  { name: 'Bourne Again Shell', extensions: ['bash'], interpreters: ['bash'], strings: ['"', "'"], eolContinuation: true, ...HASH_STYLE },
  {
    name: 'HTML',
    extensions: ['html', 'htm', 'xht', 'html.hl'],
    lineComments: [],
    blockComments: [['<!--', '-->']],
    strings: ['"', "'"],
    filters: [HTML_COMMENTS],
    eolContinuation: false,
  },
  { name: 'CSS', extensions: ['css'], lineComments: [], blockComments: [['/*', '*/']], strings: ['"', "'"], filters: [C_BLOCK], eolContinuation: false },
  { name: 'SCSS', extensions: ['scss'], strings: ['"', "'"], eolContinuation: false, ...C_STYLE },
  {
    name: 'SQL',
    extensions: ['sql', 'SQL', 'psql', 'mysql', 'cql', 'tab', 'udf', 'viw'],
    lineComments: ['--'],
    blockComments: [['/*', '*/']],
    strings: ["'"],
    filters: [C_BLOCK, { kind: 'dropLines', pattern: /^\s*--/i }],
    eolContinuation: false,
  },
  {
    name: 'Dockerfile',
    extensions: ['dockerfile', 'Dockerfile'],
    fileNames: ['Dockerfile', 'dockerfile', 'Dockerfile.m4', 'dockerfile.m4', 'Dockerfile.cmake', 'dockerfile.cmake'],
    fileNamePrefixes: ['Dockerfile'],
    strings: ['"', "'"],
    eolContinuation: false,
    ...HASH_STYLE,
  },
  {
    name: 'make',
    extensions: ['mk', 'am', 'makefile', 'Makefile', 'gnumakefile', 'Gnumakefile'],
    fileNames: ['Makefile', 'makefile', 'GNUmakefile', 'Gnumakefile', 'gnumakefile'],
    interpreters: ['make'],
    strings: ['"', "'"],
    eolContinuation: true,
    ...HASH_STYLE,
  },
  { name: 'Text', extensions: ['txt', 'text'], lineComments: [], blockComments: [], strings: [], filters: [], eolContinuation: false },
  { name: 'TOML', extensions: ['toml'], strings: ['"', "'", '"""', "'''"], eolContinuation: false, ...HASH_STYLE },
  {
    name: 'XML',
    extensions: ['xml', 'XML', 'plist', 'vcxproj', 'fsproj', 'props', 'targets', 'resx', 'rss', 'xul', 'kml', 'nuspec', 'storyboard', 'xib', 'iml'],
    lineComments: [],
    blockComments: [['<!--', '-->']],
    strings: ['"', "'"],
    filters: [HTML_COMMENTS],
    eolContinuation: false,
  },
  {
    // cloc's name for a `pom.xml` that is a Maven project file.
    name: 'Maven',
    extensions: [],
    lineComments: [],
    blockComments: [['<!--', '-->']],
    strings: ['"', "'"],
    filters: [HTML_COMMENTS],
    eolContinuation: false,
  },
  {
    // cloc's name for `.ts` files that hold Qt translations (XML) rather than TypeScript.
    name: 'Qt Linguist',
    extensions: [],
    lineComments: [],
    blockComments: [['<!--', '-->']],
    strings: ['"', "'"],
    filters: [HTML_COMMENTS],
    eolContinuation: false,
  },
  { name: 'Kotlin', extensions: ['kt', 'kts', 'ktm'], strings: ['"', "'", '"""'], eolContinuation: false, ...C_STYLE },
  { name: 'Swift', extensions: ['swift'], strings: ['"', '"""'], eolContinuation: true, ...C_STYLE },
];
