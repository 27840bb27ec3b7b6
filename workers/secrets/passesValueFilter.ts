import { isPlaceholderValue } from './isPlaceholderValue.js';
import { shannonEntropy } from './shannonEntropy.js';
import type { ValueFilter } from './types.js';

/**
 * Applies a rule's value checks to a candidate. `related` holds the other
 * named groups of the match (key name, user name) for the placeholder check.
 *
 * @example passesValueFilter('changeme', { rejectPlaceholders: true }) === false
 */
export function passesValueFilter(
  value: string,
  filter: ValueFilter | undefined,
  related: readonly string[] = [],
  keyName?: string,
): boolean {
  if (!filter) return true;
  if (filter.rejectKeys && keyName !== undefined && filter.rejectKeys.test(keyName)) return false;
  if (filter.minLength !== undefined && value.length < filter.minLength) return false;
  if (filter.allow?.some((pattern) => pattern.test(value))) return false;
  if (filter.maxSpaces !== undefined && countSpaces(value) > filter.maxSpaces) return false;
  if (filter.rejectWordsOnly && /^[\p{L}_. -]+$/u.test(value)) return false;
  if (filter.rejectNaturalLanguage && looksLikeNaturalLanguage(value)) return false;
  if (filter.rejectIdentifiers && looksLikeIdentifier(value)) return false;
  if (filter.minCharClasses !== undefined && charClasses(value) < filter.minCharClasses) return false;
  if (filter.minEntropy !== undefined || filter.minEntropyRatio !== undefined) {
    const entropy = shannonEntropy(value);
    if (filter.minEntropy !== undefined && entropy < filter.minEntropy) return false;
    if (filter.minEntropyRatio !== undefined && entropy / Math.log2(Math.min(Math.max(value.length, 2), 48)) < filter.minEntropyRatio) return false;
  }
  if (filter.rejectPlaceholders && isPlaceholderValue(value, related)) return false;
  if (filter.stopwords) {
    const lower = value.toLowerCase();
    if (filter.stopwords.some((word) => lower.includes(word))) return false;
  }
  return true;
}

/**
 * Words in any script with the punctuation of a sentence, and nothing a
 * password is made of beyond that (no digit, no symbol): a UI label in Thai,
 * Hindi or German. Either it has a space, or a letter outside ASCII, or
 * sentence punctuation: `Password!` alone stays a password.
 */
function looksLikeNaturalLanguage(value: string): boolean {
  if (!/^[\p{L}\p{M}\s.,:;!?'"()\u2026\u3001\u3002\uFF01\uFF1F\uFF0C\uFF1A\u00BF\u00A1\u00AB\u00BB\u300C\u300D\u060C\u061F\u0964-]+$/u.test(value)) return false;
  const letters = value.match(/[\p{L}\p{M}]/gu)?.length ?? 0;
  if (letters < 2) return false;
  return /\s/.test(value.trim()) || /[^\x00-\x7F]/.test(value);
}

function countSpaces(value: string): number {
  let count = 0;
  for (const char of value) if (char === ' ') count++;
  return count;
}

function charClasses(value: string): number {
  return Number(/[a-z]/.test(value)) + Number(/[A-Z]/.test(value)) + Number(/[0-9]/.test(value));
}

/**
 * Names are made of pronounceable words: mostly letters, few digits, about a
 * third vowels and no long consonant clusters (`aws-cdk-lib/aws-iam.CfnAccessKey`,
 * `this.api.attrApiId`). Random tokens fail at least one of these: they carry
 * digits, a fifth of their letters are vowels and consonants pile up. Short
 * values are left alone: a short random token passes for a name too often.
 */
function looksLikeIdentifier(value: string): boolean {
  if (value.length < 20) return false;
  const letters = value.replace(/[^A-Za-z]/g, '');
  const digits = value.replace(/[^0-9]/g, '').length;
  if (digits > 2 || letters.length < value.length * 0.75) return false;
  const vowels = letters.replace(/[^aeiouAEIOU]/g, '').length;
  return vowels >= letters.length * 0.25 && !/[b-df-hj-np-tv-z]{4}/i.test(value);
}
