import { fileRole } from '../context/fileRole.js';
import type { Finding } from '../run/types.js';

/** Where a finding sits when it is not in production code: shown only with `--all`, at a lower level. */
export const FINDING_CONTEXTS = ['test', 'docs', 'i18n', 'example'] as const;
export type FindingContext = (typeof FINDING_CONTEXTS)[number];

/** Folders that hold translations, in any framework. */
const I18N_DIRS = new Set(['i18n', 'l10n', 'locale', 'locales', 'translations', 'translation', 'lang', 'langs', 'languages', 'nls']);

/** Translation catalogue formats. */
const I18N_EXTENSIONS = new Set(['po', 'pot', 'mo', 'xlf', 'xliff', 'resx', 'arb', 'strings', 'stringsdict', 'ftl', 'ts']);

/** A file named by a locale with a region: `de_DE.json`, `pt-BR.yml`, `messages_fr_FR.properties`. */
const LOCALE_NAME = /(?:^|[._-])[a-z]{2,3}[_-][A-Z]{2}\.(?:json|ya?ml|properties|po|js|ts|toml|xml)$/;

/** Android resource folders for a language: `values-fr/strings.xml`, `values-pt-rBR/`. */
const ANDROID_VALUES = /^values-[a-z]{2,3}(?:-r[A-Z]{2})?$/;

/**
 * The context of a repository-relative path, judged from the path alone with
 * signals any language has: translation folders and catalogues (`i18n`),
 * tests and fixtures (`test`), examples and samples (`example`), docs
 * (`docs`); undefined for production code.
 *
 * @example contextOfPath('frontend/src/assets/i18n/de_DE.json') === 'i18n'; contextOfPath('src/login.ts') === undefined
 */
export function contextOfPath(relativePath: string): FindingContext | undefined {
  const segments = relativePath.split('/');
  const base = segments[segments.length - 1] ?? relativePath;
  const dirs = segments.slice(0, -1);
  const extension = base.includes('.') ? base.slice(base.lastIndexOf('.') + 1).toLowerCase() : '';
  const lowerDirs = dirs.map((dir) => dir.toLowerCase());
  // A `.ts` in a translation folder is a Qt catalogue or a locale module; elsewhere it is TypeScript.
  if (lowerDirs.some((dir) => I18N_DIRS.has(dir)) || (extension !== 'ts' && I18N_EXTENSIONS.has(extension)) || LOCALE_NAME.test(base) || dirs.some((dir) => ANDROID_VALUES.test(dir))) {
    return 'i18n';
  }
  const role = fileRole(relativePath);
  if (role === 'test') return 'test';
  if (role === 'example') return lowerDirs.some((dir) => dir === 'fixture' || dir === 'fixtures' || dir === 'testdata') ? 'test' : 'example';
  if (role === 'docs') return 'docs';
  return undefined;
}

const LOWER_SEVERITY: Readonly<Record<Finding['severity'], Finding['severity']>> = { critical: 'low', high: 'low', medium: 'low', low: 'low', info: 'info' };

/**
 * A finding with its `context` and, outside production code, a lower
 * severity (at most `low`): a secret in a test fixture or a translated
 * "password" label is worth a look, not an alert. Production findings are
 * returned as they are.
 *
 * @example withFindingContext({ ruleId: 'sql-injection', severity: 'high', file: 'test/db.spec.ts', line: 3, message: '' }).severity === 'low'
 */
export function withFindingContext<T extends Finding>(finding: T): T {
  const context = contextOfPath(finding.file);
  if (!context) return finding;
  return { ...finding, context, severity: LOWER_SEVERITY[finding.severity] };
}
