import type { Finding } from '../../run/types.js';
import { redactSecrets } from '../../secrets/index.js';
import { codeLanguageOf } from './codeLanguageOf.js';
import { DANGEROUS_CALL_RULES } from './dangerousCallRules.js';
import type { CodeLanguage, DangerousCallRule } from './types.js';

const MAX_EVIDENCE_CHARS = 200;

/** Line comment markers per language; a line starting with one is not code. */
const LINE_COMMENT: Readonly<Record<CodeLanguage, RegExp>> = {
  javascript: /^(?:\/\/|\/\*|\*)/,
  go: /^(?:\/\/|\/\*|\*)/,
  java: /^(?:\/\/|\/\*|\*)/,
  csharp: /^(?:\/\/|\/\*|\*)/,
  php: /^(?:\/\/|\/\*|\*|#)/,
  html: /^(?:<!--|\/\/|\/\*|\*)/,
  python: /^#/,
  ruby: /^#/,
};

/** A trailing comment marker after whitespace; it starts a comment only where the quotes before it are balanced. */
const TRAILING_COMMENT: Readonly<Record<CodeLanguage, RegExp>> = {
  javascript: /\s\/\//g,
  go: /\s\/\//g,
  java: /\s\/\//g,
  csharp: /\s\/\//g,
  php: /\s(?:\/\/|#)/g,
  html: /\s\/\//g,
  python: /\s#/g,
  ruby: /\s#(?!\{)/g,
};

/**
 * Runs the dangerous-call rules over one file's text, line by line: a rule's
 * regex runs only on lines containing one of its keywords, lines that start
 * with a comment marker are skipped and trailing comments are cut off.
 * Evidence is the line with any secret on it redacted.
 *
 * @example scanDangerousCalls('el.innerHTML = html;\n', 'src/view.ts') // [{ ruleId: 'js-html-injection', line: 1, ... }]
 */
export function scanDangerousCalls(text: string, filePath: string, rules: readonly DangerousCallRule[] = DANGEROUS_CALL_RULES): Finding[] {
  const language = codeLanguageOf(filePath);
  if (!language) return [];
  const lowerText = text.toLowerCase();
  const applicable = rules.filter(
    (rule) =>
      rule.languages.includes(language) &&
      rule.keywords.some((keyword) => lowerText.includes(keyword)) &&
      (!rule.fileRequires || lowerText.includes(rule.fileRequires)),
  );
  if (applicable.length === 0) return [];
  const findings: Finding[] = [];
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const raw = lines[index]!;
    const trimmed = raw.trim();
    if (trimmed.length === 0 || LINE_COMMENT[language].test(trimmed)) continue;
    const code = stripTrailingComment(raw, language);
    const lower = code.toLowerCase();
    for (const rule of applicable) {
      if (!rule.keywords.some((keyword) => lower.includes(keyword))) continue;
      if (!windowsOf(code).some((window) => rule.pattern.test(window) && !rule.unless?.test(window))) continue;
      findings.push({
        ruleId: rule.id,
        severity: rule.severity,
        file: filePath,
        line: index + 1,
        message: rule.message,
        evidence: evidenceOf(trimmed, filePath),
      });
    }
  }
  return findings;
}

/**
 * The line without a trailing comment: the first comment marker with an even
 * number of each quote character before it. One pass over the line, counting
 * quotes as it goes: a minified file's single long line must not cost a
 * rescan of its head at every marker (that was quadratic).
 */
/** Lines longer than this (minified or generated code) are matched window by window. */
const WINDOW_CHARS = 4_000;
const WINDOW_OVERLAP = 1_000;

/**
 * The stretches of a line the rules run on: the line itself, or overlapping
 * windows of a very long one. Some rules scan ahead from every quote, which is
 * quadratic in the line's length; a one-line minified file of 1 MB took
 * minutes. Windows keep the cost linear, and the overlap keeps any match
 * shorter than it (a call and its arguments) inside one window.
 */
function windowsOf(code: string): string[] {
  if (code.length <= WINDOW_CHARS) return [code];
  const windows: string[] = [];
  for (let start = 0; start < code.length; start += WINDOW_CHARS - WINDOW_OVERLAP) {
    windows.push(code.slice(start, start + WINDOW_CHARS));
    if (start + WINDOW_CHARS >= code.length) break;
  }
  return windows;
}

function stripTrailingComment(line: string, language: CodeLanguage): string {
  const quotes: Record<string, number> = { '"': 0, "'": 0, '`': 0 };
  let counted = 0;
  for (const match of line.matchAll(TRAILING_COMMENT[language])) {
    for (; counted < match.index; counted++) {
      const char = line[counted]!;
      if (char in quotes) quotes[char]! += 1;
    }
    if (quotes['"']! % 2 === 0 && quotes["'"]! % 2 === 0 && quotes['`']! % 2 === 0) return line.slice(0, match.index);
  }
  return line;
}

function evidenceOf(line: string, filePath: string): string {
  const redacted = redactSecrets(line, filePath).text;
  return redacted.length <= MAX_EVIDENCE_CHARS ? redacted : `${redacted.slice(0, MAX_EVIDENCE_CHARS - 1)}…`;
}
