import path from 'node:path';
import ignore from 'ignore';
import { InputError } from '../errors.js';
import { readTextHeadSync } from '../files/readTextHead.js';
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
  /**
   * Who wrote it: the operator (`--config`, the user's or the deployment's config, the
   * `suppress` command) or the analysed repository (its suppressions file or config),
   * which is shown as such wherever a suppressed finding appears.
   */
  readonly origin: SuppressionOrigin;
}

export type SuppressionOrigin = 'operator' | 'repository';

/** A suppressions file is a few kilobytes; a larger one is not read. */
const MAX_SUPPRESSIONS_FILE_BYTES = 1024 * 1024;

/**
 * Paths of very different shapes: a path pattern that covers all of them would
 * silence a whole repository, which a repository may not do to itself.
 */
const BLANKET_PROBES = ['a', 'README.md', '.env', 'src/index.ts', 'lib/deep/nested/file.py', 'x/y/z/w.go', 'Makefile'];

const FINGERPRINT = /^[0-9a-f]{20}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
export const SUPPRESSION_SYNTAX = '<fingerprint | rule:path-pattern> [until=YYYY-MM-DD] <reason>';

/**
 * Parses one suppression line. Throws an InputError that names the source
 * line and the expected syntax.
 */
export function parseSuppressionLine(line: string, source: string, origin: SuppressionOrigin = 'operator'): Suppression {
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
  const base = { reason, source, origin, ...(until ? { until } : {}) };
  if (FINGERPRINT.test(selector)) return { ...base, fingerprint: selector };
  const colon = selector.indexOf(':');
  if (colon > 0 && colon < selector.length - 1) {
    const rule = selector.slice(0, colon);
    return { ...base, rule: rule === '*' ? '*' : normalizeRuleId(rule), pathPattern: selector.slice(colon + 1) };
  }
  throw new InputError(`${source}: "${selector}" is neither a 20-digit fingerprint nor rule:path-pattern (syntax: ${SUPPRESSION_SYNTAX})`);
}

/** The `suppressions` lines of the operator's configuration, each named by its index. */
export function parseConfigSuppressions(lines: readonly string[]): Suppression[] {
  return lines.map((line, index) => parseSuppressionLine(line, `config suppressions[${index}]`));
}

/** Parses a suppressions file: one per line, `#` comments and blank lines ignored. */
export function parseSuppressions(text: string, fileName: string, origin: SuppressionOrigin = 'operator'): Suppression[] {
  const suppressions: Suppression[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    const trimmed = line.trim();
    if (!trimmed || trimmed.startsWith('#')) return;
    suppressions.push(parseSuppressionLine(trimmed, `${fileName}:${index + 1}`, origin));
  });
  return suppressions;
}

/** True when a rule:path suppression's pattern covers every path of any shape. */
export function isBlanketPattern(pattern: string): boolean {
  try {
    const matcher = ignore().add(pattern);
    return BLANKET_PROBES.every((probe) => matcher.ignores(probe));
  } catch {
    return false;
  }
}

/** The suppressions a repository committed, and the lines refused with why. */
export interface RepositorySuppressions {
  readonly suppressions: readonly Suppression[];
  /** `headless-workers.suppressions:3: "*:**" covers every file; ...` */
  readonly refused: readonly string[];
}

/**
 * Reads the suppressions the analysed repository committed: its
 * `headless-workers.suppressions` file and the `suppressions` of its config file
 * (`configLines`). They are data from the target, so they are marked
 * repository-sourced, a blanket pattern (one covering every file) or a malformed
 * line is refused and reported instead of failing the run, and the file is read
 * only when it is a regular file (never through a link, never blocking on a FIFO).
 * With `enabled` false (the operator's `repositorySuppressions: false`) none apply
 * and each is reported as refused.
 *
 * @example
 * const { suppressions, refused } = loadRepositorySuppressions('/src/api', [], true);
 */
export function loadRepositorySuppressions(repoDir: string, configLines: readonly string[], enabled: boolean): RepositorySuppressions {
  const refused: string[] = [];
  const lines: { text: string; source: string }[] = [];
  const read = readTextHeadSync(path.join(repoDir, SUPPRESSIONS_FILE_NAME), MAX_SUPPRESSIONS_FILE_BYTES + 1);
  if (read.kind === 'text' && !read.truncated) {
    read.text.split(/\r?\n/).forEach((text, index) => lines.push({ text: text.trim(), source: `${SUPPRESSIONS_FILE_NAME}:${index + 1}` }));
  } else if (!(read.kind === 'unreadable' && read.reason === 'ENOENT')) {
    const why = read.kind === 'text' ? `larger than ${MAX_SUPPRESSIONS_FILE_BYTES} bytes` : read.kind === 'binary' ? 'not text' : read.reason;
    refused.push(`${SUPPRESSIONS_FILE_NAME}: ${why}; none of it applied`);
  }
  configLines.forEach((text, index) => lines.push({ text: text.trim(), source: `headless-workers.config.json suppressions[${index}]` }));
  const suppressions: Suppression[] = [];
  for (const { text, source } of lines) {
    if (!text || text.startsWith('#')) continue;
    if (!enabled) {
      refused.push(`${source}: repository suppressions are turned off by the operator (repositorySuppressions: false)`);
      continue;
    }
    try {
      const suppression = parseSuppressionLine(text, source, 'repository');
      if (suppression.pathPattern !== undefined && isBlanketPattern(suppression.pathPattern)) {
        refused.push(`${source}: "${suppression.rule}:${suppression.pathPattern}" covers every file; a repository may not suppress everything (name the paths)`);
      } else suppressions.push(suppression);
    } catch (error) {
      refused.push((error as Error).message);
    }
  }
  return { suppressions, refused };
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
