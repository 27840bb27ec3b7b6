import { createHash } from 'node:crypto';
import { RUN_ID_TARGET_SEPARATOR, runIdStamp, targetOfRunId } from '../workers/run/runId.js';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { ChangeMessageVisibilityCommand, DeleteMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { ExecutionProfile, WorkerDefinition } from '../workers/catalog/types.js';
import type { ResolvedConfig } from '../workers/config/index.js';
import {
  isFinalRun,
  LeaseLostError,
  parseTaskMessage,
  type CloudRunResult,
  type DynamoResultStore,
  type JsonLogger,
  type RunLease,
  type RunRecords,
  type TaskMessage,
} from '../workers/cloudRuntime/index.js';
import type { WorkerEngine } from '../workers/engine/WorkerEngine.js';
import { ConfigError, InputError } from '../workers/errors.js';
import { RunRejected } from '../workers/run/errors.js';
import { isTighterOrEqual, resolveRun } from '../workers/run/resolveRun.js';
import type { RunResult } from '../workers/run/types.js';
import { failedRecord } from './failedRecord.js';
import type { LeaseGuardedStore } from './LeaseGuardedStore.js';
import { MessageHeartbeat } from './MessageHeartbeat.js';
import type { ReceivedMessage, WorkQueue } from './QueuePoller.js';
import { ResultNotStoredError } from './RetryingStore.js';
import { runMetricsLine } from './runMetrics.js';
import type { ShutdownAwareStore } from './ShutdownAwareStore.js';
import { WorkspaceError } from './workspace/errors.js';
import { fetchWorkspace, gitHistoryFetcher, type FetchWorkspaceDeps } from './workspace/fetchWorkspace.js';

/** How much of an unreadable body the record keeps. */
const POISON_BODY_LIMIT = 16 * 1024;

export interface MessageProcessorDeps {
  readonly sqs: SQSClient;
  readonly records: RunRecords;
  /** The DynamoDB/S3 store itself (records written outside the engine). */
  readonly store: DynamoResultStore;
  /** The store the engine writes through (drops CANCELLED records while stopping). */
  readonly engineStore: ShutdownAwareStore;
  /** The lease guard under the engine's store: saves of a claimed run are conditional on its lease. */
  readonly leases: LeaseGuardedStore;
  readonly engine: WorkerEngine;
  readonly config: ResolvedConfig;
  readonly profile: ExecutionProfile;
  /** The one target this task serves (its role reaches no other): a message for another is refused. */
  readonly target?: string;
  readonly resultTtlDays: number;
  readonly scratchDir: string;
  readonly workspace: FetchWorkspaceDeps;
  /** Identifies this task's leases (the task ARN plus a per-process suffix). */
  readonly owner: string;
  readonly taskArn: string;
  readonly log: JsonLogger;
  readonly isStopping: () => boolean;
  /** Writes one metrics line (EMF). */
  readonly emitMetrics: (line: string) => void;
  readonly clock?: () => Date;
}

/** What became of a message. */
export type MessageOutcome =
  /** Result stored (or already stored) and message deleted. */
  | 'done'
  /** Given back to the queue: the task is stopping, or another task holds the run. */
  | 'released'
  /** Left in flight to come back after its visibility timeout (a failure to retry, a poison message on its way to the DLQ). */
  | 'left';

/**
 * Works one task message from receipt to deletion: parse it (an unreadable
 * message is recorded FAILED with its body, and left to reach the
 * dead-letter queue), claim the run (a finished run's duplicate is deleted,
 * a run leased by another task is left alone), heartbeat while fetching the
 * workspace and running the engine, store the result, emit the metrics and
 * only then delete the message. When the task is stopped mid-run, the run
 * goes back to QUEUED and the message becomes visible at once. Every final
 * write of a claimed run is conditional on this task still holding its
 * lease: a task that stalled past it while another took the run over stores
 * nothing, logs no finish and emits no metrics (see `lostLease`).
 */
export class MessageProcessor {
  /** Cancels the run in progress (SIGTERM). */
  private current: AbortController | undefined;
  private readonly clock: () => Date;

  constructor(private readonly deps: MessageProcessorDeps) {
    this.clock = deps.clock ?? (() => new Date());
  }

  /** Stops the run in progress: the engine stops the Claude process group; the message is given back. */
  abortCurrent(reason: string): void {
    this.current?.abort(new Error(reason));
  }

  async process(received: ReceivedMessage): Promise<MessageOutcome> {
    const parsed = parseTaskMessage(received.message.Body ?? '');
    if (!parsed.ok) return this.poison(received, parsed.error.reason, parsed.error.partial);
    const task = parsed.message;
    const refusal = this.refusalOf(task);
    if (refusal) return this.poison(received, refusal, task, [{ tool: 'task-message', kind: 'rejected_request', detail: refusal.slice(0, 200) }]);
    return this.run(received, task);
  }

  /**
   * The worker's definition as this run executes it (the sandbox a message tightened
   * it to), so a FAILED record names the sandbox the run used, not the catalog's.
   */
  private definitionAsRun(task: TaskMessage): WorkerDefinition | undefined {
    const def = this.deps.config.catalog.get(task.worker);
    return def?.mode === 'headless' && task.sandbox && isTighterOrEqual(task.sandbox, def.sandbox) ? { ...def, sandbox: task.sandbox } : def;
  }

  /**
   * Why this task may not run what the message asks, or null. What runs is derived
   * from this task's catalog and deployment config for (worker, profile): the
   * message may only tighten the sandbox and name a known model, and the profile it
   * resolves to must be this task's own.
   */
  private refusalOf(task: TaskMessage): string | null {
    const { deps } = this;
    const def = deps.config.catalog.get(task.worker);
    if (!def) return `worker: "${task.worker}" is not in this task's catalog`;
    let profile: string;
    try {
      ({ profile } = resolveRun(def, { ...(task.sandbox ? { sandbox: task.sandbox } : {}), ...(task.model ? { model: task.model } : {}) }, { allowDisabledSandbox: deps.config.allowDisabledSandbox, models: deps.config.models }));
    } catch (error) {
      if (error instanceof RunRejected) return error.message;
      throw error;
    }
    if (deps.target !== undefined && task.target !== deps.target) return `target: message for target "${task.target}" arrived in a queue of target "${deps.target}"`;
    if (task.profile !== deps.profile) return `profile: message for profile "${task.profile}" arrived in a "${deps.profile}" queue`;
    if (profile !== deps.profile) return `profile: ${task.worker}${task.sandbox ? ` with sandbox "${task.sandbox}"` : ''} runs under the "${profile}" profile, not this task's "${deps.profile}"`;
    return null;
  }

  private async run(received: ReceivedMessage, task: TaskMessage): Promise<MessageOutcome> {
    const { deps } = this;
    const log = deps.log.child({ runId: task.runId, worker: task.worker, target: task.target, priority: received.queue.priority, receiveCount: received.receiveCount });
    const leaseMs = leaseMsOf(received.queue);
    const claim = await deps.records.claim({ run: task, owner: deps.owner, leaseMs, taskArn: deps.taskArn });
    if (claim.outcome === 'final') {
      log.info('duplicate delivery of a finished run: deleting the message', { status: claim.existing.status });
      await this.delete(received);
      return 'done';
    }
    if (claim.outcome === 'leased') {
      const waitSeconds = Math.max(1, Math.ceil((claim.leaseUntil - this.clock().getTime()) / 1000));
      log.info('run is leased by another task: leaving the message for later', { owner: claim.owner, waitSeconds });
      await this.changeVisibility(received, Math.min(waitSeconds, received.queue.visibilityTimeoutSeconds));
      return 'released';
    }
    log.info('run started', { attempt: claim.attempt });

    const lease: RunLease = { owner: deps.owner, attempt: claim.attempt };
    const releaseLease = deps.leases.hold(task.runId, lease);
    const controller = new AbortController();
    this.current = controller;
    const heartbeat = MessageHeartbeat.start({
      sqs: deps.sqs,
      records: deps.records,
      queueUrl: received.queue.url,
      receiptHandle: received.message.ReceiptHandle ?? '',
      runId: task.runId,
      owner: deps.owner,
      visibilityTimeoutSeconds: received.queue.visibilityTimeoutSeconds,
      leaseMs,
      log,
      // No use going on: the final write would be refused.
      onLeaseLost: () => controller.abort(new LeaseLostError(task.runId, undefined)),
    });
    const started = this.clock();
    // runs/<target>/<rest of the run id>: no '~' in the workspace path (Claude Code reads a '~' in a path as the home directory and refused reads under it).
    const directory = path.join(deps.scratchDir, 'runs', ...task.runId.split(RUN_ID_TARGET_SEPARATOR));
    let result: RunResult | undefined;
    let failure: unknown;
    try {
      result = await this.execute(task, directory, controller.signal, log);
    } catch (error) {
      failure = error;
    } finally {
      this.current = undefined;
      releaseLease();
      await heartbeat.stop();
      await rm(directory, { recursive: true, force: true }).catch(() => undefined);
    }

    if (failure instanceof LeaseLostError) return this.lostLease(received, failure, log);
    // The heartbeat found the run in other hands and stopped the work, whatever error that made.
    if (!result && controller.signal.reason instanceof LeaseLostError) return this.lostLease(received, controller.signal.reason, log);

    if (deps.isStopping() && (controller.signal.aborted || deps.engineStore.dropped.has(task.runId))) {
      await deps.records.release(task.runId, deps.owner, 'the task was stopped mid-run (SIGTERM); the run was given back to the queue');
      await this.changeVisibility(received, 0);
      log.info('task stopping: run given back to the queue');
      return 'released';
    }
    if (!result && (isPermanent(failure) || failure instanceof ResultNotStoredError)) {
      const definition = this.definitionAsRun(task);
      const record = failedRecord({
        runId: task.runId,
        worker: task.worker,
        target: task.target,
        ...(definition ? { definition } : {}),
        error: (failure as Error).message,
        startedAt: started,
        finishedAt: this.clock(),
        resultTtlDays: deps.resultTtlDays,
        ...(failure instanceof ResultNotStoredError ? { extra: spentBy(failure.result) } : {}),
      });
      // The message stays until this record is stored; if it cannot be either, another delivery tries again.
      let saved: RunResult | null;
      try {
        saved = await this.saveOrLeave(received, record, lease, log);
      } catch (error) {
        if (error instanceof LeaseLostError) return this.lostLease(received, error, log);
        throw error;
      }
      if (!saved) return 'left';
      result = saved;
    }
    if (!result) {
      // Storage or infrastructure trouble: keep the message; SQS redelivers it (and, past its max receives, dead-letters it).
      log.error('run could not be completed; the message will be delivered again', { error: failure });
      await deps.records.release(task.runId, deps.owner, `attempt failed: ${(failure as Error)?.message ?? String(failure)}`).catch(() => false);
      await this.noteLastReceive(received, task.runId, `the run could not be completed: ${(failure as Error)?.message ?? String(failure)}`, log);
      return 'left';
    }
    deps.emitMetrics(runMetricsLine(result, deps.profile));
    log.info('run finished', {
      status: result.status,
      mode: result.mode,
      durationMs: result.durationMs,
      costUsd: result.costUsd,
      inputTokens: result.tokens.input,
      outputTokens: result.tokens.output,
      violations: result.violations.length,
      ...(result.error ? { error: result.error } : {}),
    });
    await this.delete(received);
    return 'done';
  }

  private async execute(task: TaskMessage, directory: string, signal: AbortSignal, log: JsonLogger): Promise<RunResult> {
    const { deps } = this;
    const target = deps.config.targets.find((t) => t.name === task.target);
    if (!target) throw new InputError(`target "${task.target}" is not in this task's configuration (known: ${deps.config.targets.map((t) => t.name).join(', ') || 'none'})`);
    await rm(directory, { recursive: true, force: true });
    await mkdir(directory, { recursive: true });
    const repoDir = await fetchWorkspace(target, directory, deps.workspace, signal);
    log.info('workspace ready', { source: target.s3 ? 's3' : 'git' });
    if (signal.aborted) throw signal.reason;
    return deps.engine.run({
      worker: task.worker,
      repoDir,
      target: task.target,
      runId: task.runId,
      ...(task.model ? { model: task.model } : {}),
      ...(task.sandbox ? { sandbox: task.sandbox } : {}),
      fetchCommit: gitHistoryFetcher(target, repoDir, deps.workspace, signal),
      signal,
    });
  }

  /**
   * An unreadable message: recorded FAILED once (with its body), then made
   * visible again so that it reaches its queue's max receives and SQS moves
   * it to the dead-letter queue; the last receive notes that on the record.
   * Without a redrive policy the message is deleted instead.
   */
  private async poison(
    received: ReceivedMessage,
    reason: string,
    partial: { runId?: string; worker?: string; target?: string },
    violations: RunResult['violations'] = [],
  ): Promise<MessageOutcome> {
    const { deps } = this;
    const messageId = received.message.MessageId ?? 'unknown';
    // Filed under the message's run id only when it is this task's target's: its role writes no other target's runs.
    const ownRunId = partial.runId !== undefined && (deps.target === undefined || targetOfRunId(partial.runId) === deps.target) ? partial.runId : undefined;
    const runId = ownRunId ?? poisonRunId(messageId, received.message.Attributes?.SentTimestamp, deps.target);
    const log = deps.log.child({ runId, messageId, receiveCount: received.receiveCount, priority: received.queue.priority });
    const now = this.clock();
    const definition = partial.worker ? deps.config.catalog.get(partial.worker) : undefined;
    const record = failedRecord({
      runId,
      worker: partial.worker ?? 'unknown',
      target: ownRunId ? (partial.target ?? 'unknown') : (deps.target ?? partial.target ?? 'unknown'),
      ...(definition ? { definition } : {}),
      error: `${violations.length > 0 ? 'refused task message' : 'unreadable task message'}: ${reason}`,
      violations,
      startedAt: now,
      finishedAt: now,
      resultTtlDays: deps.resultTtlDays,
      extra: { poison: { messageId, body: (received.message.Body ?? '').slice(0, POISON_BODY_LIMIT), reason } },
    });
    const saved = await deps.store.save(record);
    if (saved.stored) {
      log.warn('poison message recorded as FAILED', { reason });
      deps.emitMetrics(runMetricsLine(record, deps.profile));
    }
    if (received.queue.maxReceiveCount === null) {
      await this.delete(received);
      return 'done';
    }
    await this.noteLastReceive(received, runId, `poison message: ${reason}`, log);
    await this.changeVisibility(received, 0);
    return 'left';
  }

  /** On a message's last receive, notes on its record that SQS moves it to the DLQ next. */
  private async noteLastReceive(received: ReceivedMessage, runId: string, reason: string, log: JsonLogger): Promise<void> {
    const max = received.queue.maxReceiveCount;
    if (max === null || received.receiveCount < max) return;
    const note = { at: this.clock().toISOString(), receiveCount: received.receiveCount, maxReceiveCount: max, reason };
    try {
      const noted = await this.deps.records.noteDeadLetter(runId, note);
      if (!noted) {
        // Still pending: close the run as FAILED, saying where its message went.
        const task = parseTaskMessage(received.message.Body ?? '');
        const definition = task.ok ? this.definitionAsRun(task.message) : undefined;
        await this.deps.store.save(
          failedRecord({
            runId,
            worker: task.ok ? task.message.worker : 'unknown',
            target: task.ok ? task.message.target : 'unknown',
            ...(definition ? { definition } : {}),
            error: `gave up after ${received.receiveCount} deliveries; the message goes to the dead-letter queue: ${reason}`,
            startedAt: this.clock(),
            finishedAt: this.clock(),
            resultTtlDays: this.deps.resultTtlDays,
            extra: { deadLetter: note },
          }),
        );
      }
      log.warn('message goes to the dead-letter queue', note);
    } catch (error) {
      log.error('could not note the dead-lettering on the run record', { error });
    }
  }

  /**
   * A run this task claimed whose final write was refused because another
   * task took the run over after this one's lease lapsed. This task's result
   * is dropped: no record, no "run finished", no metrics. When the other task
   * has finished the run, its record is final and this copy of the message is
   * deleted (with this delivery's receipt handle, which may be stale: SQS
   * may then keep the message, and the owner has deleted or will delete it); while
   * the other task still works on it, the message is its to keep visible or
   * delete, and is left alone.
   */
  private async lostLease(received: ReceivedMessage, lost: LeaseLostError, log: JsonLogger): Promise<MessageOutcome> {
    const current = lost.current !== undefined ? lost.current : await this.deps.store.getRun(lost.runId, { consistent: true, hydrate: false }).catch(() => undefined);
    if (current && isFinalRun(current)) {
      log.warn('lost the lease: another task finished this run; its record stands and this copy of the message is deleted', { status: current.status });
      await this.delete(received).catch((error: unknown) => log.warn('could not delete the message', { error }));
      return 'done';
    }
    log.warn('lost the lease: another task runs this run now; its message is left to it', { status: current?.status ?? 'unknown' });
    return 'left';
  }

  /** Saves a record outside the engine; on a storage failure leaves the message for another delivery; a lost lease is thrown. */
  private async saveOrLeave(received: ReceivedMessage, record: CloudRunResult, lease: RunLease, log: JsonLogger): Promise<RunResult | null> {
    try {
      const saved = await this.deps.store.save(record, { lease });
      return saved.stored ? record : saved.existing;
    } catch (error) {
      if (error instanceof LeaseLostError) throw error;
      log.error('could not store the FAILED record; the message will be delivered again', { error });
      await this.deps.records.release(record.runId, this.deps.owner, `could not store the result: ${(error as Error).message}`).catch(() => false);
      await this.noteLastReceive(received, record.runId, `could not store the result: ${(error as Error).message}`, log);
      return null;
    }
  }

  private async delete(received: ReceivedMessage): Promise<void> {
    await this.deps.sqs.send(new DeleteMessageCommand({ QueueUrl: received.queue.url, ReceiptHandle: received.message.ReceiptHandle ?? '' }));
  }

  private async changeVisibility(received: ReceivedMessage, seconds: number): Promise<void> {
    try {
      await this.deps.sqs.send(
        new ChangeMessageVisibilityCommand({ QueueUrl: received.queue.url, ReceiptHandle: received.message.ReceiptHandle ?? '', VisibilityTimeout: seconds }),
      );
    } catch (error) {
      this.deps.log.warn('could not change the message visibility', { error });
    }
  }
}

/**
 * How long a claim on a run lasts without a heartbeat: a little less than the
 * queue's visibility timeout, so that when a dead task's message becomes
 * visible again, its lease has already lapsed and the next delivery can claim
 * the run without spending a receive.
 */
export function leaseMsOf(queue: WorkQueue): number {
  const visibilityMs = queue.visibilityTimeoutSeconds * 1000;
  return visibilityMs - Math.min(10_000, Math.floor(visibilityMs / 4));
}

/** Errors another delivery would only repeat: recorded as FAILED at once. */
function isPermanent(error: unknown): boolean {
  return error instanceof WorkspaceError || error instanceof InputError || error instanceof ConfigError;
}

/** What a run whose result was lost still spent and did: kept on its FAILED record (budgets and alarms count them). */
function spentBy(result: RunResult): Partial<CloudRunResult> {
  const { mode, model, sandboxMode, tokens, costUsd, numTurns, violations } = result;
  return { mode, model, sandboxMode, tokens, costUsd, numTurns, violations };
}

/** A stable run id for an unreadable message, so every receive of it files under one record; under the task's target when it serves one. */
export function poisonRunId(messageId: string, sentTimestamp?: string, target?: string): string {
  const sent = Number(sentTimestamp);
  const at = Number.isFinite(sent) && sent > 0 ? new Date(sent) : new Date(0);
  const id = `${runIdStamp(at)}-poison-${createHash('sha256').update(messageId).digest('hex').slice(0, 8)}`;
  return target === undefined ? id : `${target}${RUN_ID_TARGET_SEPARATOR}${id}`;
}
