import { findSecretMatches } from './findSecretMatches.js';
import { classifySensitiveFile } from './sensitiveFiles.js';

/** Marker id for values of `.env`/credential files, whatever they look like. */
export const SENSITIVE_VALUE_RULE_ID = 'sensitive-file-value';
/** Marker id for the body of a key file. */
export const KEY_MATERIAL_RULE_ID = 'key-material';

export interface SecretSpan {
  readonly start: number;
  readonly end: number;
  readonly ruleId: string;
}

/** `KEY=value`, `export KEY=value`, `key: value`, `"key": "value",` and `//host/:_authToken=value`. */
const ASSIGNMENT_LINE = /^([ \t]*(?:export[ \t]+)?["']?[\w.\-/:@]+["']?[ \t]*[=:][ \t]*)(.*?)[ \t\r]*$/;
const COMMENT_OR_SECTION = /^[ \t]*(?:[#;]|\/\/(?!\S*=)|\[[^\]]*\][ \t\r]*$)/;
const KEY_MARKER = /^[ \t]*-----(?:BEGIN|END)[ A-Z0-9_-]*-----[ \t\r]*$/;

/**
 * Replaces every secret value in a file's text with `[REDACTED:<ruleId>]`
 * before the text goes into a prompt. All rules run, including the
 * redaction-only high-entropy rule, and in `.env`/credential files every
 * assigned value (and any other line with content) is replaced, in key files
 * every line but the BEGIN/END markers: over-redacting a random-looking value
 * costs little, leaking one costs a rotated credential. Names, operators and
 * structure stay, so the code remains readable.
 *
 * @example redactSecrets('DB_PASSWORD=hunter22\n', '.env') // { text: 'DB_PASSWORD=[REDACTED:sensitive-file-value]\n', count: 1 }
 */
export function redactSecrets(text: string, filePath: string): { text: string; count: number } {
  const merged = secretSpans(text, filePath);
  if (merged.length === 0) return { text, count: 0 };
  let output = '';
  let cursor = 0;
  for (const span of merged) {
    output += text.slice(cursor, span.start) + `[REDACTED:${span.ruleId}]`;
    cursor = span.end;
  }
  return { text: output + text.slice(cursor), count: merged.length };
}

/**
 * Where `redactSecrets` finds secret values in a file's text: every rule's match,
 * the values of `.env`/credential files and the body of key files, merged and in order.
 */
export function secretSpans(text: string, filePath: string): readonly SecretSpan[] {
  const spans: SecretSpan[] = findSecretMatches(text, filePath, { includeRedactOnly: true }).map((match) => ({
    start: match.start,
    end: match.end,
    ruleId: match.rule.id,
  }));
  const kind = classifySensitiveFile(filePath);
  if (kind === 'assignments') spans.push(...assignmentValueSpans(text));
  if (kind === 'key-material') spans.push(...keyBodySpans(text));
  return mergeSpans(spans);
}

/** Each line's value in an env/credentials file; lines that are not assignments go whole. */
function assignmentValueSpans(text: string): SecretSpan[] {
  const spans: SecretSpan[] = [];
  forEachLine(text, (line, offset) => {
    if (line.trim().length === 0 || COMMENT_OR_SECTION.test(line)) return;
    const assignment = ASSIGNMENT_LINE.exec(line);
    if (assignment) {
      const value = assignment[2]!;
      if (value.length > 0) spans.push({ start: offset + assignment[1]!.length, end: offset + assignment[1]!.length + value.length, ruleId: SENSITIVE_VALUE_RULE_ID });
      return;
    }
    if (!/[A-Za-z0-9]/.test(line)) return;
    const leading = line.length - line.trimStart().length;
    spans.push({ start: offset + leading, end: offset + line.trimEnd().length, ruleId: SENSITIVE_VALUE_RULE_ID });
  });
  return spans;
}

/** Every non-blank line of a key file except the armour markers, consecutive lines as one span. */
function keyBodySpans(text: string): SecretSpan[] {
  const spans: SecretSpan[] = [];
  let open: { start: number; end: number } | null = null;
  forEachLine(text, (line, offset) => {
    if (line.trim().length === 0 || KEY_MARKER.test(line)) {
      if (open) spans.push({ ...open, ruleId: KEY_MATERIAL_RULE_ID });
      open = null;
      return;
    }
    const start = offset + (line.length - line.trimStart().length);
    const end = offset + line.trimEnd().length;
    open = open ? { start: open.start, end } : { start, end };
  });
  if (open) spans.push({ ...(open as { start: number; end: number }), ruleId: KEY_MATERIAL_RULE_ID });
  return spans;
}

function forEachLine(text: string, visit: (line: string, offset: number) => void): void {
  let offset = 0;
  while (offset <= text.length) {
    const newline = text.indexOf('\n', offset);
    const end = newline === -1 ? text.length : newline;
    visit(text.slice(offset, end), offset);
    if (newline === -1) break;
    offset = newline + 1;
  }
}

/** Sorts and unions overlapping spans; the earliest-starting (then longest) span names the marker. */
function mergeSpans(spans: readonly SecretSpan[]): SecretSpan[] {
  const sorted = spans.filter((span) => span.end > span.start).sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: SecretSpan[] = [];
  for (const span of sorted) {
    const last = merged[merged.length - 1];
    if (last && span.start < last.end) {
      if (span.end > last.end) merged[merged.length - 1] = { ...last, end: span.end };
      continue;
    }
    merged.push(span);
  }
  return merged;
}
