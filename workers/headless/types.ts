import type { SandboxViolation, TokenUsage } from '../run/types.js';

/** A tool call the model made, as read from an assistant `tool_use` block. */
export interface ToolCallRecord {
  readonly id: string;
  readonly name: string;
  /** Short, secret-free summary of the input (command, path, pattern), at most ~120 characters. */
  readonly summary: string;
}

/** A progress event for terminal output while Claude Code runs. */
export type ClaudeProgress =
  | { readonly type: 'init'; readonly model: string; readonly tools: readonly string[]; readonly permissionMode: string }
  | { readonly type: 'text'; readonly text: string }
  | { readonly type: 'tool_call'; readonly call: ToolCallRecord }
  | { readonly type: 'violation'; readonly violation: SandboxViolation }
  | {
      readonly type: 'retry';
      readonly attempt: number;
      readonly maxRetries: number;
      readonly status?: number;
      readonly delayMs: number;
    }
  | {
      readonly type: 'result';
      readonly isError: boolean;
      readonly numTurns: number;
      readonly costUsd: number;
    };

/** The final `result` event of `--output-format stream-json`, normalised. */
export interface ClaudeResultEvent {
  readonly resultText: string;
  readonly structuredOutput?: unknown;
  readonly isError: boolean;
  readonly subtype?: string;
  readonly usage: TokenUsage;
  readonly costUsd: number;
  readonly numTurns: number;
  readonly durationMs: number;
  /** HTTP status of the API error that ended the run, when one did (`api_error_status`). */
  readonly apiErrorStatus?: number;
  /** Anthropic error type of that error (`api_error_type`), e.g. `rate_limit_error`. */
  readonly apiErrorType?: string;
  /** Why the agent loop stopped (`terminal_reason`), e.g. `completed`, `api_error`, `max_turns`, `budget_exhausted`. */
  readonly terminalReason?: string;
  /** The CLI's own error lines (`errors`), e.g. "Reached maximum number of turns (8)". */
  readonly errors: readonly string[];
}

/** What the stream parser has collected so far. */
export interface StreamSummary {
  readonly toolCalls: readonly ToolCallRecord[];
  readonly violations: readonly SandboxViolation[];
  /** The `result` event, once it arrived. */
  readonly result?: ClaudeResultEvent;
  /** Texts of assistant messages, in order (the result only holds the last one). */
  readonly assistantTexts: readonly string[];
  /** Usage summed over assistant messages: the fallback when no result event arrived. */
  readonly streamedUsage: TokenUsage;
  /** Distinct assistant messages seen: the fallback turn count. */
  readonly assistantMessages: number;
  /** `api_retry` events: the CLI retried an API call (rate limit, overload, server error). */
  readonly retries: readonly { readonly status?: number; readonly delayMs: number; readonly error?: string }[];
  /** An API error the CLI reported on a synthetic assistant message (`error: "rate_limit"`, status). */
  readonly apiError?: { readonly status?: number; readonly type?: string; readonly kind?: string; readonly message?: string };
  /** Lines that were not JSON (kept as a count, not stored). */
  readonly nonJsonLines: number;
  readonly model?: string;
}

/** Everything a headless run produced, also when it timed out, was cancelled or failed. */
export interface ClaudeRunOutcome {
  /** Exit code of the CLI; null when it was killed by a signal or never started. */
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly timedOut: boolean;
  readonly cancelled: boolean;
  /** The final text (`result`), or '' when no result event arrived. */
  readonly resultText: string;
  /**
   * Texts of every assistant message, in order. The final `resultText` is only the
   * last; with `--json-schema`, a model that answered in prose is asked again, and
   * its real answer may sit in an earlier message.
   */
  readonly assistantTexts: readonly string[];
  /** `structured_output` of the result (runs with `--json-schema` whose model called StructuredOutput). */
  readonly structuredOutput?: unknown;
  readonly isError: boolean;
  readonly subtype?: string;
  readonly usage: TokenUsage;
  readonly costUsd: number;
  readonly numTurns: number;
  readonly durationMs: number;
  readonly toolCalls: readonly ToolCallRecord[];
  readonly violations: readonly SandboxViolation[];
  /** The API answered 429/529, rate_limit_error, overloaded_error, or a quota / credit-balance message. */
  readonly rateLimited: boolean;
  /** API calls the CLI retried (rate limits, overloads, server errors, dropped connections). */
  readonly apiRetries: number;
  /** The CLI's last retry delay for a rate limit, when it reported one: a hint for rescheduling. */
  readonly retryAfterMs?: number;
  /** Short reason when the run did not succeed. */
  readonly errorMessage?: string;
  /** Last few kilobytes of the CLI's stderr. */
  readonly stderrTail: string;
  /** Model id the CLI reported in its init event. */
  readonly model?: string;
  /** Stdout lines that were not JSON. */
  readonly nonJsonLines: number;
  /**
   * Whether Bash was offered for the allow-listed commands, and why not (present only
   * when commands were allow-listed): see `decideBashOffer`.
   */
  readonly bash?: { readonly offered: boolean; readonly reason?: string };
}
