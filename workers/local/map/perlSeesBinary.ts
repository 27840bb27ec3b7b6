/** How much of a file Perl's `-B` looks at (the buffer of its pp_fttext). */
const PERL_TEXT_TEST_BYTES = 512;
const TAB = 0x09;
const LF = 0x0a;
const FF = 0x0c;
const CR = 0x0d;
const BACKSPACE = 0x08;
const ESC = 0x1b;

/**
 * Perl's `-B` file test, which cloc uses to skip binary files: an empty file
 * is binary; a head of up to 512 bytes that is valid UTF-8 (a character cut
 * at the end allowed) is text; otherwise a NUL makes it binary, and so does
 * more than a third of "odd" bytes (not printable ASCII, not whitespace other
 * than VT, not backspace or escape). So a Latin-1 file dense in accented
 * letters is binary to cloc though it is text to git.
 *
 * @example perlSeesBinary(Buffer.from('a\xe9\xe9\n', 'latin1')) === true
 */
export function perlSeesBinary(bytes: Uint8Array): boolean {
  const length = Math.min(bytes.length, PERL_TEXT_TEST_BYTES);
  if (length === 0) return true;
  let ascii = true;
  for (let index = 0; index < length; index++) {
    if (bytes[index]! >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (!ascii && isUtf8AllowingCutEnd(bytes, length)) return false;
  let odd = 0;
  for (let index = 0; index < length; index++) {
    const byte = bytes[index]!;
    if (byte === 0) return true;
    // Vertical tab counts as odd (`isSPACE_A(*s) && *s != VT_NATIVE`).
    const text = (byte >= 0x20 && byte < 0x7f) || byte === TAB || byte === LF || byte === FF || byte === CR || byte === BACKSPACE || byte === ESC;
    if (!text) odd++;
  }
  return odd * 3 > length;
}

/** Perl's is_utf8_fixed_width_buf_flags: well-formed UTF-8 (surrogates allowed, as Perl's lax UTF-8 does), the last character may be cut short. */
function isUtf8AllowingCutEnd(bytes: Uint8Array, length: number): boolean {
  let index = 0;
  while (index < length) {
    const lead = bytes[index]!;
    let continuation: number;
    let minimum: number;
    if (lead < 0x80) {
      index++;
      continue;
    } else if (lead >= 0xc2 && lead <= 0xdf) {
      continuation = 1;
      minimum = 0x80;
    } else if (lead >= 0xe0 && lead <= 0xef) {
      continuation = 2;
      minimum = 0x800;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      continuation = 3;
      minimum = 0x10000;
    } else return false;
    let codePoint = lead & (0x3f >> continuation);
    for (let step = 1; step <= continuation; step++) {
      // A character cut by the end of the buffer still counts as UTF-8.
      if (index + step >= length) return true;
      const next = bytes[index + step]!;
      if ((next & 0xc0) !== 0x80) return false;
      codePoint = (codePoint << 6) | (next & 0x3f);
    }
    if (codePoint < minimum || codePoint > 0x10ffff) return false;
    index += continuation + 1;
  }
  return true;
}
