import { findSecretMatches } from '../../secrets/findSecretMatches.js';
import { maskSecret } from '../../secrets/maskSecret.js';

/**
 * Masks every value the secret rules (redaction-only ones included) find in a
 * text that goes into a SARIF file. Local findings arrive masked already; this
 * is for model-written messages and evidence, which quote whatever the model
 * chose to quote. A SARIF file is uploaded and shared, so over-masking a
 * random-looking string beats leaking a credential.
 *
 * @example maskSecretsIn(`Key ${awsKeyId} is committed`, 'src/a.ts') // 'Key AKIA**************** is committed'
 */
export function maskSecretsIn(text: string, file: string): string {
  const spans = findSecretMatches(text, file, { includeRedactOnly: true })
    .map(({ start, end }) => ({ start, end }))
    .sort((a, b) => a.start - b.start);
  if (spans.length === 0) return text;
  // Overlapping matches of different rules become one span, masked once.
  const merged: { start: number; end: number }[] = [];
  for (const span of spans) {
    const last = merged.at(-1);
    if (last && span.start < last.end) last.end = Math.max(last.end, span.end);
    else merged.push({ ...span });
  }
  let output = '';
  let cursor = 0;
  for (const span of merged) {
    output += text.slice(cursor, span.start) + maskSecret(text.slice(span.start, span.end));
    cursor = span.end;
  }
  return output + text.slice(cursor);
}
