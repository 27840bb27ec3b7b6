import type { ReportRun } from './types.js';

/** Runs, tokens and cost of one UTC day, per worker and in total. */
export interface DayUsage {
  /** YYYY-MM-DD (UTC), of the run's start. */
  readonly day: string;
  readonly runs: number;
  readonly tokens: number;
  readonly costUsd: number;
  readonly costByWorker: Readonly<Record<string, number>>;
}

/** Input + output + cache tokens of a run. */
export function totalTokens(run: ReportRun): number {
  return run.tokens.input + run.tokens.output + run.tokens.cacheRead + run.tokens.cacheCreation;
}

/**
 * Usage per day, oldest first; days without runs between the first and last are
 * included (at zero) so a chart's gaps are real gaps.
 *
 * @example usageByDay(runs).at(-1)?.costUsd
 */
export function usageByDay(runs: readonly ReportRun[]): DayUsage[] {
  const days = new Map<string, { runs: number; tokens: number; costUsd: number; costByWorker: Record<string, number> }>();
  for (const run of runs) {
    const day = run.startedAt.slice(0, 10);
    const entry = days.get(day) ?? { runs: 0, tokens: 0, costUsd: 0, costByWorker: {} };
    entry.runs += 1;
    entry.tokens += totalTokens(run);
    entry.costUsd += run.costUsd;
    entry.costByWorker[run.worker] = (entry.costByWorker[run.worker] ?? 0) + run.costUsd;
    days.set(day, entry);
  }
  const sorted = [...days.keys()].sort();
  if (sorted.length === 0) return [];
  const out: DayUsage[] = [];
  const last = Date.parse(`${sorted.at(-1)}T00:00:00Z`);
  for (let t = Date.parse(`${sorted[0]}T00:00:00Z`); t <= last; t += 86_400_000) {
    const day = new Date(t).toISOString().slice(0, 10);
    out.push({ day, ...(days.get(day) ?? { runs: 0, tokens: 0, costUsd: 0, costByWorker: {} }) });
  }
  return out;
}

/** Runs, failures, tokens, cost and time of one worker. */
export interface WorkerUsage {
  readonly worker: string;
  readonly runs: number;
  readonly failed: number;
  readonly tokens: number;
  readonly costUsd: number;
  readonly durationMs: number;
  readonly violations: number;
}

/** Per-worker totals, by name. */
export function usageByWorker(runs: readonly ReportRun[]): WorkerUsage[] {
  const byWorker = new Map<string, { runs: number; failed: number; tokens: number; costUsd: number; durationMs: number; violations: number }>();
  for (const run of runs) {
    const entry = byWorker.get(run.worker) ?? { runs: 0, failed: 0, tokens: 0, costUsd: 0, durationMs: 0, violations: 0 };
    entry.runs += 1;
    if (run.status !== 'SUCCEEDED' && run.status !== 'SKIPPED') entry.failed += 1;
    entry.tokens += totalTokens(run);
    entry.costUsd += run.costUsd;
    entry.durationMs += run.durationMs;
    entry.violations += run.violations.length;
    byWorker.set(run.worker, entry);
  }
  return [...byWorker].map(([worker, usage]) => ({ worker, ...usage })).sort((a, b) => (a.worker < b.worker ? -1 : 1));
}
