import { secretSpans } from '../secrets/index.js';

/**
 * Redacts secret values as `redactSecrets` does, but keeps every newline a
 * redacted span held (a PEM block becomes its marker and as many line breaks),
 * so line numbers of the redacted text are those of the file: a region's
 * header and the model's citations point at the real lines.
 *
 * @example redactKeepingLines('k = "-----BEGIN...\nAAA\n-----END..."\nx\n', 'a.py').text.split('\n').length // unchanged
 */
export function redactKeepingLines(text: string, filePath: string): { text: string; count: number } {
  const spans = secretSpans(text, filePath);
  if (spans.length === 0) return { text, count: 0 };
  let output = '';
  let cursor = 0;
  for (const span of spans) {
    const newlines = text.slice(span.start, span.end).split('\n').length - 1;
    output += text.slice(cursor, span.start) + `[REDACTED:${span.ruleId}]` + '\n'.repeat(newlines);
    cursor = span.end;
  }
  return { text: output + text.slice(cursor), count: spans.length };
}
