import type { TokenUsage } from '../run/types.js';

/** Caps a headless launch must stay under; an absent field is no cap. */
export interface SpendLimits {
  readonly dailyUsd?: number;
  /** All tokens the API reported in a UTC day: input, output, cache reads and cache writes. */
  readonly dailyTokens?: number;
  readonly launchesPerHour?: number;
}

export type SpendVerdict =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly reason: string; readonly retryAt: Date };

/** A launch the ledger counted, with the budget it holds until `settle`. */
export interface GrantedReservation {
  readonly allowed: true;
  /** The run's id: a reservation is settled once, whatever retries happen. */
  readonly id: string;
  /** `YYYY-MM-DD` (UTC) the budget was reserved on, and the day the run's spend is counted on. */
  readonly day: string;
  readonly budgetUsd: number;
}

export type SpendReservation = GrantedReservation | Extract<SpendVerdict, { allowed: false }>;

/** What a finished run used, as Claude Code reported it. */
export interface RunUsage {
  readonly tokens: TokenUsage;
  readonly costUsd: number;
}

/** One UTC day's spend. */
export interface SpendSummary {
  /** `YYYY-MM-DD`, UTC. */
  readonly day: string;
  readonly tokens: TokenUsage;
  readonly totalTokens: number;
  /** Measured cost of the day's settled runs. */
  readonly costUsd: number;
  /** Budget held by runs reserved and not settled yet (runs in progress, or a task that died mid-run). */
  readonly reservedUsd: number;
  /** Usage records (finished headless runs) of the day. */
  readonly runs: number;
  /** Headless launches of the day, all hours. */
  readonly launches: number;
}

/**
 * The spend caps' bookkeeping, as a port of the engine: a run reserves its whole
 * budget (and one launch of the hour) before Claude Code starts, so runs started at
 * once cannot together pass the daily cap, and settles to its measured cost when it
 * ends. File-backed on one machine (`FileSpendLedger`), one DynamoDB item per day in
 * the cloud (`DynamoSpendLedger`), so every task of a deployment answers to one cap.
 *
 * @example
 * const reservation = await ledger.reserve(config.limits, { id: runId, budgetUsd: def.maxBudgetUsd });
 * if (!reservation.allowed) return skip(reservation.reason);
 * const outcome = await runClaude(...);
 * await ledger.settle(reservation, { tokens: outcome.usage, costUsd: outcome.costUsd });
 */
export interface SpendLedger {
  /** Whether a launch would fit now (nothing reserved): the engine's early look before it builds a prompt. */
  check(limits: SpendLimits): Promise<SpendVerdict>;
  /** Reserves `budgetUsd` and one launch of the current hour when every cap allows it, atomically. */
  reserve(limits: SpendLimits, run: { readonly id: string; readonly budgetUsd: number }): Promise<SpendReservation>;
  /** Releases the reservation and counts the run's measured usage instead; a second settle of the same run does nothing. */
  settle(reservation: GrantedReservation, usage: RunUsage): Promise<void>;
  /** One UTC day's figures; today by default. */
  summary(day?: string): Promise<SpendSummary>;
}

/** An active pause of headless runs. */
export interface ModelPauseState {
  readonly pausedUntil: Date;
  readonly reason: string;
}

/**
 * The pause of headless runs after the model API answered with a rate limit, quota or
 * overload error, as a port of the engine: every run reads it before it starts, so a
 * 429 seen by one process (or one Fargate task) holds back all of them.
 * File-backed on one machine (`FileModelPause`), one DynamoDB item in the cloud
 * (`DynamoModelPause`).
 */
export interface ModelPause {
  /** The pause in force now, or null when headless runs may go. */
  currentPause(): Promise<ModelPauseState | null>;
  /** Records a rate-limit answer; returns the pause now in force. */
  pauseFor(retryAfterMs?: number, reason?: string): Promise<ModelPauseState>;
  /** Resets the backoff after a run the API served (a pause in force stays). */
  recordSuccess(): Promise<void>;
}
