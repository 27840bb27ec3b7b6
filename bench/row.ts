/** One line of the suite's table: a figure of ours against its reference, and whether issue 6's bar is met. */
export interface Row {
  readonly measure: string;
  readonly ours: string;
  readonly reference: string;
  readonly ratio: string;
  readonly bar: string;
  readonly verdict: string;
}

/** What one section adds to the report besides its rows. */
export interface SectionReport {
  readonly rows: Row[];
  /** One-line remarks, listed under "notes". */
  readonly notes: string[];
  /** Markdown lines (sub-tables) printed after the main table. */
  readonly details: string[];
}

export const fmtMs = (ms: number): string => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
export const fmtMiB = (mib: number | null): string => (mib === null ? 'n/a' : `${mib.toFixed(0)} MiB`);
export const ratio = (a: number | null, b: number | null): string => (a === null || b === null || b === 0 ? 'n/a' : `${(a / b).toFixed(2)}x`);
export const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
