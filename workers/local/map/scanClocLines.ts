import type { LineCounts } from './countLines.js';

/** Which comments a one-pass scan removes, as cloc's filter for the language does. */
export type ScanComments =
  /** No filter (JSON, Text) or none that can apply to this file: every non-blank line is code. */
  | 'none'
  /** `call_regexp_common C`: `/* … *\/` blocks (CSS). */
  | 'block'
  /** `call_regexp_common C++`: blocks and `//` to the end of the line (TypeScript, Go, Rust…). */
  | 'blockAndLine';

const LF = 0x0a;
const CR = 0x0d;
const BACKSLASH = 0x5c;
const SLASH = 0x2f;
const STAR = 0x2a;
const CLOSER = Buffer.from('*/');

/** Perl's `\s` on bytes: space, tab, LF, VT, FF, CR. */
function isBlankChar(code: number): boolean {
  return code === 0x20 || (code >= 0x09 && code <= 0x0d);
}

/**
 * Gives the counts cloc's filters give (see replayClocFilters) in a single
 * pass over the raw bytes, without decoding, splitting, joining or regexes:
 * native `indexOf` (memchr) hops from one newline or `/` to the next, so a
 * minified file costs a few calls per line, not work per character. Only
 * ASCII matters to these rules, and in UTF-8 an ASCII byte is always that
 * character, so the bytes give what the text gives; `start` skips a byte
 * order mark.
 *
 * How cloc's C++ filter is replayed: cloc drops blank lines, joins the rest
 * with a doubled newline (a single one after a line ending in `\`), deletes
 * every `//…\n` and `/* … *\/` match left to right, splits again and drops the
 * blank lines left (keeping a blank that follows a line ending in `\`). The
 * scan walks the kept lines, deletes the same spans and counts the pieces
 * between surviving newlines as `ClocPieces` does.
 *
 * @example scanClocLines(Buffer.from('// a\nconst x = 1;\n\n'), 0, 'blockAndLine', true) // { blank: 1, comment: 1, code: 1 }
 */
export function scanClocLines(bytes: Buffer, start: number, comments: ScanComments, eolContinuation: boolean): LineCounts {
  const end = bytes.length;
  const pieces = new ClocPieces(eolContinuation);
  let total = 0;
  let blank = 0;
  let previousEndsWithBackslash = false;
  // Index just past the `*/` of a block comment that runs on past the current line; -1 outside one.
  let blockEnd = -1;
  // Once a `/*` finds no `*/` after it, no later one can: cloc's regex then stops matching blocks.
  let closersLeft = comments !== 'none';
  let nextSlash = comments === 'none' ? -1 : bytes.indexOf(SLASH, start);
  const lineComments = comments === 'blockAndLine';

  for (let lineStart = start; lineStart < end; ) {
    let lineEnd = bytes.indexOf(LF, lineStart);
    if (lineEnd === -1) lineEnd = end;
    // cloc's read_file trims a carriage return before the line's end.
    const contentEnd = lineEnd > lineStart && bytes[lineEnd - 1]! === CR ? lineEnd - 1 : lineEnd;
    let first = lineStart;
    while (first < lineEnd && isBlankChar(bytes[first]!)) first++;
    const endsWithBackslash = contentEnd > lineStart && bytes[contentEnd - 1]! === BACKSLASH;
    // cloc's rm_blanks: a blank line stays when the line before it ends with a continuation `\`.
    const kept = first < lineEnd || (eolContinuation && total > 0 && previousEndsWithBackslash);
    total++;
    previousEndsWithBackslash = endsWithBackslash;
    const next = lineEnd + 1;
    if (!kept) {
      blank++;
      lineStart = next;
      continue;
    }
    if (comments === 'none' || blockEnd > lineEnd) {
      // A line inside a block comment vanishes with its newlines.
      lineStart = next;
      continue;
    }

    let from = blockEnd === -1 ? lineStart : blockEnd;
    blockEnd = -1;
    for (;;) {
      if (nextSlash !== -1 && nextSlash < from) nextSlash = bytes.indexOf(SLASH, from);
      // The first `//` or `/*` (with a `*/` somewhere after it) on this line.
      let opener = -1;
      let closer = -1;
      while (nextSlash !== -1 && nextSlash < lineEnd - 1) {
        const after = bytes[nextSlash + 1]!;
        if (after === SLASH && lineComments) {
          opener = nextSlash;
          break;
        }
        if (after === STAR && closersLeft) {
          closer = bytes.indexOf(CLOSER, nextSlash + 2);
          if (closer !== -1) {
            opener = nextSlash;
            break;
          }
          closersLeft = false;
        }
        nextSlash = bytes.indexOf(SLASH, nextSlash + 1);
      }
      if (opener === -1) {
        pieces.append(bytes, from, contentEnd);
        pieces.endPiece();
        // The second of a doubled newline leaves an empty piece behind.
        if (lineComments && !endsWithBackslash) pieces.endPiece();
        break;
      }
      pieces.append(bytes, from, opener);
      if (closer === -1) {
        // `//…\n` takes one newline with it: the doubled one's other half still ends the piece.
        if (!endsWithBackslash) pieces.endPiece();
        break;
      }
      if (closer + 2 > lineEnd) {
        // The comment ends on a later line, whose rest joins this piece.
        blockEnd = closer + 2;
        break;
      }
      from = closer + 2;
    }
    lineStart = next;
  }
  const code = comments === 'none' ? total - blank : pieces.finish();
  return { blank, comment: total - blank - code, code };
}

/**
 * Counts the code lines among the pieces of text between the newlines that
 * survive comment removal: Perl's split (trailing empty pieces dropped), then
 * cloc's rm_blanks (a blank piece is code when the piece before it ends in a
 * continuation `\`).
 */
class ClocPieces {
  private code = 0;
  /** Empty pieces that count as code unless only empty pieces follow (Perl's split drops those). */
  private pendingEmpty = 0;
  private isFirst = true;
  private previousEndsWithBackslash = false;
  private empty = true;
  private blank = true;
  private endsWithBackslash = false;

  constructor(private readonly eolContinuation: boolean) {}

  /** Adds `bytes[from, to)` to the current piece. */
  append(bytes: Buffer, from: number, to: number): void {
    if (from >= to) return;
    this.empty = false;
    if (this.blank) {
      let index = from;
      while (index < to && isBlankChar(bytes[index]!)) index++;
      this.blank = index === to;
    }
    this.endsWithBackslash = bytes[to - 1]! === BACKSLASH;
  }

  /** A surviving newline: the current piece is complete. */
  endPiece(): void {
    const counted = !this.blank || (this.eolContinuation && !this.isFirst && this.previousEndsWithBackslash);
    if (!this.empty) {
      this.code += this.pendingEmpty + (counted ? 1 : 0);
      this.pendingEmpty = 0;
    } else if (counted) this.pendingEmpty++;
    this.isFirst = false;
    this.previousEndsWithBackslash = this.endsWithBackslash;
    this.empty = true;
    this.blank = true;
    this.endsWithBackslash = false;
  }

  /** Code lines, once the text is done (a last piece with no newline after it still counts). */
  finish(): number {
    if (!this.empty) this.endPiece();
    return this.code;
  }
}
