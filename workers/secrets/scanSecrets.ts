import type { Finding } from '../run/types.js';
import { findSecretMatches } from './findSecretMatches.js';
import { maskSecret } from './maskSecret.js';
import { SECRET_RULES } from './secretRules.js';
import type { SecretMatch, SecretRule } from './types.js';

const MAX_EVIDENCE_CHARS = 200;

/**
 * Scans one file's text for secrets and reports each value once: where rules
 * overlap, the earlier (more specific) rule in `rules` wins, as gitleaks keeps
 * a provider finding over its generic one. Evidence is the line with every
 * secret on it masked, so a finding is safe to store and show.
 *
 * @example scanTextForSecrets('AWS_KEY=AKIA…', '.env') // [{ ruleId: 'aws-access-key-id', line: 1, ... }]
 */
export function scanTextForSecrets(text: string, filePath: string, rules: readonly SecretRule[] = SECRET_RULES): Finding[] {
  const matches = keepMostSpecific(findSecretMatches(text, filePath, { rules }), rules);
  if (matches.length === 0) return [];
  const lineStarts = computeLineStarts(text);
  return matches.map((match) => {
    const lineIndex = lineIndexAt(lineStarts, match.matchStart);
    return {
      ruleId: match.rule.id,
      severity: match.rule.severity,
      file: filePath,
      line: lineIndex + 1,
      message: `${match.rule.description}: ${maskSecret(match.value.trim())}`,
      evidence: maskedLine(text, lineStarts, lineIndex, matches, match),
    };
  });
}

/** Drops matches that overlap a match of an earlier rule; returns the rest in text order. */
function keepMostSpecific(matches: readonly SecretMatch[], rules: readonly SecretRule[]): SecretMatch[] {
  const order = new Map(rules.map((rule, index) => [rule, index]));
  const byPriority = [...matches].sort((a, b) => order.get(a.rule)! - order.get(b.rule)! || a.start - b.start);
  const kept: SecretMatch[] = [];
  for (const match of byPriority) {
    if (kept.some((other) => match.start < other.end && other.start < match.end)) continue;
    kept.push(match);
  }
  return kept.sort((a, b) => a.start - b.start || order.get(a.rule)! - order.get(b.rule)!);
}

function computeLineStarts(text: string): number[] {
  const starts = [0];
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) starts.push(index + 1);
  return starts;
}

function lineIndexAt(lineStarts: readonly number[], offset: number): number {
  let low = 0;
  let high = lineStarts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (lineStarts[mid]! <= offset) low = mid;
    else high = mid - 1;
  }
  return low;
}

/** The finding's line with every secret on it masked, trimmed and cut to a window around the secret. */
function maskedLine(
  text: string,
  lineStarts: readonly number[],
  lineIndex: number,
  matches: readonly SecretMatch[],
  focus: SecretMatch,
): string {
  const lineStart = lineStarts[lineIndex]!;
  const lineEnd = lineIndex + 1 < lineStarts.length ? lineStarts[lineIndex + 1]! - 1 : text.length;
  let line = '';
  let cursor = lineStart;
  let focusAt = 0;
  for (const match of matches) {
    if (match.end <= lineStart || match.start >= lineEnd) continue;
    const start = Math.max(match.start, cursor);
    if (start >= match.end) continue;
    line += text.slice(cursor, start);
    if (match === focus) focusAt = line.length;
    line += match.start >= lineStart && match.end <= lineEnd ? maskSecret(match.value) : '****';
    cursor = Math.min(match.end, lineEnd);
    if (match.end > lineEnd) break;
  }
  if (cursor < lineEnd) line += text.slice(cursor, lineEnd);
  line = line.replace(/\r$/, '');
  if (line.length <= MAX_EVIDENCE_CHARS) return line.trim();
  const from = Math.max(0, Math.min(focusAt - MAX_EVIDENCE_CHARS / 2, line.length - MAX_EVIDENCE_CHARS));
  return line.slice(from, from + MAX_EVIDENCE_CHARS).trim();
}
