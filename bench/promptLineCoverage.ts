/** A labelled vulnerable line: repository-relative path and 1-based line. */
export interface LabelledLine {
  readonly file: string;
  readonly line: number;
}

/** Which lines of each file a prompt shows: 'all' for a file sent whole. */
export type ShownLines = Map<string, 'all' | Set<number>>;

const HEADER = /^==> (.*) <==(?: \(truncated\)| \(lines (\d+)-(\d+) of \d+\))?$/;

/**
 * Reads the file entries of a rendered prompt (`==> path <==` whole,
 * `(truncated)` heads, `(lines a-b of n)` regions) into the lines each shows.
 * A head shows as many lines as its block holds, less the blank separator.
 *
 * @example shownLines(prompt).get('server.ts') // Set {10, 11, 12} or 'all'
 */
export function shownLines(prompt: string): ShownLines {
  const shown: ShownLines = new Map();
  const lines = prompt.split('\n');
  let current: { path: string; kind: 'whole' | 'head' | 'region'; start: number; end: number; count: number } | undefined;
  const close = (): void => {
    if (!current) return;
    const previous = shown.get(current.path);
    if (current.kind === 'whole' || previous === 'all') {
      shown.set(current.path, 'all');
    } else {
      const set = previous ?? new Set<number>();
      const [start, end] = current.kind === 'region' ? [current.start, current.end] : [1, Math.max(0, current.count - 1)];
      for (let n = start; n <= end; n++) set.add(n);
      shown.set(current.path, set);
    }
    current = undefined;
  };
  for (const line of lines) {
    const header = HEADER.exec(line);
    if (header) {
      close();
      const [, filePath, start, end] = header;
      const kind = start ? 'region' : line.endsWith(' (truncated)') ? 'head' : 'whole';
      current = { path: filePath!, kind, start: Number(start ?? 0), end: Number(end ?? 0), count: 0 };
    } else if (current) current.count++;
  }
  close();
  return shown;
}

/** Share of `labels` whose line the prompt shows, and which were missed. */
export function lineRecall(prompt: string, labels: readonly LabelledLine[]): { readonly shown: number; readonly total: number; readonly missed: LabelledLine[] } {
  const shown = shownLines(prompt);
  const missed = labels.filter((label) => {
    const lines = shown.get(label.file);
    return !(lines === 'all' || lines?.has(label.line));
  });
  return { shown: labels.length - missed.length, total: labels.length, missed };
}
