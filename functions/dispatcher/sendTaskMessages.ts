import { SendMessageBatchCommand, type SendMessageBatchRequestEntry, type SQSClient } from '@aws-sdk/client-sqs';
import type { JsonLogger } from '../../workers/cloudRuntime/index.js';
import { serializeTaskMessage, TASK_MESSAGE_VERSION } from '../../workers/cloudRuntime/taskMessage.js';
import type { LaneLocator } from './lanes.js';
import { mapWithConcurrency } from './mapWithConcurrency.js';
import type { RecordedRun } from './recordQueuedRuns.js';

/** SQS takes at most 10 messages per SendMessageBatch call. */
const BATCH_SIZE = 10;
/** SendMessageBatch calls in flight at once. */
const SEND_CONCURRENCY = 8;
/** Tries per batch entry before the run is given up as not sent. */
const SEND_ATTEMPTS = 3;

export interface SendTaskMessagesDeps {
  readonly sqs: SQSClient;
  /** Where each (profile, target) lane's queues are. */
  readonly lanes: LaneLocator;
  readonly sleep: (ms: number) => Promise<void>;
  readonly log: JsonLogger;
}

export interface SendOutcome {
  /** Runs whose message is in its queue, in the order given. */
  readonly sent: RecordedRun[];
  /** Runs whose message SQS did not take, with its last reason. */
  readonly failed: { readonly item: RecordedRun; readonly reason: string }[];
}

/**
 * Sends one task message per run into the queue of its lane (profile and
 * target) and priority:
 * SendMessageBatch by ten, a few batches in flight at once, entries SQS
 * refused tried again with backoff (not those refused as the sender's fault,
 * which would fail the same way).
 *
 * @example
 * const { sent, failed } = await sendTaskMessages(toSend, { sqs, lanes, sleep, log });
 */
export async function sendTaskMessages(items: readonly RecordedRun[], deps: SendTaskMessagesDeps): Promise<SendOutcome> {
  const batches: { queueUrl: string; items: RecordedRun[] }[] = [];
  for (const [queueUrl, group] of groupByQueue(items, deps.lanes)) {
    for (let i = 0; i < group.length; i += BATCH_SIZE) batches.push({ queueUrl, items: group.slice(i, i + BATCH_SIZE) });
  }
  const outcomes = await mapWithConcurrency(batches, SEND_CONCURRENCY, (batch) => sendBatch(batch.queueUrl, batch.items, deps));
  const sentIds = new Set(outcomes.flatMap((o) => o.sent.map((item) => item.run.runId)));
  return { sent: items.filter((item) => sentIds.has(item.run.runId)), failed: outcomes.flatMap((o) => o.failed) };
}

function groupByQueue(items: readonly RecordedRun[], lanes: LaneLocator): Map<string, RecordedRun[]> {
  const groups = new Map<string, RecordedRun[]>();
  for (const item of items) {
    const url = lanes.queueUrl(item.run.profile, item.run.target, item.run.priority);
    groups.set(url, [...(groups.get(url) ?? []), item]);
  }
  return groups;
}

async function sendBatch(queueUrl: string, items: readonly RecordedRun[], deps: SendTaskMessagesDeps): Promise<SendOutcome> {
  let remaining = items.map((item, index) => ({ id: `m${index}`, item }));
  const sent: RecordedRun[] = [];
  let lastReasons = new Map<string, string>();
  for (let attempt = 1; attempt <= SEND_ATTEMPTS && remaining.length > 0; attempt++) {
    if (attempt > 1) await deps.sleep(100 * 2 ** attempt);
    const entries: SendMessageBatchRequestEntry[] = remaining.map(({ id, item }) => ({
      Id: id,
      MessageBody: serializeTaskMessage({ v: TASK_MESSAGE_VERSION, ...item.run }),
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
