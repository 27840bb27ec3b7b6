import type { SQSClient } from '@aws-sdk/client-sqs';
import type { CloudRunResult, DynamoRunTable, IdempotencyKeys, JsonLogger, QueuedRun, RunRecords } from '../../workers/cloudRuntime/index.js';
import { expiresAtFor } from '../../workers/run/expiry.js';
import type { PlannedRun } from './planRuns.js';
import { NO_TOKENS } from '../../workers/run/constants.js';
import { recordQueuedRuns, type QueueRequest } from './recordQueuedRuns.js';
import { sendTaskMessages } from './sendTaskMessages.js';
import { mapWithConcurrency } from './mapWithConcurrency.js';
import type { LaneLocator } from './lanes.js';

/** Keys marked sent one at a time (a retried request) in flight at once. */
const MARK_CONCURRENCY = 8;

export interface QueueRunsDeps {
  readonly sqs: SQSClient;
  readonly records: RunRecords;
  readonly keys: IdempotencyKeys;
  readonly store: DynamoRunTable;
  readonly lanes: LaneLocator;
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

/**
 * Queues one message per planned run, in three batched steps: writes the
 * idempotency keys (when the request has them) and the QUEUED records
 * (`recordQueuedRuns`); then, every record written, sends the messages with
 * SendMessageBatch (`sendTaskMessages`); then marks the sent runs' keys SENT.
 * Runs that could not be sent get a FAILED record saying why, and their keys
 * are released for a retry.
 *
 * @example
 * const outcome = await queueRuns(plan.runs, { source: 'schedule', idempotencyBase: 'schedule#2026-11-25T16:00:00Z' }, deps);
 */
export async function queueRuns(
  runs: readonly PlannedRun[],
  request: QueueRequest,
  deps: QueueRunsDeps,
): Promise<QueueOutcome> {
  const { toSend, alreadyQueued } = await recordQueuedRuns(runs, request, deps);
  const result = await sendTaskMessages(toSend, deps);

  // Keys this call wrote in a batch are marked in a batch; keys a retry took over, one at a time.
  await deps.keys.markSentMany(result.sent.flatMap((item) => (item.claim ? [item.claim] : [])), { sleep: deps.sleep });
  const takenOver = result.sent.flatMap((item) => (item.key && !item.claim ? [item.key] : []));
  await mapWithConcurrency(takenOver, MARK_CONCURRENCY, (key) => deps.keys.markSent(key));
  const failed: { runId: string; worker: string; target: string; reason: string }[] = [];
  for (const { item, reason } of result.failed) {
    if (item.key) await deps.keys.release(item.key);
    await deps.store.putFinal(unsentRecord(item.run, reason, deps));
    failed.push({ runId: item.run.runId, worker: item.run.worker, target: item.run.target, reason });
  }
  return { sent: result.sent.map((item) => item.run), alreadyQueued, failed };
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
