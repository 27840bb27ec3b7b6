/** Well-known token prefixes that say what a secret is without saying what it is worth. */
const KNOWN_PREFIXES = [
  'github_pat_', 'sk-ant-admin01-', 'sk-ant-api03-', 'sk-ant-', 'sk-proj-', 'sk-svcacct-', 'sk-admin-',
  'sk_live_', 'rk_live_', 'sk_test_', 'rk_test_', 'glpat-', 'gldt-', 'glptt-', 'glrt-',
  'ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'npm_', 'pypi-', 'hf_', 'dop_v1_', 'shpat_', 'hvs.',
  'xoxb-', 'xoxp-', 'xoxa-', 'xoxr-', 'xoxs-', 'xoxe-', 'AKIA', 'ASIA', 'AIza', 'eyJ', 'SG.', 'sk-',
] as const;

const MAX_STARS = 16;

/**
 * Masks a secret so it can be shown in evidence: a known prefix (or at most a
 * quarter of a long value) stays, the rest becomes `*`. Never returns the whole
 * value, and never more than 4 characters of an unknown one.
 *
 * @example maskSecret('AKIAIOSFODNN7REALKEY') === 'AKIA****************'
 */
export function maskSecret(value: string): string {
  if (value.length === 0) return '';
  const known = KNOWN_PREFIXES.find((prefix) => value.startsWith(prefix) && prefix.length * 2 <= value.length);
  const keep = known ? known.length : value.length >= 16 ? 4 : 0;
  return value.slice(0, keep) + '*'.repeat(Math.max(1, Math.min(value.length - keep, MAX_STARS)));
}
