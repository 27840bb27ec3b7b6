import { paint, type Terminal } from './terminal.js';

export interface Column<Row> {
  readonly header: string;
  readonly value: (row: Row) => string;
  /** Right-align (numbers). */
  readonly align?: 'left' | 'right';
  /** Lower numbers are shrunk first when the terminal is narrow. */
  readonly shrinkOrder?: number;
  readonly minWidth?: number;
  /** May be left out entirely when even shrunk columns do not fit (lowest shrinkOrder first). */
  readonly optional?: boolean;
  /**
   * Free text (a message, a description): when output is not a terminal it wraps onto
   * more lines instead of being cut. Other columns are identifiers (paths, rule ids,
   * fingerprints) and keep their full width there.
   */
  readonly wraps?: boolean;
}

const ELLIPSIS = '…';

/** Visible width of a string once ANSI codes are removed (colour does not count). */
function visibleLength(text: string): number {
  // eslint-disable-next-line no-control-regex
  return [...text.replace(/\u001b\[\d+m/g, '')].length;
}

function fit(text: string, width: number, align: 'left' | 'right'): string {
  const chars = [...text];
  const clipped = chars.length > width ? `${chars.slice(0, Math.max(0, width - 1)).join('')}${ELLIPSIS}` : text;
  const pad = ' '.repeat(Math.max(0, width - visibleLength(clipped)));
  return align === 'right' ? pad + clipped : clipped + pad;
}

/**
 * Renders rows as an aligned table that fits the terminal width: the widest
 * shrinkable columns give way first and optional ones are left out whole when
 * even that does not fit. On a terminal, cells are clipped with an ellipsis.
 * When output is not a terminal (a pipe, a file, CI logs) nothing is ever cut:
 * without COLUMNS the width is unlimited (full rows, one line each); with it,
 * identifier columns keep their full width, free-text columns (`wraps`) wrap
 * onto more lines, and a row wider than the width stays whole. Plain text
 * without colour when stdout is not a TTY.
 */
export function renderTable<Row>(rows: readonly Row[], allColumns: readonly Column<Row>[], terminal: Terminal): string {
  const gap = 2;
  const cutsCells = terminal.interactive;
  const naturalWidth = (column: Column<Row>) => Math.max(visibleLength(column.header), ...rows.map((row) => visibleLength(oneLine(column.value(row)))));
  const minWidth = (column: Column<Row>) => {
    if (!cutsCells && !column.wraps) return naturalWidth(column);
    return column.minWidth ?? Math.min(8, naturalWidth(column));
  };
  const columns = [...allColumns];
  const droppable = columns.filter((column) => column.optional).sort((a, b) => (a.shrinkOrder ?? 100) - (b.shrinkOrder ?? 100));
  const minimumTotal = () => columns.reduce((sum, column) => sum + minWidth(column), 0) + gap * (columns.length - 1);
  for (const column of droppable) {
    if (minimumTotal() <= terminal.width) break;
    columns.splice(columns.indexOf(column), 1);
  }
  const cells = rows.map((row) => columns.map((column) => oneLine(column.value(row))));
  const widths = columns.map(naturalWidth);
  const total = () => widths.reduce((sum, w) => sum + w, 0) + gap * (columns.length - 1);
  const shrinkable = columns.map((column, i) => ({ i, order: column.shrinkOrder ?? 100, min: minWidth(column) })).sort((a, b) => a.order - b.order);
  for (const { i, min } of shrinkable) {
    const excess = total() - terminal.width;
    if (excess <= 0) break;
    widths[i] = Math.max(min, widths[i]! - excess);
  }
  const line = (values: readonly string[]) =>
    values
      .map((value, i) => fit(value, widths[i]!, columns[i]!.align ?? 'left'))
      .join(' '.repeat(gap))
      .trimEnd();
  // Off a terminal a cell never loses characters: each row takes as many lines as its tallest wrapped cell.
  const rowLines = (values: readonly string[]): string[] => {
    if (cutsCells) return [line(values)];
    const wrapped = values.map((value, i) => wrapText(value, widths[i]!));
    const height = Math.max(...wrapped.map((parts) => parts.length));
    return Array.from({ length: height }, (_, n) => line(wrapped.map((parts) => parts[n] ?? '')));
  };
  const header = paint(terminal, 'bold', line(columns.map((column) => column.header)));
  const rule = widths.map((w) => '─'.repeat(w)).join(' '.repeat(gap));
  return [header, paint(terminal, 'dim', rule), ...cells.flatMap(rowLines)].join('\n');
}

/** Splits text into lines of at most `width` characters, at a space when one is near, else mid-word. */
function wrapText(text: string, width: number): string[] {
  const lines: string[] = [];
  let rest = [...text];
  while (rest.length > width) {
    const space = rest.lastIndexOf(' ', width);
    const cut = space > 0 ? space : width;
    lines.push(rest.slice(0, cut).join('').trimEnd());
    rest = rest.slice(space > 0 ? cut + 1 : cut);
  }
  lines.push(rest.join(''));
  return lines;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ');
}
