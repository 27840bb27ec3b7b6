import type { RankingStrategy } from '../context/types.js';
import type {
  EXECUTION_PROFILES,
  MODEL_ALIASES,
  OUTPUT_FORMATS,
  PRIORITIES,
  RUN_STATUSES,
  SANDBOX_MODES,
  WORKER_MODES,
} from './constants.js';

export type Priority = (typeof PRIORITIES)[number];
export type WorkerMode = (typeof WORKER_MODES)[number];
export type SandboxMode = (typeof SANDBOX_MODES)[number];
export type ExecutionProfile = (typeof EXECUTION_PROFILES)[number];
export type ModelAlias = (typeof MODEL_ALIASES)[number];
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];
export type RunStatus = (typeof RUN_STATUSES)[number];

/** A JSON Schema object (draft 2020-12 subset understood by ajv and `claude --json-schema`). */
export type JsonSchema = Record<string, unknown>;

/** Fields every worker has. */
interface WorkerBase {
  /** Worker name, unique in the catalog (`audit`, `map`, ...). */
  readonly type: string;
  readonly description: string;
  readonly priority: Priority;
  /** Schedule interval in milliseconds; 0 means manual only (no schedule). */
  readonly intervalMs: number;
  /** Disabled workers get no schedule and refuse scheduled runs; manual runs still work. */
  readonly enabled: boolean;
  /** Output produced by the worker (local workers always produce JSON). */
  readonly outputFormat: OutputFormat;
  /** Results of other workers whose latest output feeds this worker's prompt. */
  readonly chainsFrom: readonly string[];
}

/** A worker that runs plain code on the machine (no model). */
export interface LocalWorkerDefinition extends WorkerBase {
  readonly mode: 'local';
}

/** A worker that runs the Claude Code CLI non-interactively. */
export interface HeadlessWorkerDefinition extends WorkerBase {
  readonly mode: 'headless';
  /** Prompt with `{{placeholders}}`: {{target}}, {{context}}, {{fileList}}, {{chained}}. */
  readonly promptTemplate: string;
  readonly sandbox: SandboxMode;
  /** A model alias (haiku, sonnet, opus) or a full model id. */
  readonly model: ModelAlias | (string & {});
  readonly maxOutputTokens: number;
  readonly timeoutMs: number;
  /** fast-glob patterns of files that go into the prompt's context. */
  readonly contextPatterns: readonly string[];
  /** Context budget in characters of file content. */
  readonly contextBudgetChars: number;
  /**
   * How files compete for the context budget, for this worker's question:
   * `security` reads content (entry points, sinks) and sends regions of large
   * files; see `rankFiles` in workers/context for every strategy.
   */
  readonly contextRanking: RankingStrategy;
  /** Hard cap on the agent's turns (`--max-turns`). */
  readonly maxTurns: number;
  /** Hard cap on one run's spend (`--max-budget-usd`). */
  readonly maxBudgetUsd: number;
  /** JSON Schema of the output for `outputFormat: 'json'` workers. */
  readonly outputSchema?: JsonSchema;
}

export type WorkerDefinition = LocalWorkerDefinition | HeadlessWorkerDefinition;

/** The resolved catalog: built-in definitions with the user's overrides applied. */
export type Catalog = ReadonlyMap<string, WorkerDefinition>;
