/** What the review ledger knows of one file: the version last shown to the model, and how much of it. */
export interface ReviewEntry {
  /** Repository-relative path, forward slashes. */
  readonly path: string;
  /** Content hash (workers/engine/contentHashes.ts) of the file when it was shown. */
  readonly hash: string;
  /** Commit checked out when it was shown, or null outside git. */
  readonly commit: string | null;
  /** True when the whole file went into the context; false when only a head or regions did. */
  readonly whole: boolean;
  /** Characters of the file that went in. */
  readonly chars: number;
  readonly runId: string;
  /** ISO time the run finished. */
  readonly reviewedAt: string;
}

/**
 * The files a (target, worker) has shown the model. One interface for the
 * local file store (LocalReviewLedger) and, in a later slice, DynamoDB.
 */
export interface ReviewLedger {
  /** Entries by path; an empty map when nothing was recorded yet. */
  read(target: string, worker: string): Promise<Map<string, ReviewEntry>>;
  /** Adds or replaces the entries of the given paths; other entries stay. */
  record(target: string, worker: string, entries: readonly ReviewEntry[]): Promise<void>;
}
