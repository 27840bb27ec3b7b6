/** What the output stream can do: width for tables, colour only on a TTY. */
export interface Terminal {
  /** Columns to fit tables in; Infinity off a terminal when COLUMNS is not set. */
  readonly width: number;
  readonly color: boolean;
  readonly interactive: boolean;
}

/**
 * Reads the capabilities of stdout once; NO_COLOR and non-TTY turn colour off.
 * Off a terminal (a pipe, a file, CI logs) there is no width to fit unless
 * COLUMNS names one: tables print full rows, one line each, so nothing is cut
 * and `grep` finds a whole finding.
 */
export function detectTerminal(stream: NodeJS.WriteStream = process.stdout): Terminal {
  const interactive = Boolean(stream.isTTY);
  const envWidth = Number(process.env.COLUMNS);
  const width = stream.columns ?? (Number.isFinite(envWidth) && envWidth > 0 ? envWidth : interactive ? 120 : Number.POSITIVE_INFINITY);
  const color = interactive && !('NO_COLOR' in process.env) && process.env.TERM !== 'dumb';
  return { width, color, interactive };
}

const CODES = { bold: [1, 22], dim: [2, 22], red: [31, 39], green: [32, 39], yellow: [33, 39], cyan: [36, 39] } as const;

export type Style = keyof typeof CODES;

/** Wraps text in an ANSI style when the terminal takes colour, else returns it unchanged. */
export function paint(terminal: Terminal, style: Style, text: string): string {
  if (!terminal.color) return text;
  const [open, close] = CODES[style];
  return `\u001b[${open}m${text}\u001b[${close}m`;
}
