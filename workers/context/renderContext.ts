/** Between two file entries, as `head` prints several files: a blank line. */
export const ENTRY_SEPARATOR = '\n';

/**
 * The line that opens a file's entry, `==> path <==` as `head` and `tail`
 * print it, with ` (truncated)` when only the head of the file follows.
 * Control characters of the path are escaped so a file name cannot forge a line.
 *
 * @example fileHeader('src/a.ts', true) === '==> src/a.ts <== (truncated)\n'
 */
export function fileHeader(filePath: string, truncated: boolean): string {
  return `==> ${safePath(filePath)} <==${truncated ? ' (truncated)' : ''}\n`;
}

/**
 * The line that opens one region of a file too large to send whole: the
 * region's first and last line (1-based) and the file's line count, so the
 * model can cite real line numbers.
 *
 * @example regionHeader('server.py', 40, 80, 900) === '==> server.py <== (lines 40-80 of 900)\n'
 */
export function regionHeader(filePath: string, startLine: number, endLine: number, totalLines: number): string {
  return `==> ${safePath(filePath)} <== (lines ${startLine}-${endLine} of ${totalLines})\n`;
}

function safePath(filePath: string): string {
  return filePath.replace(/[\u0000-\u001f\u007f]/g, (char) => `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/**
 * A file's text as it goes into an entry: no byte-order mark, and a final
 * newline so the next header starts on its own line.
 */
export function normalizeContent(text: string): string {
  const withoutBom = text.startsWith('\uFEFF') ? text.slice(1) : text;
  return withoutBom.length === 0 || withoutBom.endsWith('\n') ? withoutBom : `${withoutBom}\n`;
}

/**
 * The longest head of `text` that ends at a line boundary and has at most
 * `maxChars` characters; empty when not even the first line fits.
 *
 * @example cutAtLineBoundary('a\nbb\nccc\n', 6) === 'a\nbb\n'
 */
export function cutAtLineBoundary(text: string, maxChars: number): string {
  if (maxChars <= 0) return '';
  if (text.length <= maxChars && (text.length === 0 || text.endsWith('\n'))) return text;
  const lastNewline = text.lastIndexOf('\n', maxChars - 1);
  return lastNewline < 0 ? '' : text.slice(0, lastNewline + 1);
}

/** One file's entry: the separator (except for the first entry), its header and its content. */
export function renderEntry(filePath: string, content: string, truncated: boolean, isFirst: boolean): string {
  return `${isFirst ? '' : ENTRY_SEPARATOR}${fileHeader(filePath, truncated)}${content}`;
}
