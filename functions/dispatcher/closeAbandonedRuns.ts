import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { CloudRunResult, DeadLetterNote, DynamoRunTable, JsonLogger, PendingRun, RunRecords } from '../../workers/cloudRuntime/index.js';
import { NO_TOKENS } from '../../workers/run/constants.js';
import { expiresAtFor } from '../../workers/run/expiry.js';
import type { DispatcherSettings } from './dispatcherSettings.js';
import { lanesOf } from './lanes.js';

/**
 * Margin beyond the last moment a delivery could still come (clock skew, SQS's
 * approximate counts, a retried dispatch still sending): at least this, or
 * two visibility timeouts when those are longer.
 */
export const ABANDON_GRACE_MS = 15 * 60_000;
/** SQS's longest retention: the bound when a run's queue is unknown. */
const MAX_RETENTION_SECONDS = 14 * 86_400;

/** A pending run that reconcile closed as FAILED. */
export interface ClosedRun {
  readonly runId: string;
  readonly worker: string;
  readonly was: 'QUEUED' | 'RUNNING';
  readonly reason: string;
}

export interface AbandonedRunsDeps {
  readonly sqs: SQSClient;
  readonly records: RunRecords;
  readonly store: DynamoRunTable;
  readonly settings: DispatcherSettings;
  readonly resultTtlDays: number;
  readonly clock: () => Date;
  readonly log: JsonLogger;
}

/** What reconcile needs to know of a work queue. */
interface QueueFacts {
  readonly visibilityMs: number;
  /** Receives before the dead-letter queue; 1 without a redrive policy. */
  readonly maxReceiveCount: number;
  readonly retentionMs: number;
  /** Messages visible, in flight or delayed (approximate). */
  readonly messages: number;
}

/**
 * Closes, as FAILED with the reason, pending runs that no delivery can finish
 * any more, so that every run ends with a record even when DynamoDB refused
 * a task's writes through every delivery of its message (the message is then
 * in the dead-letter queue and the record was left RUNNING, or QUEUED when
 * even the claim was refused). A run is abandoned when either
 *
 * - its queue holds no message at all (none visible, in flight or delayed)
 *   and nothing has held the run (lease, heartbeat, queue time) for
 *   maxReceiveCount × visibility timeout + grace: every delivery its message
 *   could have had is over, so the message is dead-lettered or gone; or
 * - it was queued longer ago than the queue's retention + grace: its message
 *   cannot exist any more.
 *
 * The time alone is not enough: while no task can start (no capacity), a
 * message waits in its queue for hours without a receive, and its run must
 * stay pending. Candidates come from one query of the `byStatus` index (runs
 * queued before now − grace); each is closed only if no task touched it since
 * it was read (same status, attempts and lease). A message redriven from the
 * dead-letter queue afterwards finds a final record and is deleted.
 *
 * @example
 * const closed = await closeAbandonedRuns({ sqs, records, store, settings, resultTtlDays: 30, clock, log });
 */
export async function closeAbandonedRuns(deps: AbandonedRunsDeps): Promise<ClosedRun[]> {
  const now = deps.clock().getTime();
  const queuedBefore = new Date(now - ABANDON_GRACE_MS).toISOString();
  const candidates = [...(await deps.records.listPendingSince('RUNNING', queuedBefore)), ...(await deps.records.listPendingSince('QUEUED', queuedBefore))];
  const queues = new Map<string, Promise<QueueFacts | null>>();
  const closed: ClosedRun[] = [];
  for (const { run, leaseUntil } of candidates) {
    const url = run.profile && run.priority ? lanesOf(deps.settings).queueUrl(run.profile, run.target, run.priority) : undefined;
    // A queue that cannot be read (a target removed from the config) tells nothing: the lease decides.
    if (url && !queues.has(url)) queues.set(url, queueFacts(deps.sqs, url).catch(() => null));
    const facts = url ? await queues.get(url)! : null;
    const verdict = abandonment(run, leaseUntil, facts, now);
    if (!verdict) continue;
    const record = failedRecordOf(run, verdict, deps, now);
    const done = await deps.store.closeIfUnchanged(record, { status: run.status, attempts: run.attempts ?? 0, leaseUntil });
    if (!done) continue;
    deps.log.warn('abandoned run closed as FAILED', { runId: run.runId, worker: run.worker, was: run.status, reason: verdict.reason });
    closed.push({ runId: run.runId, worker: run.worker, was: run.status, reason: verdict.reason });
  }
  return closed;
}

interface Verdict {
  readonly reason: string;
  /** When something last held the run (epoch ms). */
  readonly lastHeldAt: number;
  readonly deadLetter?: DeadLetterNote;
}

/** Why a pending run can no longer finish, or null while a delivery may still come. */
function abandonment(run: PendingRun, leaseUntil: number | undefined, facts: QueueFacts | null, now: number): Verdict | null {
  const queuedAt = Date.parse(run.queuedAt);
  const lastHeldAt = Math.max(queuedAt, leaseUntil ?? 0, run.heartbeatAt ? Date.parse(run.heartbeatAt) : 0);
  const retentionMs = facts?.retentionMs ?? MAX_RETENTION_SECONDS * 1000;
  const grace = Math.max(ABANDON_GRACE_MS, 2 * (facts?.visibilityMs ?? 0));
  if (now - queuedAt > retentionMs + grace) {
    return {
      lastHeldAt,
      reason: `abandoned: queued at ${run.queuedAt}, ${days(now - queuedAt)} ago, longer than its queue keeps a message (${days(retentionMs)}), and never finished; closed by reconcile`,
    };
  }
  if (!facts || facts.messages > 0 || now - lastHeldAt <= facts.maxReceiveCount * facts.visibilityMs + grace) return null;
  const since = new Date(lastHeldAt).toISOString();
  const ago = minutes(now - lastHeldAt);
  const held = `no task has held this run since ${since} (${run.status === 'RUNNING' ? `its lease expired ${ago} ago` : `${ago} ago, still QUEUED`})`;
  if (run.status === 'QUEUED') {
    // Never claimed: its deliveries were all refused, or the dispatcher died before sending it.
    return { lastHeldAt, reason: `abandoned: ${held} and its queue holds no message for it: its message was dead-lettered (see the dead-letter queue) or never sent; closed by reconcile` };
  }
  const reason = `abandoned: ${held} and its queue holds no message for it: after ${facts.maxReceiveCount} deliveries its message was dead-lettered (see the dead-letter queue); closed by reconcile`;
  return { lastHeldAt, reason, deadLetter: { at: new Date(now).toISOString(), receiveCount: facts.maxReceiveCount, maxReceiveCount: facts.maxReceiveCount, reason } };
}

async function queueFacts(sqs: SQSClient, url: string): Promise<QueueFacts | null> {
  const { Attributes: a } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: url,
      AttributeNames: ['VisibilityTimeout', 'RedrivePolicy', 'MessageRetentionPeriod', 'ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'],
    }),
  );
  if (!a) return null;
  const redrive = a.RedrivePolicy ? (JSON.parse(a.RedrivePolicy) as { maxReceiveCount?: number | string }) : undefined;
  return {
    visibilityMs: Number(a.VisibilityTimeout ?? 30) * 1000,
    maxReceiveCount: redrive?.maxReceiveCount !== undefined ? Number(redrive.maxReceiveCount) : 1,
    retentionMs: Number(a.MessageRetentionPeriod ?? 4 * 86_400) * 1000,
    messages: Number(a.ApproximateNumberOfMessages ?? 0) + Number(a.ApproximateNumberOfMessagesNotVisible ?? 0) + Number(a.ApproximateNumberOfMessagesDelayed ?? 0),
  };
}

function failedRecordOf(run: PendingRun, verdict: Verdict, deps: AbandonedRunsDeps, now: number): CloudRunResult {
  const startedAt = run.runningSince ?? run.queuedAt;
  const finishedAt = new Date(Math.max(Date.parse(startedAt), Math.min(now, verdict.lastHeldAt))).toISOString();
  const mode = run.profile === 'local' ? 'local' : 'headless';
  return {
    runId: run.runId,
    worker: run.worker,
    target: run.target,
    mode,
    requestedMode: mode,
    status: 'FAILED',
    success: false,
    outputFormat: 'json',
    output: '',
    error: verdict.reason,
    startedAt,
    finishedAt,
    durationMs: Date.parse(finishedAt) - Date.parse(startedAt),
    tokens: NO_TOKENS,
    costUsd: 0,
    model: run.model ?? null,
    sandboxMode: null,
    numTurns: 0,
    violations: [],
    expiresAt: expiresAtFor(new Date(now), deps.resultTtlDays),
    queuedAt: run.queuedAt,
    ...(run.source ? { source: run.source } : {}),
    ...(run.priority ? { priority: run.priority } : {}),
    ...(run.profile ? { profile: run.profile } : {}),
    ...(verdict.deadLetter ? { deadLetter: verdict.deadLetter } : {}),
  };
}

function minutes(ms: number): string {
  const m = Math.round(ms / 60_000);
  return `${m} minute${m === 1 ? '' : 's'}`;
}

function days(ms: number): string {
  const d = ms / 86_400_000;
  return `${Number.isInteger(d) ? d : d.toFixed(1)} days`;
}
