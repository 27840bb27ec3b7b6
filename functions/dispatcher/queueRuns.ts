import { SendMessageBatchCommand, type SendMessageBatchRequestEntry, type SQSClient } from '@aws-sdk/client-sqs';
import type { ExecutionProfile } from '../../workers/catalog/types.js';
import {
  serializeTaskMessage,
  TASK_MESSAGE_VERSION,
  type CloudRunResult,
  type DynamoResultStore,
  type IdempotencyKeys,
  type JsonLogger,
  type QueuedRun,
  type RunRecords,
  type TaskMessage,
} from '../../workers/cloudRuntime/index.js';
import { expiresAtFor } from '../../workers/run/expiry.js';
import { newRunId } from '../../workers/run/runId.js';
import type { PlannedRun } from './planRuns.js';
import { NO_TOKENS } from '../../workers/run/constants.js';

/** SQS takes at most 10 messages per SendMessageBatch call. */
const BATCH_SIZE = 10;
/** Tries per batch entry before the run is recorded as FAILED. */
const SEND_ATTEMPTS = 3;
/** How long an idempotency key is remembered. */
const IDEMPOTENCY_TTL_DAYS = 1;

export interface QueueRunsDeps {
  readonly sqs: SQSClient;
  readonly records: RunRecords;
  readonly keys: IdempotencyKeys;
  readonly store: DynamoResultStore;
  readonly queueUrls: Partial<Record<ExecutionProfile, Record<string, string>>>;
  readonly resultTtlDays: number;
  readonly clock: () => Date;
  readonly sleep: (ms: number) => Promise<void>;
  readonly log: JsonLogger;
}

export interface QueueOutcome {
  /** Runs sent by this call. */
  readonly sent: readonly QueuedRun[];
  /** Runs an earlier try of the same request had already sent. */
  readonly alreadyQueued: readonly string[];
  readonly failed: readonly { readonly runId: string; readonly worker: string; readonly target: string; readonly reason: string }[];
}

interface Pending {
  readonly run: QueuedRun;
  readonly key?: string;
  readonly message: TaskMessage;
}

/**
 * Queues one message per planned run: claims the idempotency key (when the
 * request has one), records the run as QUEUED, sends the messages with
 * SendMessageBatch (10 per call, grouped by queue), retries entries SQS
 * refused, and records as FAILED the runs that could not be sent.
 *
 * @example
 * const outcome = await queueRuns(plan.runs, { source: 'schedule', idempotencyBase: 'schedule#2026-11-25T16:00:00Z' }, deps);
 */
export async function queueRuns(
  runs: readonly PlannedRun[],
  request: { readonly source: 'schedule' | 'manual'; readonly idempotencyBase?: string },
  deps: QueueRunsDeps,
): Promise<QueueOutcome> {
  const now = deps.clock();
  const queuedAt = now.toISOString();
  const alreadyQueued: string[] = [];
  const pending: Pending[] = [];
  for (const planned of runs) {
    let runId = newRunId(planned.worker, now);
    const key = request.idempotencyBase ? `${request.idempotencyBase}#${planned.worker}#${planned.target}` : undefined;
    if (key) {
      const claim = await deps.keys.claim(key, runId, expiresAtFor(now, IDEMPOTENCY_TTL_DAYS));
      if (!claim.claimed && claim.state === 'SENT') {
        alreadyQueued.push(claim.runId);
        continue;
      }
      // CLAIMED by a try that died before sending: finish its job with its run id.
      if (!claim.claimed) runId = claim.runId;
    }
    const run: QueuedRun = { runId, ...planned, source: request.source, queuedAt };
    await deps.records.putQueued(run);
    pending.push({ run, ...(key ? { key } : {}), message: { v: TASK_MESSAGE_VERSION, ...run } });
  }

  const sent: QueuedRun[] = [];
  const failed: { runId: string; worker: string; target: string; reason: string }[] = [];
  for (const [queueUrl, group] of groupByQueue(pending, deps.queueUrls)) {
    for (let i = 0; i < group.length; i += BATCH_SIZE) {
      const result = await sendBatch(queueUrl, group.slice(i, i + BATCH_SIZE), deps);
      for (const item of result.sent) {
        if (item.key) await deps.keys.markSent(item.key);
        sent.push(item.run);
      }
      for (const { item, reason } of result.failed) {
        if (item.key) await deps.keys.release(item.key);
        await deps.store.save(unsentRecord(item.run, reason, deps));
        failed.push({ runId: item.run.runId, worker: item.run.worker, target: item.run.target, reason });
      }
    }
  }
  return { sent, alreadyQueued, failed };
}

function groupByQueue(pending: readonly Pending[], queueUrls: QueueRunsDeps['queueUrls']): Map<string, Pending[]> {
  const groups = new Map<string, Pending[]>();
  for (const item of pending) {
    const url = queueUrls[item.run.profile]?.[item.run.priority];
    if (!url) throw new Error(`no queue for profile ${item.run.profile}, priority ${item.run.priority}`);
    groups.set(url, [...(groups.get(url) ?? []), item]);
  }
  return groups;
}

async function sendBatch(
  queueUrl: string,
  items: readonly Pending[],
  deps: QueueRunsDeps,
): Promise<{ sent: Pending[]; failed: { item: Pending; reason: string }[] }> {
  let remaining = items.map((item, index) => ({ id: `m${index}`, item }));
  const sent: Pending[] = [];
  let lastReasons = new Map<string, string>();
  for (let attempt = 1; attempt <= SEND_ATTEMPTS && remaining.length > 0; attempt++) {
    if (attempt > 1) await deps.sleep(100 * 2 ** attempt);
    const entries: SendMessageBatchRequestEntry[] = remaining.map(({ id, item }) => ({
      Id: id,
      MessageBody: serializeTaskMessage(item.message),
      MessageAttributes: {
        worker: { DataType: 'String', StringValue: item.run.worker },
        runId: { DataType: 'String', StringValue: item.run.runId },
      },
    }));
    try {
      const response = await deps.sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
      const ok = new Set((response.Successful ?? []).map((s) => s.Id));
      lastReasons = new Map((response.Failed ?? []).map((f) => [f.Id ?? '', `${f.Code ?? 'error'}: ${f.Message ?? 'refused by SQS'}`]));
      sent.push(...remaining.filter(({ id }) => ok.has(id)).map(({ item }) => item));
      // Sender faults (a malformed entry) will fail the same way again.
      const senderFaults = new Set((response.Failed ?? []).filter((f) => f.SenderFault).map((f) => f.Id));
      remaining = remaining.filter(({ id }) => !ok.has(id));
      if (remaining.every(({ id }) => senderFaults.has(id))) break;
    } catch (error) {
      const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      lastReasons = new Map(remaining.map(({ id }) => [id, reason]));
      deps.log.warn('SendMessageBatch failed', { queueUrl, attempt, error });
    }
  }
  return { sent, failed: remaining.map(({ id, item }) => ({ item, reason: lastReasons.get(id) ?? 'not sent' })) };
}

function unsentRecord(run: QueuedRun, reason: string, deps: QueueRunsDeps): CloudRunResult {
  const now = deps.clock();
  return {
    runId: run.runId,
    worker: run.worker,
    target: run.target,
    mode: run.profile === 'local' ? 'local' : 'headless',
    requestedMode: run.profile === 'local' ? 'local' : 'headless',
    status: 'FAILED',
    success: false,
    outputFormat: 'json',
    output: '',
    error: `the task message could not be queued: ${reason}`,
    startedAt: now.toISOString(),
    finishedAt: now.toISOString(),
    durationMs: 0,
    tokens: NO_TOKENS,
    costUsd: 0,
    model: null,
    sandboxMode: null,
    numTurns: 0,
    violations: [],
    expiresAt: expiresAtFor(now, deps.resultTtlDays),
    queuedAt: run.queuedAt,
    source: run.source,
    priority: run.priority,
    profile: run.profile,
  };
}
