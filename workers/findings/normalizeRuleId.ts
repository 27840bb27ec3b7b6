/**
 * Names models use for the same kind of issue, folded onto one category so a
 * reworded ruleId keeps its fingerprint. Keys and values are normalized ids.
 */
const SYNONYMS: Readonly<Record<string, string>> = {
  sqli: 'sql-injection',
  'sql-injection-vulnerability': 'sql-injection',
  'sql-concatenation': 'sql-injection',
  'command-injection': 'command-injection',
  'os-command-injection': 'command-injection',
  'shell-injection': 'command-injection',
  'xss': 'cross-site-scripting',
  'reflected-xss': 'cross-site-scripting',
  'stored-xss': 'cross-site-scripting',
  'hardcoded-credentials': 'hardcoded-secret',
  'hard-coded-credentials': 'hardcoded-secret',
  'hardcoded-password': 'hardcoded-secret',
  'hardcoded-api-key': 'hardcoded-secret',
  'hard-coded-secret': 'hardcoded-secret',
  'exposed-secret': 'hardcoded-secret',
  'secret-in-code': 'hardcoded-secret',
  'path-traversal-vulnerability': 'path-traversal',
  'directory-traversal': 'path-traversal',
  'insecure-deserialization': 'unsafe-deserialization',
  'code-injection': 'eval-injection',
  'use-of-eval': 'eval-injection',
};

/**
 * Lowercase kebab-case, without a trailing "-vulnerability"/"-issue", then
 * folded through the synonym table: `SQL_Injection`, `sqli` and
 * `sql-injection-vulnerability` all become `sql-injection`.
 */
export function normalizeRuleId(ruleId: string): string {
  const kebab = ruleId
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  const trimmed = kebab.replace(/-(vulnerability|issue|risk|detected|found)$/, '');
  return SYNONYMS[kebab] ?? SYNONYMS[trimmed] ?? trimmed;
}
