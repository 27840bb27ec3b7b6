import { passesValueFilter } from './passesValueFilter.js';
import { SECRET_RULES } from './secretRules.js';
import type { SecretMatch, SecretRule } from './types.js';

export interface FindOptions {
  /** Also return matches of redaction-only rules (default false). */
  readonly includeRedactOnly?: boolean;
  /** Rules to run (default: SECRET_RULES). */
  readonly rules?: readonly SecretRule[];
}

const compiled = new WeakMap<SecretRule, RegExp>();

/** The rule's regex with `g` (scan the whole text) and `d` (group offsets) added, compiled once. */
function globalPattern(rule: SecretRule): RegExp {
  let pattern = compiled.get(rule);
  if (!pattern) {
    const flags = new Set([...rule.pattern.flags, 'g', 'd']);
    pattern = new RegExp(rule.pattern.source, [...flags].join(''));
    compiled.set(rule, pattern);
  }
  return pattern;
}

/**
 * Runs every applicable rule once over the whole text and returns the secret
 * values found, in text order, including overlapping matches of different
 * rules. A rule runs only when one of its keywords occurs in the text (one
 * lowercase copy per call), which skips most regexes on most files.
 *
 * @example findSecretMatches('token = "ghp_…"', 'src/a.ts')
 */
export function findSecretMatches(text: string, filePath: string, options: FindOptions = {}): SecretMatch[] {
  const lower = text.toLowerCase();
  const matches: SecretMatch[] = [];
  for (const rule of options.rules ?? SECRET_RULES) {
    if (rule.redactOnly && !options.includeRedactOnly) continue;
    if (rule.paths && !rule.paths.test(filePath)) continue;
    if (rule.keywords && !rule.keywords.some((keyword) => lower.includes(keyword))) continue;
    if (rule.requires && !rule.requires.test(text)) continue;
    const pattern = globalPattern(rule);
    pattern.lastIndex = 0;
    for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
      if (match[0].length === 0) pattern.lastIndex++;
      const span = match.indices?.groups?.['secret'];
      const value = match.groups?.['secret'];
      if (!span || value === undefined) continue;
      const related = Object.entries(match.groups ?? {})
        .filter(([name, groupValue]) => name !== 'secret' && name !== 'q' && groupValue !== undefined)
        .map(([, groupValue]) => groupValue as string);
      if (!passesValueFilter(value, rule.filter, related, match.groups?.['key'])) continue;
      matches.push({ rule, matchStart: match.index, start: span[0], end: span[1], value });
    }
  }
  return matches.sort((a, b) => a.start - b.start || b.end - a.end);
}
