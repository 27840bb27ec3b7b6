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

/** Why a file is in no language of the map. */
export type NotCountedReason =
  | ExclusionReason
  /** No language cloc counts claims it (or cloc's rules for it are not replayed): `detail` says which. */
  | 'unknown'
  /** An empty file: cloc counts nothing in it. */
  | 'empty';

/** Files left out of the language table for one reason (and detail), with their paths. */
export interface NotCountedGroup {
  readonly reason: NotCountedReason;
  /** The reason in words, e.g. `no extension, file name or #! line cloc knows`. */
  readonly detail: string;
  readonly files: number;
  /** Repository-relative paths, sorted (directories the walk did not enter are named as directories). */
  readonly paths: readonly string[];
}

/** Every file the map met, accounted for: `seen` = `counted` + the files of every `notCounted` group. */
export interface FileAccounting {
  readonly seen: number;
  /** Files in the language table. */
  readonly counted: number;
  /** Groups by reason, then detail. */
  readonly notCounted: readonly NotCountedGroup[];
}

/** Result of the map worker. */
export interface RepositoryMap {
  /** Files mapped: every analysable text file, whether or not a language claims it (empty and unknown ones too). */
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
  /** Every file accounted for: counted, or why not (unknown, binary, generated, vendored, ignored...), with the lists. */
  readonly accounting: FileAccounting;
}
