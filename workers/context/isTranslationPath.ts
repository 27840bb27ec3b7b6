const TRANSLATION_DIRS = new Set(['i18n', 'l10n', 'locale', 'locales', 'lang', 'langs', 'languages', 'translations', 'translation', 'intl']);

const TRANSLATION_EXTENSIONS = new Set(['po', 'pot', 'mo', 'xlf', 'xliff', 'resx', 'strings', 'arb', 'ftl']);

/** `en.json`, `de_DE.yml`, `pt-BR.properties`, `messages_fr.properties`: a file named after a language tag. */
const LANGUAGE_TAG_NAME = /^(?:[\w-]*[_.-])?[a-z]{2,3}(?:[_-][A-Za-z]{2,4})?\.(?:json|ya?ml|properties|toml|js|ts|php|ini)$/;

/**
 * True for translation files: under a locale directory (`i18n/`, `locales/`,
 * `lang/`...), in a translation format (`.po`, `.xlf`, `.resx`...), or a
 * data file named after a language tag inside such a directory. Their text is
 * user-facing words, not code an auditor reads first.
 *
 * @example isTranslationPath('src/assets/i18n/de_DE.json') === true
 */
export function isTranslationPath(relativePath: string): boolean {
  const segments = relativePath.split('/');
  const base = segments[segments.length - 1] ?? relativePath;
  const extension = base.includes('.') ? base.slice(base.lastIndexOf('.') + 1).toLowerCase() : '';
  if (TRANSLATION_EXTENSIONS.has(extension)) return true;
  const inLocaleDir = segments.slice(0, -1).some((dir) => TRANSLATION_DIRS.has(dir.toLowerCase()));
  return inLocaleDir && (LANGUAGE_TAG_NAME.test(base) || extension === 'json' || extension === 'yml' || extension === 'yaml' || extension === 'properties');
}
