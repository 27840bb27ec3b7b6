import type { ExclusionReason } from '../../run/types.js';

/** Per-language totals, as cloc's language table shows them. */
export interface LanguageSummary {
  readonly language: string;
  readonly files: number;
  readonly blank: number;
  readonly comment: number;
  readonly code: number;
}

export interface LargestFile {
  readonly path: string;
  readonly lines: number;
  readonly bytes: number;
  /** cloc's language name, or null for a file no language claims. */
  readonly language: string | null;
}

export interface DirectorySummary {
  /** Directory relative to the repository root; `.` for files at the root. */
  readonly path: string;
  readonly files: number;
  readonly code: number;
}

/** Result of the map worker. */
export interface RepositoryMap {
  /** Files mapped: every analysable text file, whether or not a language claims it. */
  readonly files: number;
  /** Lines of all mapped files. */
  readonly totalLines: number;
  /** Languages by code lines (descending), then name. */
  readonly languages: readonly LanguageSummary[];
  /** Longest files first (then bytes, then path). */
  readonly largestFiles: readonly LargestFile[];
  /** Directories down to the configured depth, by path. */
  readonly directories: readonly DirectorySummary[];
  /** Files left out, counted by reason (git-ignored, binary, lockfile, vendored, generated, too large...). */
  readonly skipped: Readonly<Partial<Record<ExclusionReason, number>>>;
}
