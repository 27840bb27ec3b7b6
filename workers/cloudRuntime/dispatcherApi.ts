import type { ExecutionProfile, Priority, RunStatus, SandboxMode } from '../catalog/types.js';
import type { StoredRun } from './types.js';

/**
 * The dispatcher's contract: what `aws lambda invoke` sends and gets back.
 * The Lambda (functions/) answers with these shapes and the operator CLI
 * reads them, so both import them from here.
 */

/** A manual run request (`aws lambda invoke --payload '{"worker":"audit","target":"api"}'`). */
export interface TriggerPayload {
  readonly action?: 'run';
  readonly worker: string;
  /** One configured target; default: every target. */
  readonly target?: string;
  /** Model alias (haiku, sonnet, opus) or full model id, for headless workers. */
  readonly model?: string;
  readonly priority?: Priority;
  /** Only the worker's own sandbox or a tighter one (strict < permissive < disabled). */
  readonly sandbox?: SandboxMode;
  /** The same key within a day queues nothing new (safe retries). */
  readonly idempotencyKey?: string;
  /** Report what would be queued, queue and write nothing (see DryRunResponse). */
  readonly dryRun?: boolean;
}

/** An input the dispatcher refuses: the field at fault, why, and what it accepts. */
export interface InputProblem {
  readonly field: string;
  readonly message: string;
  readonly allowed?: readonly string[];
}

/** Every answer to bad input: `{ error: { field, message, allowed? } }`; nothing was queued. */
export interface ErrorResponse {
  readonly error: InputProblem;
}

/** The answer to a schedule tick or a manual run. */
export interface DispatchResponse {
  /** Run ids this request covers (newly queued, or already queued by an earlier try of the same request). */
  readonly runIds: readonly string[];
  /** Messages sent by this call. */
  readonly queued: number;
  /** Fargate tasks started by this call. */
  readonly tasksStarted: number;
  /** Runs an earlier try of the same request already queued (its idempotency key was found). */
  readonly alreadyQueued?: readonly string[];
  /** Runs whose message could not be sent (recorded as FAILED). */
  readonly failed?: readonly { readonly runId: string; readonly worker: string; readonly target: string; readonly reason: string }[];
  /** Why tasks could not be started now (the reconcile schedule tries again). */
  readonly taskWarnings?: readonly string[];
}

/** One message a manual run would queue. */
export interface PlannedMessage {
  readonly worker: string;
  readonly target: string;
  readonly mode: 'local' | 'headless';
  readonly profile: ExecutionProfile;
  readonly priority: Priority;
  /** The queue it would go to. */
  readonly queueUrl: string;
  /** Headless: the model alias or id it would run with; null for a local worker. */
  readonly model: string | null;
  readonly sandbox: SandboxMode | null;
  /** The catalog's caps on one run: the run stops at `maxBudgetUsd` whatever happens. Null for a local worker. */
  readonly caps: { readonly maxBudgetUsd: number; readonly maxOutputTokens: number; readonly maxTurns: number; readonly timeoutMs: number } | null;
  /** True for a local worker: it sends nothing to a model and costs no tokens. */
  readonly costsNoTokens: boolean;
}

/**
 * The answer to a manual run with `"dryRun": true`: what would be queued,
 * with nothing queued, stored or started. The dispatcher has no workspace,
 * so it cannot count the prompt's tokens: `note` says how to get that estimate.
 */
export interface DryRunResponse {
  readonly dryRun: true;
  readonly queued: 0;
  readonly wouldQueue: readonly PlannedMessage[];
  /** Sum of the per-run budget caps: the most these runs could cost. */
  readonly maxTotalBudgetUsd: number;
  readonly note: string;
}

/** Depth of one queue: messages waiting (visible) and being worked on (in flight). */
export interface QueueDepth {
  readonly waiting: number;
  readonly inFlight: number;
}

/** One profile's line of the pipeline summary. */
export interface ProfileStatus {
  readonly profile: ExecutionProfile;
  readonly cap: number;
  readonly runningTasks: number;
  /** Per priority; `deadLettered` is null when the dead-letter queue could not be read. */
  readonly queues: Readonly<Record<Priority, QueueDepth & { readonly deadLettered: number | null }>>;
}

/** One row of the worker table. */
export interface WorkerStatus {
  readonly worker: string;
  readonly mode: 'local' | 'headless';
  readonly sandbox: SandboxMode | null;
  readonly model: string | null;
  readonly priority: Priority;
  readonly intervalMs: number;
  readonly enabled: boolean;
  /** running, queued, idle, failed (its last run did not succeed), disabled, or manual (no interval). */
  readonly status: 'running' | 'queued' | 'idle' | 'failed' | 'disabled' | 'manual';
  readonly queued: number;
  readonly running: number;
  readonly lastRun: {
    readonly runId: string;
    readonly status: RunStatus;
    readonly mode: string;
    readonly target: string;
    readonly startedAt: string;
    readonly finishedAt: string;
    readonly durationMs: number;
    readonly costUsd: number;
  } | null;
}

/** The answer to `{"action":"status"}`: the pipeline summary and the worker table. */
export interface StatusResponse {
  readonly pipeline: {
    readonly generatedAt: string;
    readonly authMode: 'api-key' | 'bedrock';
    readonly targets: readonly string[];
    readonly workersEnabled: { readonly total: number; readonly headless: number; readonly local: number };
    readonly profiles: readonly ProfileStatus[];
    readonly totals: {
      readonly runningTasks: number;
      readonly waiting: number;
      readonly inFlight: number;
      readonly deadLettered: number;
      readonly queuedRuns: number;
      readonly runningRuns: number;
    };
  };
  readonly workers: readonly WorkerStatus[];
}

/** The answer to `{"action":"results","worker":"audit","last":5}`: newest first, queued and running runs included. */
export interface ResultsResponse {
  readonly worker: string;
  readonly runs: readonly StoredRun[];
}

/** The answer to `{"action":"results","runId":"..."}`. */
export interface RunResponse {
  readonly run: StoredRun;
}

/** What reconcile did for one profile. */
export interface CapacityOutcome {
  readonly profile: ExecutionProfile;
  readonly cap: number;
  /** Tasks running (or just started) before this call. */
  readonly running: number;
  /** Messages waiting in the profile's queues. */
  readonly waiting: number;
  readonly started: readonly string[];
  /** Why fewer tasks started than needed, or why none were tried. */
  readonly problems: readonly string[];
}

/** The answer to the reconcile schedule (`{"source":"schedule","action":"reconcile"}`). */
export interface ReconcileResponse {
  readonly reconciled: readonly CapacityOutcome[];
  readonly tasksStarted: number;
  /** Pending runs no delivery can finish any more, closed as FAILED with the reason (when there were any). */
  readonly closedRuns?: readonly { readonly runId: string; readonly worker: string; readonly was: 'QUEUED' | 'RUNNING'; readonly reason: string }[];
}

export type DispatcherResponse = DispatchResponse | DryRunResponse | StatusResponse | ResultsResponse | RunResponse | ReconcileResponse | ErrorResponse;

/** True for the refusal shape. */
export function isErrorResponse(response: unknown): response is ErrorResponse {
  return typeof response === 'object' && response !== null && 'error' in response && typeof (response as ErrorResponse).error?.field === 'string';
}
