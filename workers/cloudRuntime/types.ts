import type { ExecutionProfile, Priority, SandboxMode } from '../catalog/types.js';
import type { RunResult } from '../run/types.js';

/** Where a claim-checked output lives. */
export interface OutputLocation {
  readonly bucket: string;
  readonly key: string;
  /** Size of the S3 object in bytes. */
  readonly bytes: number;
}

/** What the pipeline adds to a run record beyond the engine's RunResult. */
export interface PipelineFields {
  readonly queuedAt?: string;
  readonly source?: 'schedule' | 'manual';
  readonly priority?: Priority;
  readonly profile?: ExecutionProfile;
  /** How many task runs claimed this run (1 unless a task died or was stopped mid-run). */
  readonly attempts?: number;
  /** The task that ran (or runs) it. */
  readonly taskArn?: string;
  /** Set when the output (and parsed output) went to S3: `output` is then empty until hydrated. */
  readonly outputLocation?: OutputLocation;
  /** Set when the run's message went (or goes, after this receive) to the dead-letter queue. */
  readonly deadLetter?: DeadLetterNote;
  /** Set when the task message could not be read. */
  readonly poison?: PoisonNote;
  /** Why the last attempt stopped without a result (SIGTERM, a storage error). */
  readonly interruption?: string;
  /** When the latest attempt started (its task claimed the run). */
  readonly runningSince?: string;
  /** Last heartbeat of the task that ran (or runs) it. */
  readonly heartbeatAt?: string;
}

/** A final run record as the cloud stores it. */
export type CloudRunResult = RunResult & PipelineFields;

/** A run that is waiting in a queue or running in a task. */
export interface PendingRun extends PipelineFields {
  readonly runId: string;
  readonly worker: string;
  readonly target: string;
  readonly status: 'QUEUED' | 'RUNNING';
  readonly queuedAt: string;
  readonly model?: string;
  readonly sandbox?: SandboxMode;
  readonly expiresAt: number;
}

/** Any run record: final or still pending. */
export type StoredRun = CloudRunResult | PendingRun;

export interface DeadLetterNote {
  readonly at: string;
  readonly receiveCount: number;
  readonly maxReceiveCount: number;
  readonly reason: string;
}

export interface PoisonNote {
  readonly messageId: string;
  /** The message body as received (cut at 16 KiB). */
  readonly body: string;
  readonly reason: string;
}

/** A run queued by the dispatcher: the QUEUED record's fields. */
export interface QueuedRun {
  readonly runId: string;
  readonly worker: string;
  readonly target: string;
  readonly profile: ExecutionProfile;
  readonly priority: Priority;
  readonly source: 'schedule' | 'manual';
  readonly queuedAt: string;
  readonly model?: string;
  readonly sandbox?: SandboxMode;
}

/** True for a record that will not change again. */
export function isFinalRun(run: StoredRun): run is CloudRunResult {
  return run.status !== 'QUEUED' && run.status !== 'RUNNING';
}
