import { PRIORITIES } from '../catalog/constants.js';
import type { Catalog, SandboxMode, WorkerDefinition, WorkerMode } from '../catalog/types.js';
import type { WorkerEngine } from '../engine/WorkerEngine.js';
import type { RunResult } from '../run/types.js';
import { retryDelayMs } from './retryBackoff.js';
import type { ScheduledWorkerState } from './types.js';

export interface SchedulerOptions {
  readonly engine: WorkerEngine;
  readonly catalog: Catalog;
  readonly repoDir: string;
  readonly target?: string;
  /** Only these workers are scheduled (default: every enabled worker with an interval). */
  readonly workers?: readonly string[];
  readonly mode?: WorkerMode;
  readonly sandbox?: SandboxMode;
  readonly clock?: () => Date;
  /** State restored from a previous daemon on the same repository. */
  readonly previous?: readonly ScheduledWorkerState[];
  /** Called after every change, to persist the table. */
  readonly onChange?: (states: readonly ScheduledWorkerState[]) => void;
  readonly onRunFinished?: (result: RunResult) => void;
}

export interface TriggerRequest {
  readonly worker: string;
  readonly mode?: WorkerMode;
  readonly sandbox?: SandboxMode;
  readonly model?: string;
}

/**
 * Runs the catalog's workers on their intervals against one repository
 * through the engine: when several are due at once the higher priority starts
 * first (the engine's limiter keeps that order among waiters), one worker
 * never runs twice at the same time, and a failed run is retried with backoff.
 */
export class LocalScheduler {
  private readonly states = new Map<string, ScheduledWorkerState>();
  private readonly running = new Map<string, Promise<RunResult | null>>();
  private readonly pendingTriggers = new Map<string, { request: TriggerRequest; resolvers: ((result: RunResult | null) => void)[] }>();
  private readonly abort = new AbortController();
  private readonly clock: () => Date;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(private readonly options: SchedulerOptions) {
    this.clock = options.clock ?? (() => new Date());
    const now = this.clock();
    const previous = new Map((options.previous ?? []).map((state) => [state.worker, state]));
    for (const def of options.catalog.values()) {
      const scheduled = this.isScheduled(def);
      const before = previous.get(def.type);
      this.states.set(def.type, {
        worker: def.type,
        activity: scheduled ? 'idle' : 'disabled',
        intervalMs: def.intervalMs,
        // A restarted daemon keeps its timetable; a new one runs every worker now.
        nextRunAt: scheduled ? (before?.nextRunAt ?? now.toISOString()) : null,
        consecutiveFailures: before?.consecutiveFailures ?? 0,
        runs: before?.runs ?? 0,
        ...pickLast(before),
      });
    }
  }

  /** The worker table, in catalog order. */
  snapshot(): ScheduledWorkerState[] {
    return [...this.states.values()];
  }

  start(tickMs = 500): void {
    const loop = () => {
      if (this.stopped) return;
      this.tick();
      this.timer = setTimeout(loop, tickMs);
    };
    this.emit();
    loop();
  }

  /** Starts every due worker, highest priority first. */
  tick(): void {
    const now = this.clock().getTime();
    const due = [...this.states.values()]
      .filter((state) => state.activity !== 'disabled' && state.nextRunAt !== null && Date.parse(state.nextRunAt) <= now)
      .filter((state) => !this.running.has(state.worker))
      .map((state) => this.options.catalog.get(state.worker)!)
      .sort((a, b) => PRIORITIES.indexOf(a.priority) - PRIORITIES.indexOf(b.priority));
    for (const def of due) this.launch(def, { worker: def.type });
    for (const [worker, pending] of this.pendingTriggers) {
      if (this.running.has(worker)) continue;
      this.pendingTriggers.delete(worker);
      const def = this.options.catalog.get(worker)!;
      void this.launch(def, pending.request).then((result) => pending.resolvers.forEach((resolve) => resolve(result)));
    }
  }

  /**
   * Queues a run now (after the worker's current run, if one is going on).
   * Resolves with the stored result, or null when the daemon stopped first.
   */
  trigger(request: TriggerRequest): Promise<RunResult | null> {
    if (!this.options.catalog.has(request.worker)) {
      return Promise.reject(new Error(`unknown worker "${request.worker}"; known workers: ${[...this.options.catalog.keys()].join(', ')}`));
    }
    return new Promise((resolve) => {
      const pending = this.pendingTriggers.get(request.worker);
      if (pending) pending.resolvers.push(resolve);
      else this.pendingTriggers.set(request.worker, { request, resolvers: [resolve] });
      this.update(request.worker, { activity: this.running.has(request.worker) ? 'running' : 'queued' });
      this.tick();
    });
  }

  /** Stops scheduling, cancels running runs (their Claude process groups are killed) and waits for them to be recorded. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.abort.abort();
    for (const pending of this.pendingTriggers.values()) pending.resolvers.forEach((resolve) => resolve(null));
    this.pendingTriggers.clear();
    await Promise.allSettled([...this.running.values()]);
  }

  private launch(def: WorkerDefinition, request: TriggerRequest): Promise<RunResult | null> {
    this.update(def.type, { activity: 'queued' });
    const run = this.runOnce(def, request).finally(() => {
      this.running.delete(def.type);
      if (!this.stopped) queueMicrotask(() => this.tick());
    });
    this.running.set(def.type, run);
    return run;
  }

  private async runOnce(def: WorkerDefinition, request: TriggerRequest): Promise<RunResult | null> {
    const mode = request.mode ?? this.options.mode;
    const sandbox = request.sandbox ?? this.options.sandbox;
    let result: RunResult | null = null;
    let error: string | undefined;
    try {
      result = await this.options.engine.run({
        worker: def.type,
        repoDir: this.options.repoDir,
        ...(this.options.target ? { target: this.options.target } : {}),
        ...(mode && def.mode === 'headless' ? { mode } : {}),
        ...(sandbox && def.mode === 'headless' ? { sandbox } : {}),
        ...(request.model ? { model: request.model } : {}),
        signal: this.abort.signal,
        onProgress: (event) => {
          if (event.phase !== 'waiting' && this.states.get(def.type)?.activity !== 'running') this.update(def.type, { activity: 'running' });
        },
      });
      this.options.onRunFinished?.(result);
    } catch (caught) {
      error = caught instanceof Error ? caught.message : String(caught);
    }
    const before = this.states.get(def.type)!;
    const now = this.clock();
    // An INCOMPLETE run ran to its end: retrying sooner would not make an unreadable folder readable.
    const succeeded = result?.status === 'SUCCEEDED' || result?.status === 'SKIPPED' || result?.status === 'INCOMPLETE';
    const failures = succeeded ? 0 : before.consecutiveFailures + 1;
    const scheduled = this.isScheduled(def);
    const nextRunAt = !scheduled
      ? null
      : new Date(now.getTime() + (succeeded ? def.intervalMs : retryDelayMs(failures, def.intervalMs))).toISOString();
    this.update(def.type, {
      activity: !scheduled ? 'disabled' : succeeded ? 'idle' : 'failed',
      nextRunAt,
      consecutiveFailures: failures,
      runs: before.runs + 1,
      lastRunAt: now.toISOString(),
      ...(result
        ? { lastRunId: result.runId, lastOutcome: result.status, lastMode: result.mode, lastCostUsd: result.costUsd, lastError: result.error ?? result.fallbackReason }
        : { lastOutcome: 'FAILED' as const, lastError: error }),
    });
    return result;
  }

  private isScheduled(def: WorkerDefinition): boolean {
    const chosen = this.options.workers;
    if (chosen && chosen.length > 0) return chosen.includes(def.type) && def.intervalMs > 0;
    return def.enabled && def.intervalMs > 0;
  }

  private update(worker: string, changes: Partial<ScheduledWorkerState>): void {
    const before = this.states.get(worker);
    if (!before) return;
    this.states.set(worker, { ...before, ...changes });
    this.emit();
  }

  private emit(): void {
    this.options.onChange?.(this.snapshot());
  }
}

function pickLast(state: ScheduledWorkerState | undefined): Partial<ScheduledWorkerState> {
  if (!state) return {};
  const { lastRunAt, lastRunId, lastOutcome, lastMode, lastCostUsd, lastError } = state;
  return Object.fromEntries(Object.entries({ lastRunAt, lastRunId, lastOutcome, lastMode, lastCostUsd, lastError }).filter(([, v]) => v !== undefined));
}
