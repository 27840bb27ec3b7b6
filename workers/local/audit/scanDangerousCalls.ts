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
      if (!rule.pattern.test(code) || rule.unless?.test(code)) continue;
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

function stripTrailingComment(line: string, language: CodeLanguage): string {
  for (const match of line.matchAll(TRAILING_COMMENT[language])) {
    const before = line.slice(0, match.index);
    if (['"', "'", '`'].every((quote) => before.split(quote).length % 2 === 1)) return before;
  }
  return line;
}

function evidenceOf(line: string, filePath: string): string {
  const redacted = redactSecrets(line, filePath).text;
  return redacted.length <= MAX_EVIDENCE_CHARS ? redacted : `${redacted.slice(0, MAX_EVIDENCE_CHARS - 1)}…`;
}
