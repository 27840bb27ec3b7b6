import type { Finding } from '../../run/types.js';

/**
 * The lines the local audit flagged in production code, by file, for the
 * `security` context ranking (`localHits`): their regions are shown first.
 * Findings in tests, docs, examples and translations (those with a
 * `context`) do not steer the context.
 *
 * @example localHitsByFile(result.findings).get('routes/login.ts') // [34, 64]
 */
export function localHitsByFile(findings: readonly Finding[]): Map<string, number[]> {
  const hits = new Map<string, number[]>();
  for (const finding of findings) {
    if (finding.context !== undefined) continue;
    const lines = hits.get(finding.file);
    if (!lines) hits.set(finding.file, [finding.line]);
    else if (!lines.includes(finding.line)) lines.push(finding.line);
  }
  for (const lines of hits.values()) lines.sort((a, b) => a - b);
  return hits;
}
