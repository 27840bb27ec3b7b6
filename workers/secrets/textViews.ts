/**
 * A normalized copy of a text in which encoded secrets become plain substrings, with
 * each of its characters' span in the original text, so that a match found in the
 * view can be masked where it really is.
 */
export interface TextView {
  readonly text: string;
  /** Where the view's character `i` starts in the original text. */
  readonly starts: Int32Array;
  /** Where the view's character `i` ends in the original text (exclusive). */
  readonly ends: Int32Array;
}

/** The three views a known secret is searched in; see `viewsOf`. */
export interface TextViews {
  readonly loose: TextView;
  /** The loose view without escape decoding, where `%`, `\\x`, `&#` are separators like any other. */
  readonly looseLiteral: TextView;
  readonly hex: TextView;
  readonly base64: TextView;
}

const UTF16 = new TextDecoder('utf-16le');

/** Collects a view's characters (as UTF-16 code units) and their original spans. */
class ViewBuilder {
  private codes: Uint16Array;
  private starts: Int32Array;
  private ends: Int32Array;
  private length = 0;

  constructor(capacity: number) {
    this.codes = new Uint16Array(capacity);
    this.starts = new Int32Array(capacity);
    this.ends = new Int32Array(capacity);
  }

  push(code: number, start: number, end: number): void {
    if (this.length === this.codes.length) this.grow();
    this.codes[this.length] = code;
    this.starts[this.length] = start;
    this.ends[this.length] = end;
    this.length++;
  }

  build(): TextView {
    const { length } = this;
    return { text: UTF16.decode(this.codes.subarray(0, length)), starts: this.starts.subarray(0, length), ends: this.ends.subarray(0, length) };
  }

  /** Rarely needed: only a decoded escape or a lower-cased non-ASCII letter can outgrow the text. */
  private grow(): void {
    const capacity = Math.max(16, this.codes.length * 2);
    const codes = new Uint16Array(capacity);
    const starts = new Int32Array(capacity);
    const ends = new Int32Array(capacity);
    codes.set(this.codes);
    starts.set(this.starts);
    ends.set(this.ends);
    this.codes = codes;
    this.starts = starts;
    this.ends = ends;
  }
}

const isHexCode = (code: number): boolean => (code >= 48 && code <= 57) || (code >= 65 && code <= 70) || (code >= 97 && code <= 102);
const isAsciiAlnumCode = (code: number): boolean => (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
const isBase64Code = (code: number): boolean => isAsciiAlnumCode(code) || code === 43 || code === 47 || code === 45 || code === 95;
const NON_ASCII_LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

function hexDigitsAt(text: string, at: number, count: number): boolean {
  if (at + count > text.length) return false;
  for (let i = at; i < at + count; i++) if (!isHexCode(text.charCodeAt(i))) return false;
  return true;
}

/** `\n`, `\r`, `\t` written out as two characters: a separator, whatever view it is in. */
function isEscapedWhitespace(text: string, at: number): boolean {
  if (text.charCodeAt(at) !== 92) return false;
  const next = text[at + 1];
  return next === 'n' || next === 'r' || next === 't';
}

/**
 * Width of an escape that spells one character (`%41`, `\x41`, `\u0041`, `&#65;`,
 * `&#x41;`) at `at`, with the character; 0 when there is none.
 */
function escapedCharAt(text: string, at: number): { width: number; char: string } | null {
  const code = text.charCodeAt(at);
  if (code === 37 && hexDigitsAt(text, at + 1, 2)) return { width: 3, char: String.fromCharCode(parseInt(text.slice(at + 1, at + 3), 16)) };
  if (code === 92) {
    const kind = text[at + 1];
    if ((kind === 'x' || kind === 'X') && hexDigitsAt(text, at + 2, 2)) return { width: 4, char: String.fromCharCode(parseInt(text.slice(at + 2, at + 4), 16)) };
    if (kind === 'u' && hexDigitsAt(text, at + 2, 4)) return { width: 6, char: String.fromCharCode(parseInt(text.slice(at + 2, at + 6), 16)) };
    return null;
  }
  if (code === 38 && text[at + 1] === '#') {
    const entity = /^&#(?:[xX]([0-9a-fA-F]{1,6})|(\d{1,7}));/.exec(text.slice(at, at + 11));
    if (entity) {
      const value = entity[1] !== undefined ? parseInt(entity[1], 16) : Number(entity[2]);
      if (value <= 0x10ffff) return { width: entity[0].length, char: String.fromCodePoint(value) };
    }
  }
  return null;
}

/** The lower-cased letters and digits of a character, or '' when it is a separator. */
export function looseChar(char: string): string {
  const code = char.charCodeAt(0);
  if (code < 128) return isAsciiAlnumCode(code) ? char.toLowerCase() : '';
  return NON_ASCII_LETTER_OR_DIGIT.test(char) ? char.toLowerCase() : '';
}

/** Code units that may start an escape (`%`, `\\`, `&`). */
const mayStartEscape = (code: number): boolean => code === 37 || code === 92 || code === 38;

/**
 * The text's letters and digits, lower-cased, escapes decoded (`%41`, `\x41`,
 * `\u0041`, `&#65;`) unless `decodeEscapes` is false, and everything else dropped:
 * `A K I A`, `akia`, `"AK" + "IA"`, `AK\nIA` and `%41KIA` all read `akia` here.
 * Both readings are searched: decoding alone would let `%ab%12` hide the hex secret `ab12`.
 */
export function looseView(text: string, decodeEscapes = true): TextView {
  const view = new ViewBuilder(text.length);
  for (let at = 0; at < text.length; ) {
    const code = text.charCodeAt(at);
    if (code < 128 && !mayStartEscape(code)) {
      if (code >= 65 && code <= 90) view.push(code | 0x20, at, at + 1);
      else if (isAsciiAlnumCode(code)) view.push(code, at, at + 1);
      at++;
      continue;
    }
    if (isEscapedWhitespace(text, at)) {
      at += 2;
      continue;
    }
    const escaped = decodeEscapes && code < 128 ? escapedCharAt(text, at) : null;
    const width = escaped?.width ?? 1;
    const kept = looseChar(escaped?.char ?? text[at]!);
    for (let i = 0; i < kept.length; i++) view.push(kept.charCodeAt(i), at, at + width);
    at += width;
  }
  return view.build();
}

/**
 * The text's hex digits, lower-cased, with `0x` and `\u00` prefixes dropped and
 * everything else (spaces, colons, `\x`, `%`) skipped: `41:4B`, `\x41\x4b`,
 * `0x41 0x4b` and `%41%4B` all read `414b` here.
 */
function hexView(text: string): TextView {
  const view = new ViewBuilder(text.length);
  for (let at = 0; at < text.length; at++) {
    const code = text.charCodeAt(at);
    if (code === 48 && (text[at + 1] === 'x' || text[at + 1] === 'X') && hexDigitsAt(text, at + 2, 1)) {
      at += 1;
      continue;
    }
    if (code === 92 && text[at + 1] === 'u' && text.startsWith('00', at + 2) && hexDigitsAt(text, at + 4, 2)) {
      at += 3;
      continue;
    }
    if (isHexCode(code)) view.push(code >= 65 && code <= 70 ? code | 0x20 : code, at, at + 1);
  }
  return view.build();
}

/**
 * The text's base64 characters, the URL-safe alphabet mapped onto the standard one
 * (`-` → `+`, `_` → `/`), padding, whitespace, quotes and written-out `\n` dropped:
 * base64 and base64url, wrapped or concatenated, read the same here.
 */
function base64View(text: string): TextView {
  const view = new ViewBuilder(text.length);
  for (let at = 0; at < text.length; at++) {
    const code = text.charCodeAt(at);
    if (code === 92 && isEscapedWhitespace(text, at)) {
      at += 1;
      continue;
    }
    if (!isBase64Code(code)) continue;
    view.push(code === 45 ? 43 : code === 95 ? 47 : code, at, at + 1);
  }
  return view.build();
}

/**
 * The loose, hex and base64 views of a text, built in one pass each.
 *
 * @example viewsOf('A K I A').loose.text === 'akia'
 */
export function viewsOf(text: string): TextViews {
  return { loose: looseView(text), looseLiteral: looseView(text, false), hex: hexView(text), base64: base64View(text) };
}

/** True for a character of the base64 alphabets (both) or its padding. */
export function isBase64Char(char: string | undefined): boolean {
  return char !== undefined && (isBase64Code(char.charCodeAt(0)) || char === '=');
}
