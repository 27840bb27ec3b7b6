import type { OutputFormat, RunStatus, SandboxMode, WorkerMode } from '../catalog/types.js';

/** One file that went into a prompt's context. */
export interface ContextFileEntry {
  /** Path relative to the repository root, with forward slashes. */
  readonly path: string;
  /** Characters of this file that went in (after redaction and truncation). */
  readonly chars: number;
  /** True when only the head of the file fit in the remaining budget. */
  readonly truncated: boolean;
  /** Secret values replaced by a marker before the text reached the prompt. */
  readonly redactions: number;
}

/** Why a candidate file stayed out of the context. */
export type ExclusionReason =
  | 'budget'
  | 'binary'
  | 'lockfile'
  | 'vendored'
  | 'generated'
  | 'gitignored'
  | 'too-large'
  | 'symlink'
  | 'unreadable'
  /** A directory deeper than the walk's depth limit: not walked, so its files were not seen. */
  | 'too-deep'
  /** A FIFO, socket or device: never opened, a read could block or never end. */
  | 'not-a-regular-file'
  /** A stored path (a file index) that resolves outside the repository: dropped, never read. */
  | 'outside-repository';

export interface ContextExclusion {
  readonly path: string;
  readonly reason: ExclusionReason;
}

/** What the context builder hands to a headless run, and what the run records. */
export interface BuiltContext {
  /** The text that goes into the prompt's {{context}} placeholder. */
  readonly text: string;
  readonly files: readonly ContextFileEntry[];
  readonly excluded: readonly ContextExclusion[];
  readonly budgetChars: number;
  readonly usedChars: number;
  readonly redactions: number;
  /**
   * How many files were left out for each reason, counted before `excluded`
   * is capped: nothing is skipped without a count.
   */
  readonly excludedCounts?: Readonly<Partial<Record<ExclusionReason, number>>>;
  /**
   * The local audit's findings chained into a headless prompt (workers with the
   * `security` ranking): how many were in production code, how many the prompt
   * lists, and how many it does not (for room; in tests, docs, examples or
   * translations). `error` says why the local audit could not run.
   */
  readonly localFindings?: { readonly production: number; readonly listed: number; readonly notListed: number; readonly elsewhere: number; readonly error?: string };
}

/** A tool call the sandbox refused, or a call to a tool the profile removed. */
export interface SandboxViolation {
  readonly tool: string;
  /**
   * `permission_denied`: refused by the permission layer; `tool_unavailable`: not offered to the model at all;
   * `rejected_request`: a run request (a task message) asked for more than its worker's definition allows.
   */
  readonly kind: 'permission_denied' | 'tool_unavailable' | 'rejected_request';
  /** A short, secret-free summary of what was attempted (command, path). */
  readonly detail: string;
}

export interface TokenUsage {
  readonly input: number;
  readonly output: number;
  readonly cacheRead: number;
  readonly cacheCreation: number;
}

/** A finding of a JSON worker or a local rule. */
export interface Finding {
  readonly ruleId: string;
  readonly severity: 'critical' | 'high' | 'medium' | 'low' | 'info';
  readonly file: string;
  readonly line: number;
  readonly message: string;
  /** Secret-free snippet of the code the finding points at. */
  readonly evidence?: string;
  /**
   * Set when the finding is not in production code: `test` (tests and fixtures),
   * `docs`, `i18n` (translations) or `example`. Such findings carry a lower
   * severity, tables show them with `--all`, SARIF gives them the level `note`.
   */
  readonly context?: 'test' | 'docs' | 'i18n' | 'example';
}

/**
 * The record of one worker run: the same shape in the local store, DynamoDB and
 * the CLI's JSON output.
 */
export interface RunResult {
  readonly runId: string;
  readonly worker: string;
  readonly target: string;
  /** The mode that actually ran (a headless worker may fall back to local). */
  readonly mode: WorkerMode;
  readonly requestedMode: WorkerMode;
  /** Why a headless worker ran its local analysis instead, when it did. */
  readonly fallbackReason?: string;
  readonly status: RunStatus;
  readonly success: boolean;
  /** Format of `output`: JSON for local runs and JSON workers. */
  readonly outputFormat: OutputFormat;
  /** Raw output: the model's final text, or the local worker's JSON text. */
  readonly output: string;
  /** Parsed output: validated JSON, parsed markdown, or the local worker's object. */
  readonly parsedOutput?: unknown;
  /** Why the output could not be parsed or validated; the raw output is kept. */
  readonly outputError?: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly durationMs: number;
  readonly tokens: TokenUsage;
  readonly costUsd: number;
  /** Model id used, or null for local runs. */
  readonly model: string | null;
  readonly sandboxMode: SandboxMode | null;
  readonly numTurns: number;
  readonly violations: readonly SandboxViolation[];
  readonly context?: Omit<BuiltContext, 'text'>;
  readonly error?: string;
  /**
   * What a headless run looked at: every matching file (`full`), or only the
   * files changed since `baseCommit` (`incremental`); findings in unchanged
   * files are carried over.
   */
  readonly scan?: {
    readonly kind: 'full' | 'incremental';
    readonly headCommit: string | null;
    readonly baseCommit?: string;
    readonly changedFiles?: number;
    /**
     * Files changed since `baseCommit` (committed or not) left out because their
     * content is what an earlier run already showed the model.
     */
    readonly unchangedByContent?: number;
    /** Path → content hash of the files this run showed the model whole (see workers/engine/contentHashes.ts). */
    readonly contentHashes?: Readonly<Record<string, string>>;
    /** Why a full scan was chosen. */
    readonly reason: string;
  };
  /**
   * What the analysed repository's own config file did to this run: it may only
   * tighten, so `applied` lists what it tightened and `ignored` what it tried to
   * loosen or set that only the operator may.
   */
  readonly repositoryConfig?: { readonly file: string; readonly applied: readonly string[]; readonly ignored: readonly string[] };
  /**
   * Present when the operator allow-listed Bash commands for a permissive run: whether
   * Bash was offered, and why not (it needs Claude Code's sandbox, requested and working).
   */
  readonly bash?: { readonly offered: boolean; readonly reason?: string };
  /** Suppressions the analysed repository committed: how many applied, which lines were refused and why. */
  readonly repositorySuppressions?: { readonly applied: number; readonly refused: readonly string[] };
  /** How this run moved the tracked findings of its (target, worker). */
  readonly findingSummary?: { readonly new: number; readonly returned: number; readonly fixed: number; readonly open: number; readonly suppressed: number };
  /**
   * Findings of the model's answer dropped because their file is not in the
   * repository or their line is past its end: never tracked or exported.
   */
  readonly rejectedFindings?: { readonly count: number; readonly note: string; readonly byReason: Readonly<Partial<Record<string, number>>> };
  /** Latest results of other workers that went into the prompt. */
  readonly chainedInputs?: readonly { readonly worker: string; readonly runId: string }[];
  /** Epoch seconds after which the record is expired (DynamoDB TTL semantics). */
  readonly expiresAt: number;
}
