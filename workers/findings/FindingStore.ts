import type { FindingRecord } from './types.js';

/** The findings of one (target, worker) and the last run applied to them. */
export interface FindingSet {
  readonly target: string;
  readonly worker: string;
  /** Applying the same run twice (a duplicate delivery) must change nothing. */
  readonly lastRunId: string | null;
  readonly records: readonly FindingRecord[];
}

/**
 * Where tracked findings live: a JSON file per (target, worker) locally,
 * items under `FINDING#<target>#<worker>` in DynamoDB in the cloud.
 */
export interface FindingStore {
  load(target: string, worker: string): Promise<FindingSet>;
  /** Read-modify-write of one set, safe against a concurrent writer. */
  update(target: string, worker: string, change: (current: FindingSet) => FindingSet): Promise<FindingSet>;
  /** Every set, for `findings` across targets and workers. */
  list(filter?: { target?: string; worker?: string }): Promise<FindingSet[]>;
}
