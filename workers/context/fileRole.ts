/** What a file is for, judged from its path alone so ranking needs no I/O. */
export type FileRole = 'source' | 'test' | 'docs' | 'config' | 'example' | 'other';

const SOURCE_EXTENSIONS = new Set([
  'ts', 'tsx', 'mts', 'cts', 'js', 'jsx', 'mjs', 'cjs', 'vue', 'svelte', 'astro',
  'py', 'go', 'rs', 'java', 'kt', 'kts', 'scala', 'groovy', 'rb', 'php', 'cs', 'fs', 'vb',
  'c', 'h', 'cc', 'cpp', 'cxx', 'hpp', 'hh', 'm', 'mm', 'swift', 'dart', 'lua', 'pl', 'pm',
  'ex', 'exs', 'erl', 'hs', 'ml', 'clj', 'r', 'jl', 'zig', 'nim', 'sol',
  'sh', 'bash', 'zsh', 'ps1', 'sql', 'graphql', 'gql', 'proto', 'tf', 'html', 'css', 'scss',
]);

const DOC_EXTENSIONS = new Set(['md', 'mdx', 'markdown', 'rst', 'adoc', 'asciidoc', 'txt', 'org']);

const DOC_NAMES = new Set(['readme', 'changelog', 'changes', 'history', 'contributing', 'license', 'licence', 'authors', 'notice', 'security', 'code_of_conduct']);

const CONFIG_EXTENSIONS = new Set(['json', 'jsonc', 'json5', 'yaml', 'yml', 'toml', 'ini', 'cfg', 'conf', 'properties', 'xml', 'env', 'plist', 'gradle', 'lock', 'editorconfig']);

const CONFIG_NAMES = new Set(['dockerfile', 'makefile', 'procfile', 'gemfile', 'rakefile', 'vagrantfile', 'jenkinsfile', 'justfile', 'containerfile', 'caddyfile', 'brewfile']);

const TEST_DIRS = new Set(['test', 'tests', '__tests__', '__test__', 'spec', 'specs', 'e2e', 'testing', 'integration-tests', 'test-utils', '__mocks__']);

const EXAMPLE_DIRS = new Set(['example', 'examples', 'sample', 'samples', 'demo', 'demos', 'fixture', 'fixtures', 'testdata', 'bench', 'benchmark', 'benchmarks', 'playground']);

const DOC_DIRS = new Set(['doc', 'docs', 'documentation', 'wiki', 'man']);

/** Test files by name: `a.test.ts`, `a.spec.js`, `a_test.go`, `test_a.py`, `ATest.java`, `ATests.cs`. */
const TEST_NAME = /(?:[._-](?:test|spec|tests|specs)\.[^.]+$)|(?:^test_[^/]+\.py$)|(?:[a-z0-9](?:Test|Tests|Spec|IT)\.(?:java|kt|scala|groovy|cs|swift|php)$)/;

/**
 * Classifies a repository-relative path as source, test, docs, config,
 * example or other. Test and example directories win over extensions, so
 * `test/auth.ts` is a test and `examples/server.ts` an example.
 *
 * @example fileRole('src/auth/login.test.ts') === 'test'
 */
export function fileRole(relativePath: string): FileRole {
  const segments = relativePath.split('/');
  const base = segments[segments.length - 1] ?? relativePath;
  const dirs = segments.slice(0, -1).map((dir) => dir.toLowerCase());
  const lower = base.toLowerCase();
  const extension = lower.includes('.') ? lower.slice(lower.lastIndexOf('.') + 1) : '';
  const stem = lower.split('.')[0] ?? lower;
  if (TEST_NAME.test(base) || dirs.some((dir) => TEST_DIRS.has(dir))) return 'test';
  if (dirs.some((dir) => EXAMPLE_DIRS.has(dir))) return 'example';
  if (/^requirements.*\.txt$/.test(lower)) return 'config';
  if (DOC_EXTENSIONS.has(extension) || (DOC_NAMES.has(stem) && !SOURCE_EXTENSIONS.has(extension) && !CONFIG_EXTENSIONS.has(extension))) return 'docs';
  if (dirs.some((dir) => DOC_DIRS.has(dir)) && !SOURCE_EXTENSIONS.has(extension)) return 'docs';
  if (isConfigName(lower, extension)) return 'config';
  if (SOURCE_EXTENSIONS.has(extension)) return 'source';
  return 'other';
}

function isConfigName(lowerBase: string, extension: string): boolean {
  if (CONFIG_EXTENSIONS.has(extension) || CONFIG_NAMES.has(lowerBase)) return true;
  // Dotfiles (`.env`, `.npmrc`, `.env.production`) and tool configs (`vite.config.ts`, `.eslintrc.js`).
  if (lowerBase.startsWith('.')) return true;
  return /(?:^|[.-])(?:config|conf|rc)\.(?:[cm]?[jt]s|json|ya?ml)$/.test(lowerBase) || lowerBase.startsWith('dockerfile');
}

const ENTRY_STEMS = new Set(['index', 'main', 'app', 'server', 'cli', 'handler', 'lambda', '__main__', 'manage', 'wsgi', 'asgi', 'program', 'startup', 'bootstrap', 'entry']);

/**
 * True for names that usually start a program or export a package's surface
 * (`index`, `main`, `app`, `server`, `cli`, `handler`...).
 *
 * @example isEntryPoint('src/main.go') === true
 */
export function isEntryPoint(relativePath: string): boolean {
  const base = relativePath.slice(relativePath.lastIndexOf('/') + 1).toLowerCase();
  return ENTRY_STEMS.has(base.split('.')[0] ?? base);
}

const SECURITY_WORDS = [
  'auth', 'oauth', 'crypto', 'crypt', 'cipher', 'login', 'logout', 'signin', 'signup', 'session', 'token', 'jwt',
  'password', 'passwd', 'secret', 'credential', 'permission', 'acl', 'rbac', 'role', 'csrf', 'cors', 'cookie',
  'sanitiz', 'escape', 'sql', 'query', 'db', 'database', 'exec', 'shell', 'spawn', 'eval', 'upload', 'download',
  'env', 'private', 'cert', 'ssl', 'tls', 'oidc', 'saml', 'hash', 'api', 'route', 'router', 'routes', 'handler', 'controller', 'middleware', 'config', 'settings', 'admin', 'webhook',
];

/**
 * True when a word of the path (split on separators and camelCase) starts with
 * a security-relevant word: what an auditor opens first. Word starts, not
 * substrings, so `capital.ts` is not taken for `api`.
 *
 * @example isSecurityRelevant('src/authMiddleware.ts') === true
 */
export function isSecurityRelevant(relativePath: string): boolean {
  return SECURITY_WORD_START.test(relativePath.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase());
}

/** A keyword at the start of a word (words are runs of [a-z0-9]): one regex pass instead of words × keywords. */
const SECURITY_WORD_START = new RegExp(`(?:^|[^a-z0-9])(?:${SECURITY_WORDS.join('|')})`);

/**
 * The name a test is about, to pair it with its source: `login.test.ts`,
 * `test_login.py`, `login_test.go` and `LoginTest.java` all give `login`.
 *
 * @example subjectStem('test/auth/login.spec.ts') === 'login'
 */
export function subjectStem(relativePath: string): string {
  let base = relativePath.slice(relativePath.lastIndexOf('/') + 1);
  base = base.replace(/\.[^.]+$/, '');
  base = base.replace(/[._-](?:test|spec|tests|specs)$/i, '');
  base = base.replace(/^test_/i, '');
  base = base.replace(/([a-z0-9])(?:Tests?|Spec|IT)$/, '$1');
  return (base.split('.')[0] ?? base).toLowerCase();
}
