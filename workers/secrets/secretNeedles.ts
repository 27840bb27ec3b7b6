import { looseView } from './textViews.js';

/** The view of the text a needle is searched in (see `textViews.ts`); `raw` is the text itself. */
export type NeedleView = 'raw' | 'loose' | 'hex' | 'base64';

/** One form of a known secret, as it reads in one view of a text. */
export interface SecretNeedle {
  readonly view: NeedleView;
  readonly text: string;
}

/**
 * Shortest needle searched for: a shorter one would match ordinary words. It is also
 * the length of the anchor every needle is indexed by.
 */
export const MIN_NEEDLE_CHARS = 8;

/**
 * Values shorter than this with no digit among letters (or no letter among digits) are
 * words (`production`, `localhost`, `12345678`): they are masked where they occur
 * exactly, in their case, and encoded, but not case- or separator-insensitively,
 * where they would match ordinary prose.
 */
const WORD_LIKE_MAX_CHARS = 16;

const reverse = (text: string): string => [...text].reverse().join('');

/** True when a value is random enough to be looked for across case and separators. */
function isSecretLooking(skeleton: string): boolean {
  if (skeleton.length < MIN_NEEDLE_CHARS) return false;
  if (skeleton.length >= WORD_LIKE_MAX_CHARS) return true;
  return /\p{L}/u.test(skeleton) && /\p{N}/u.test(skeleton);
}

/**
 * The stable inner part of the base64 encoding of `bytes` when they start `offset`
 * bytes (0, 1 or 2) into a longer encoded string: the groups made only of the value's
 * own bytes, which read the same whatever comes before and after.
 */
function base64Core(bytes: Buffer, offset: number): string {
  const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
  const first = Math.ceil(offset / 3) * 4;
  const last = Math.floor((offset + bytes.length) / 3) * 4;
  return encoded.slice(first, last);
}

/**
 * Every form of a known secret value the masker looks for: the value and its reverse
 * as written; case- and separator-insensitive (for values that look random); hex of
 * the value and of its reverse, and the hex string reversed; base64 (and base64url,
 * which the base64 view folds in) at the three byte alignments a value can have
 * inside a longer encoded string, of the value and of its reverse, and reversed.
 *
 * @example secretNeedles('Tr0ub4dor&3x').map((n) => n.view) // ['raw', 'raw', 'loose', 'loose', 'hex', …]
 */
export function secretNeedles(value: string): SecretNeedle[] {
  const needles: SecretNeedle[] = [];
  const add = (view: NeedleView, text: string): void => {
    if (text.length >= MIN_NEEDLE_CHARS) needles.push({ view, text });
  };
  if (value.length < MIN_NEEDLE_CHARS) return needles;
  add('raw', value);
  add('raw', reverse(value));
  // Both readings of the value itself, in case it holds something that looks like an escape.
  for (const skeleton of new Set([looseView(value).text, looseView(value, false).text])) {
    if (!isSecretLooking(skeleton)) continue;
    add('loose', skeleton);
    add('loose', reverse(skeleton));
  }
  const bytes = Buffer.from(value, 'utf8');
  const reversedBytes = Buffer.from(reverse(value), 'utf8');
  const hex = bytes.toString('hex');
  add('hex', hex);
  add('hex', reversedBytes.toString('hex'));
  add('hex', reverse(hex));
  for (const offset of [0, 1, 2]) {
    const core = base64Core(bytes, offset);
    add('base64', core);
    add('base64', reverse(core));
    add('base64', base64Core(reversedBytes, offset));
  }
  return needles;
}
