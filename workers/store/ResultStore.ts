import type { RunResult } from '../run/types.js';

export interface ListQuery {
  readonly worker?: string;
  readonly target?: string;
  /** Newest first; default 20. */
  readonly limit?: number;
  /** Only successful runs (for chaining and "latest result"). */
  readonly successfulOnly?: boolean;
}

/** A stored record a reader refused, and why: shown where it changes an outcome (an incremental scan's baseline). */
export interface RejectedRecord {
  readonly worker: string;
  readonly runId: string;
  readonly reason: string;
}

export type SaveOutcome =
  | { readonly stored: true }
  /** A final record for this run id already exists: at-least-once delivery made safe. */
  | { readonly stored: false; readonly existing: RunResult };

/**
 * Where run records live: local files for the embedded default, DynamoDB (and
 * S3 for large outputs) in the cloud. Both hide expired records from readers.
 */
export interface ResultStore {
  /** Stores a final record unless one exists for the same run id. */
  save(result: RunResult): Promise<SaveOutcome>;
  get(runId: string): Promise<RunResult | null>;
  list(query?: ListQuery): Promise<RunResult[]>;
  /** Deletes expired records; returns how many went. */
  pruneExpired(now?: Date): Promise<number>;
  /** Records read so far but refused (forged, corrupt, dated in the future), when the store checks them. */
  rejectedRecords?(): readonly RejectedRecord[];
}
