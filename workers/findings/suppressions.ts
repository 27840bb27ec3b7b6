import { readFile } from 'node:fs/promises';
import ignore from 'ignore';
import { InputError } from '../errors.js';
import { normalizeRuleId } from './normalizeRuleId.js';
import { REPOSITORY_SCOPE } from './types.js';

/** File in the target repository (committed by the team) that holds suppressions. */
export const SUPPRESSIONS_FILE_NAME = 'headless-workers.suppressions';

/**
 * One suppression: a fingerprint, or a rule with a gitignore-style path
 * pattern (`hardcoded-secret:test/fixtures/**`, `*:vendor/**`), with a
 * required reason and an optional expiry date.
 */
export interface Suppression {
  readonly fingerprint?: string;
  readonly rule?: string;
  readonly pathPattern?: string;
  readonly reason: string;
  /** YYYY-MM-DD: the suppression ends at the start of that day (UTC). */
  readonly until?: string;
  /** Where it came from, e.g. `headless-workers.suppressions:4`. */
  readonly source: string;
}

const FINGERPRINT = /^[0-9a-f]{20}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
export const SUPPRESSION_SYNTAX = '<fingerprint | rule:path-pattern> [until=YYYY-MM-DD] <reason>';

/**
 * Parses one suppression line. Throws an InputError that names the source
 * line and the expected syntax.
 */
export function parseSuppressionLine(line: string, source: string): Suppression {
  const tokens = line.trim().split(/\s+/);
  const selector = tokens.shift() ?? '';
  let until: string | undefined;
  if (tokens[0]?.startsWith('until=')) {
    until = tokens.shift()!.slice('until='.length);
    if (!DATE.test(until) || Number.isNaN(Date.parse(`${until}T00:00:00Z`))) {
      throw new InputError(`${source}: "until=${until}" is not a date; write until=YYYY-MM-DD (syntax: ${SUPPRESSION_SYNTAX})`);
    }
  }
  const reason = tokens.join(' ').trim();
  if (!reason) throw new InputError(`${source}: a reason is required (syntax: ${SUPPRESSION_SYNTAX})`);
  const base = { reason, source, ...(until ? { until } : {}) };
  if (FINGERPRINT.test(selector)) return { ...base, fingerprint: selector };
  const colon = selector.indexOf(':');
  if (colon > 0 && colon < selector.length - 1) {
    const rule = selector.slice(0, colon);
    return { ...base, rule: rule === '*' ? '*' : normalizeRuleId(rule), pathPattern: selector.slice(colon + 1) };
  }
  throw new InputError(`${source}: "${selector}" is neither a 20-digit fingerprint nor rule:path-pattern (syntax: ${SUPPRESSION_SYNTAX})`);
}

/** The `suppressions` lines of the configuration, each named by its index. */
export function parseConfigSuppressions(lines: readonly string[]): Suppression[] {
  return lines.map((line, index) => parseSuppressionLine(line, `config suppressions[${index}]`));
}

/** Parses a suppressions file: one per line, `#` comments and blank lines ignored. */
export function parseSuppressions(text: string, fileName: string): Suppression[] {
  const suppressions: Suppression[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    const trimmed = line.trim();
    if (!trimmed || trimmed.startsWith('#')) return;
    suppressions.push(parseSuppressionLine(trimmed, `${fileName}:${index + 1}`));
  });
  return suppressions;
}

/** Reads the repository's suppressions file; none when it does not exist. */
export async function loadSuppressionsFile(file: string, displayName = SUPPRESSIONS_FILE_NAME): Promise<Suppression[]> {
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return '';
    throw new InputError(`cannot read ${file}: ${error.code ?? String(error)}`);
  });
  return parseSuppressions(text, displayName);
}

/** The first active suppression that covers a finding, or null. */
export function matchSuppression(
  finding: { readonly fingerprint: string; readonly ruleId: string; readonly file: string },
  suppressions: readonly Suppression[],
  now: Date,
): Suppression | null {
  const rule = normalizeRuleId(finding.ruleId);
  for (const suppression of suppressions) {
    if (suppression.until && Date.parse(`${suppression.until}T00:00:00Z`) <= now.getTime()) continue;
    if (suppression.fingerprint) {
      if (suppression.fingerprint === finding.fingerprint) return suppression;
      continue;
    }
    if (suppression.rule !== '*' && suppression.rule !== rule) continue;
    if (suppression.pathPattern && pathMatches(suppression.pathPattern, finding.file)) return suppression;
  }
  return null;
}

/**
 * Whether a gitignore-style pattern covers a finding's file. A finding about
 * the whole repository (a learned convention) has no path: only a pattern
 * that covers everything (`*`, `**`) applies to it.
 */
function pathMatches(pattern: string, file: string): boolean {
  if (file === REPOSITORY_SCOPE) return pattern === '*' || pattern === '**';
  try {
    return ignore().add(pattern).ignores(file);
  } catch {
    // A path `ignore` refuses (absolute, `../`): a model reported it, no pattern of ours covers it.
    return false;
  }
}
