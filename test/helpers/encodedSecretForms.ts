import type { Exhibit } from './secretLeakHunt.js';

/** How an attacker's model can write a secret so that an exact-string match misses it. */
export type EncodedForm =
  | 'exact'
  | 'lower'
  | 'upper'
  | 'spaced'
  | 'splitLines'
  | 'concatenated'
  | 'hex'
  | 'hexColons'
  | 'hexEscapes'
  | 'base64'
  | 'base64Embedded'
  | 'base64url'
  | 'reversed'
  | 'percent';

const chunks = (text: string, size: number): string[] => text.match(new RegExp(`[\\s\\S]{1,${size}}`, 'g')) ?? [];
const hexBytes = (text: string): string[] => chunks(Buffer.from(text).toString('hex'), 2);

/**
 * Every form of `secret` the masker must catch, as a model would write it.
 *
 * @example encodedForms('AKIA…').spaced // 'A K I A …'
 */
export function encodedForms(secret: string): Record<EncodedForm, string> {
  return {
    exact: secret,
    lower: secret.toLowerCase(),
    upper: secret.toUpperCase(),
    spaced: [...secret].join(' '),
    splitLines: chunks(secret, 5).join('\n'),
    concatenated: chunks(secret, 6).map((part) => JSON.stringify(part)).join(' + '),
    hex: Buffer.from(secret).toString('hex'),
    hexColons: hexBytes(secret).join(':').toUpperCase(),
    hexEscapes: hexBytes(secret).map((byte) => `\\x${byte}`).join(''),
    base64: Buffer.from(secret).toString('base64'),
    // Mid-string: whatever byte alignment the value lands on inside a longer blob.
    base64Embedded: Buffer.from(`user=deploy;secret=${secret};region=eu-west-1`).toString('base64'),
    base64url: Buffer.from(`x${secret}`).toString('base64url'),
    reversed: [...secret].reverse().join(''),
    percent: hexBytes(secret).map((byte) => `%${byte.toUpperCase()}`).join(''),
  };
}

/** Windows of this many characters of a secret count as a leak when they show up decoded. */
const WINDOW = 10;

const windows = (text: string): string[] => Array.from({ length: Math.max(0, text.length - WINDOW + 1) }, (_, i) => text.slice(i, i + WINDOW));
/** Letters and digits, lower-cased; written-out `\n`, `\r`, `\t` (JSON escapes) count as separators. */
const skeleton = (text: string): string => text.replace(/\\[nrt]/g, ' ').toLowerCase().replace(/[^a-z0-9]/g, '');

/** Candidate encoded runs in a text, decoded every way the masker claims to handle. */
function decodedCandidates(text: string): string[] {
  const decoded: string[] = [];
  for (const run of text.match(/[A-Za-z0-9+/_-]{12,}/g) ?? []) {
    for (let shift = 0; shift < 4; shift++) {
      decoded.push(Buffer.from(run.slice(shift), 'base64').toString('latin1'), Buffer.from(run.slice(shift), 'base64url').toString('latin1'));
    }
  }
  const hexDigits = text.replace(/\\x|0x|%/gi, '').replace(/[^0-9a-fA-F]/g, '');
  decoded.push(Buffer.from(hexDigits, 'hex').toString('latin1'), Buffer.from(hexDigits.slice(1), 'hex').toString('latin1'));
  return decoded;
}

/**
 * An independent search for planted secrets in what the product wrote: each exhibit's
 * letters and digits (any case, any separator) forwards and reversed, and every base64,
 * base64url and hex run in it decoded, looked through for any `WINDOW`-character piece
 * of a secret. Returns "where: form of secret…" for each hit (secrets cut short).
 */
export function findEncodedLeaks(exhibits: readonly Exhibit[], secrets: readonly string[]): string[] {
  const leaks: string[] = [];
  for (const { where, text } of exhibits) {
    const loose = skeleton(text);
    const looseReversed = [...loose].reverse().join('');
    const decoded = decodedCandidates(text).join('\n');
    for (const secret of secrets) {
      const name = `${secret.slice(0, 4)}…`;
      const looseWindows = windows(skeleton(secret));
      if (looseWindows.some((piece) => loose.includes(piece))) leaks.push(`${where}: ${name} (letters and digits)`);
      if (looseWindows.some((piece) => looseReversed.includes(piece))) leaks.push(`${where}: ${name} (reversed)`);
      if (windows(secret).some((piece) => decoded.includes(piece))) leaks.push(`${where}: ${name} (decoded)`);
    }
  }
  return leaks;
}
