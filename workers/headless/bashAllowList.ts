/**
 * Programs that run whatever they are given: shells, language interpreters and
 * command runners. A wildcard after one of them (`sh:*`, `node *`, `env:*`) allows
 * every command, so such an entry is refused. `git` is here because `git -c
 * alias.x=!cmd x` and `-c core.pager=cmd` run commands; `make`, `find`, `xargs`,
 * `sed` (GNU `e`), `awk` (`system()`) likewise.
 */
const ARBITRARY_CODE_PROGRAMS = new Set([
  'sh', 'bash', 'dash', 'zsh', 'ksh', 'mksh', 'csh', 'tcsh', 'fish', 'ash', 'busybox', 'pwsh', 'powershell',
  'env', 'exec', 'eval', 'command', 'builtin', 'xargs', 'nohup', 'nice', 'ionice', 'timeout', 'time', 'stdbuf',
  'setsid', 'chroot', 'unshare', 'nsenter', 'sudo', 'su', 'doas', 'runuser', 'script', 'expect', 'watch', 'strace',
  'ltrace', 'gdb', 'find', 'make', 'gmake', 'git', 'ssh', 'docker', 'podman', 'kubectl',
  'node', 'nodejs', 'deno', 'bun', 'bunx', 'npx', 'tsx', 'ts-node', 'python', 'pypy', 'ruby', 'irb', 'perl', 'php',
  'lua', 'luajit', 'tclsh', 'wish', 'R', 'Rscript', 'julia', 'java', 'jshell', 'groovy', 'scala', 'kotlin', 'osascript',
  'awk', 'gawk', 'mawk', 'nawk', 'sed', 'vim', 'vi', 'nvim', 'emacs', 'ed', 'uv', 'uvx', 'pipx', 'poetry', 'pdm',
  'npm', 'pnpm', 'yarn', 'cargo', 'go', 'dotnet', 'mvn', 'gradle', 'gradlew', 'rake', 'bundle', 'composer', 'pip',
]);

/** `python3`, `python3.12`, `perl5.36`, `ruby3.2`: an interpreter with its version in the name. */
const VERSIONED_INTERPRETER = /^(python|pypy|ruby|perl|php|lua|node|pip)[\d.]*$/;

const hasWildcard = (entry: string): boolean => entry.includes('*');

/** The program an entry starts, without `VAR=value` prefixes, a `:*` suffix or a directory. */
const programOf = (entry: string): string => {
  const words = entry.replace(/:\*$/, '').trim().split(/\s+/);
  const program = words.find((word) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(word)) ?? '';
  return program.slice(program.lastIndexOf('/') + 1);
};

const runsArbitraryCode = (program: string): boolean =>
  ARBITRARY_CODE_PROGRAMS.has(program) || VERSIONED_INTERPRETER.test(program);

/** The problem with one entry, or undefined when it is acceptable. */
const problemOf = (entry: string): string | undefined => {
  const trimmed = entry.trim();
  if (trimmed === '' || /^[\s*:]*$/.test(trimmed)) return 'is empty or a bare wildcard, which would allow every command';
  // Parentheses and control characters would end or split the `Bash(...)` rule; commas split the flag's list.
  if (/[(),\u0000-\u001f\u007f]/.test(trimmed)) return 'contains parentheses, commas or control characters, which would break the Bash(...) rule';
  if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(trimmed)) return 'starts with a variable assignment, which would change what the command runs';
  const program = programOf(trimmed);
  if (program.includes('*')) return 'has a wildcard in the program name, which would allow other programs';
  if (hasWildcard(trimmed) && runsArbitraryCode(program)) {
    return `runs ${program} with a wildcard: ${program} runs any code it is given, so this allows every command`;
  }
  return undefined;
};

/**
 * What is wrong with a `bashAllowList`, one sentence per bad entry naming the field
 * and the fix; empty when every entry is acceptable. Refused: empty entries and bare
 * wildcards (`*`), wildcards in the program name (`python*:*`), and wildcards after a
 * program that runs arbitrary code (`sh:*`, `bash -c *`, `env:*`, `node:*`, `npx:*`,
 * `git:*`). Exact commands (`npm test`, `git diff`) and wildcards after a program that
 * does not run code it is given (`ls:*`) pass.
 *
 * @example
 * bashAllowListProblems(['npm test', 'sh:*']);
 * // ['bashAllowList[1] "sh:*" runs sh with a wildcard: …; list exact commands instead, e.g. "npm test"']
 */
export const bashAllowListProblems = (entries: readonly string[], field = 'bashAllowList'): string[] =>
  entries.flatMap((entry, index) => {
    const problem = problemOf(entry);
    return problem ? [`${field}[${index}] ${JSON.stringify(entry)} ${problem}; list exact commands instead, e.g. "npm test"`] : [];
  });
