import type { RunStatus } from '../catalog/types.js';

/** What a worker is doing in the local daemon. */
export type WorkerActivity = 'idle' | 'queued' | 'running' | 'failed' | 'disabled';

/** One row of the daemon's worker table: persisted, and what `daemon status` shows. */
export interface ScheduledWorkerState {
  readonly worker: string;
  readonly activity: WorkerActivity;
  readonly intervalMs: number;
  /** ISO time of the next scheduled run; null for manual or disabled workers. */
  readonly nextRunAt: string | null;
  readonly lastRunAt?: string;
  readonly lastRunId?: string;
  readonly lastOutcome?: RunStatus;
  readonly lastMode?: 'local' | 'headless';
  readonly lastCostUsd?: number;
  readonly lastError?: string;
  /** Failures in a row; drives the retry backoff, reset by a success. */
  readonly consecutiveFailures: number;
  readonly runs: number;
}
