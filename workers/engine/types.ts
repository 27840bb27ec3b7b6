import type { ReviewLedger } from '../coverage/types.js';
import type { ExecutionProfile, SandboxMode, WorkerMode } from '../catalog/types.js';
import type { ResolvedConfig } from '../config/index.js';
import type { RunResult } from '../run/types.js';
import type { FindingStore } from '../findings/FindingStore.js';
import type { ResultStore } from '../store/ResultStore.js';
import type { ModelPause, SpendLedger } from '../spend/index.js';
import type { ConcurrencyLimiter } from './concurrencyLimiter.js';
import type { ProgressListener } from './progress.js';

/** One request to run a worker, from the CLI, the daemon or a task message. */
export interface RunRequest {
  readonly worker: string;
  /** The repository to analyse (a local checkout, or the task's scratch workspace). */
  readonly repoDir: string;
  /** Name recorded with the result; default: the directory's name. */
  readonly target?: string;
  /** Force a mode; by default a headless worker runs headless when it can. */
  readonly mode?: WorkerMode;
  readonly sandbox?: SandboxMode;
  /** Model alias or id overriding the catalog's. */
  readonly model?: string;
  /** Given by the dispatcher in the cloud; generated otherwise. */
  readonly runId?: string;
  readonly signal?: AbortSignal;
  readonly onProgress?: ProgressListener;
  /** Scan every file even when an incremental scan would do (`run --full`). */
  readonly fullScan?: boolean;
  /**
   * Brings a commit the checkout lacks into it (the cloud task's shallow
   * clone); an incremental scan calls it for its base commit and, when it
   * rejects, scans in full with the reason recorded.
   */
  readonly fetchCommit?: (commit: string) => Promise<void>;
}

export interface EngineOptions {
  readonly config: ResolvedConfig;
  readonly store: ResultStore;
  /** Where the file index lives, and the spend ledger and model pause when none is given. */
  readonly stateDir: string;
  /**
   * The spend caps' bookkeeping; default: a file in `stateDir` (one machine). The cloud
   * task passes the deployment's DynamoDB ledger, so every task answers to one cap.
   */
  readonly spendLedger?: SpendLedger;
  /** The pause after a rate-limit answer; default: a file in `stateDir`. The cloud task passes the deployment's. */
  readonly modelPause?: ModelPause;
  readonly limiter?: ConcurrencyLimiter<ExecutionProfile>;
  /** Tracks findings across runs (new/open/fixed/returned/suppressed); none when absent. */
  readonly findingStore?: FindingStore;
  readonly clock?: () => Date;
  /** Deadline of a local analysis; default 15 minutes. */
  readonly localTimeoutMs?: number;
  /** Environment the Claude Code availability check and the run see; default process.env. */
  readonly env?: NodeJS.ProcessEnv;
  /**
   * True when `repoDir` is already a throw-away copy (the cloud task's scratch
   * volume); false on a user's machine, where permissive runs get a copy.
   */
  readonly workspaceIsScratch?: boolean;
  /** What each (target, worker) showed the model (workers/coverage); when given, incremental runs work through the review backlog. */
  readonly reviewLedger?: ReviewLedger;
}

/** What executing a worker produced, before the run's identity and timing are added. */
export type ExecutionOutcome = Omit<
  RunResult,
  'runId' | 'worker' | 'target' | 'requestedMode' | 'startedAt' | 'finishedAt' | 'durationMs' | 'expiresAt'
>;

