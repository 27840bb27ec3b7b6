import { GetCommand, paginateQuery, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TABLE } from '../cloud/index.js';
import { expiresAtFor, isExpired } from '../run/expiry.js';
import { isConditionFailure } from './conditionFailure.js';
import { batchPutItems } from './batchWriteItems.js';
import { isFinalStatus, itemToRun, runKey, timeIndexSortKey, workerIndexKey } from './runItem.js';
import type { CloudRunResult, DeadLetterNote, PendingRun, QueuedRun } from './types.js';
import { buildUpdate } from './updateExpression.js';

export interface RunRecordsOptions {
  readonly documentClient: DynamoDBDocumentClient;
  readonly tableName: string;
  /** Days a record is kept (the `expiresAt` TTL of QUEUED records). */
  readonly resultTtlDays: number;
  readonly clock?: () => Date;
}

/** What claiming a run for a task found. */
export type ClaimOutcome =
  /** This task owns the run until `leaseUntil` (extended by heartbeats). */
  | { readonly outcome: 'claimed'; readonly attempt: number }
  /** The run is finished: a duplicate delivery, nothing to do. */
  | { readonly outcome: 'final'; readonly existing: CloudRunResult }
  /** Another task holds a live lease on the run (a concurrent duplicate delivery). */
  | { readonly outcome: 'leased'; readonly leaseUntil: number; readonly owner: string };

/**
 * The life of a run record before its result: QUEUED (dispatcher), RUNNING
 * under a task's lease (runner; heartbeats extend it), back to QUEUED when a
 * task is stopped mid-run. The final write belongs to DynamoResultStore.save.
 *
 * The lease makes a run execute once even when SQS delivers its message twice
 * at the same time: the second task finds a live lease and leaves the message.
 * A task that dies stops renewing its lease, which lapses shortly before the
 * message becomes visible again, so the next delivery can claim the run.
 *
 * @example
 * const claim = await records.claim({ run, owner: taskArn, leaseMs: 240_000 });
 * if (claim.outcome === 'final') deleteMessage();
 */
export class RunRecords {
  private readonly clock: () => Date;

  constructor(private readonly options: RunRecordsOptions) {
    this.clock = options.clock ?? (() => new Date());
  }

  /** Records a run as QUEUED; 'exists' when its record is already there (a retried dispatch). */
  async putQueued(run: QueuedRun): Promise<'created' | 'exists'> {
    try {
      await this.options.documentClient.send(new PutCommand(this.queuedPut(run)));
      return 'created';
    } catch (error) {
      if (isConditionFailure(error)) return 'exists';
      throw error;
    }
  }

  /**
   * Records many new runs as QUEUED, 25 a BatchWriteItem call. Unconditional:
   * only for run ids just made (a retried dispatch reusing one goes through `putQueued`).
   */
  async putQueuedMany(runs: readonly QueuedRun[], options: { readonly sleep?: (ms: number) => Promise<void> } = {}): Promise<void> {
    await batchPutItems(this.options.documentClient, this.options.tableName, runs.map((run) => this.queuedPut(run).Item), options);
  }

  /**
   * Takes the run for this task: RUNNING with a lease, one more attempt.
   * Creates the record if the dispatcher's QUEUED write never landed.
   */
  async claim(input: { readonly run: QueuedRun; readonly owner: string; readonly leaseMs: number; readonly taskArn?: string }): Promise<ClaimOutcome> {
    const now = this.clock();
    const update = buildUpdate({
      set: {
        status: 'RUNNING',
        [TABLE.byStatusIndex.partitionKey]: 'RUNNING',
        leaseOwner: input.owner,
        leaseUntil: now.getTime() + input.leaseMs,
        runningSince: now.toISOString(),
        heartbeatAt: now.toISOString(),
        taskArn: input.taskArn,
      },
      setIfMissing: this.queuedAttributes(input.run),
      add: { attempts: 1 },
      remove: ['interruption'],
      condition: 'attribute_not_exists(#pk) OR #status = :queued OR (#status = :running AND #leaseUntil < :now)',
      conditionNames: { '#pk': TABLE.partitionKey, '#status': 'status', '#leaseUntil': 'leaseUntil' },
      conditionValues: { ':queued': 'QUEUED', ':running': 'RUNNING', ':now': now.getTime() },
    });
    try {
      const { Attributes } = await this.options.documentClient.send(
        new UpdateCommand({ TableName: this.options.tableName, Key: runKey(input.run.runId), ...update, ReturnValues: 'ALL_NEW' }),
      );
      return { outcome: 'claimed', attempt: Number(Attributes?.attempts ?? 1) };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    const item = await this.rawItem(input.run.runId);
    if (item && isFinalStatus(item.status)) return { outcome: 'final', existing: itemToRun(item) as CloudRunResult };
    if (item && item.status === 'RUNNING') {
      return { outcome: 'leased', leaseUntil: Number(item.leaseUntil ?? 0), owner: String(item.leaseOwner ?? '') };
    }
    // The record changed between the write and the read (it was just requeued): try once more.
    return this.claim(input);
  }

  /** Extends this task's lease; false when the task no longer owns the run. */
  async heartbeat(runId: string, owner: string, leaseMs: number): Promise<boolean> {
    const now = this.clock();
    return this.conditional(runId, {
      set: { leaseUntil: now.getTime() + leaseMs, heartbeatAt: now.toISOString() },
      condition: '#status = :running AND #owner = :owner',
      conditionNames: { '#status': 'status', '#owner': 'leaseOwner' },
      conditionValues: { ':running': 'RUNNING', ':owner': owner },
    });
  }

  /** Gives a run back to the queue (the task was stopped mid-run); false when this task did not own it. */
  async release(runId: string, owner: string, reason: string): Promise<boolean> {
    return this.conditional(runId, {
      set: { status: 'QUEUED', [TABLE.byStatusIndex.partitionKey]: 'QUEUED', interruption: reason },
      remove: ['leaseOwner', 'leaseUntil', 'runningSince'],
      condition: '#status = :running AND #owner = :owner',
      conditionNames: { '#status': 'status', '#owner': 'leaseOwner' },
      conditionValues: { ':running': 'RUNNING', ':owner': owner },
    });
  }

  /** Notes on a final record that its message went to the dead-letter queue; false when the record is not final. */
  async noteDeadLetter(runId: string, note: DeadLetterNote): Promise<boolean> {
    return this.conditional(runId, {
      set: { deadLetter: note },
      condition: 'attribute_exists(#pk) AND NOT #status IN (:queued, :running)',
      conditionNames: { '#pk': TABLE.partitionKey, '#status': 'status' },
      conditionValues: { ':queued': 'QUEUED', ':running': 'RUNNING' },
    });
  }

  /** Runs that are QUEUED or RUNNING now (the sparse `byStatus` index), expired ones left out. */
  async listPending(status: 'QUEUED' | 'RUNNING'): Promise<PendingRun[]> {
    return (await this.queryPending(status)).map(({ run }) => run);
  }

  /**
   * Runs QUEUED or RUNNING since before `queuedBefore` (an ISO time), with
   * their lease: one query of the `byStatus` index, whose sort key starts
   * with the queue time, so only old pending runs are read (what reconcile
   * looks through for abandoned ones). Expired ones are left out.
   */
  async listPendingSince(status: 'QUEUED' | 'RUNNING', queuedBefore: string): Promise<{ readonly run: PendingRun; readonly leaseUntil: number | undefined }[]> {
    return this.queryPending(status, queuedBefore);
  }

  private async queryPending(status: 'QUEUED' | 'RUNNING', queuedBefore?: string): Promise<{ run: PendingRun; leaseUntil: number | undefined }[]> {
    const now = this.clock();
    const runs: { run: PendingRun; leaseUntil: number | undefined }[] = [];
    for await (const page of paginateQuery({ client: this.options.documentClient }, {
      TableName: this.options.tableName,
      IndexName: TABLE.byStatusIndex.name,
      KeyConditionExpression: queuedBefore === undefined ? '#k = :k' : '#k = :k AND #s < :before',
      ExpressionAttributeNames: { '#k': TABLE.byStatusIndex.partitionKey, ...(queuedBefore === undefined ? {} : { '#s': TABLE.byStatusIndex.sortKey }) },
      ExpressionAttributeValues: { ':k': status, ...(queuedBefore === undefined ? {} : { ':before': queuedBefore }) },
    })) {
      for (const item of page.Items ?? []) {
        const run = itemToRun(item) as PendingRun;
        if (!isExpired(run, now)) runs.push({ run, leaseUntil: typeof item.leaseUntil === 'number' ? item.leaseUntil : undefined });
      }
    }
    return runs;
  }

  /** The conditional write of a QUEUED record (never over an existing one). */
  private queuedPut(run: QueuedRun) {
    return {
      TableName: this.options.tableName,
      Item: {
        ...runKey(run.runId),
        ...this.queuedAttributes(run),
        status: 'QUEUED',
        [TABLE.byStatusIndex.partitionKey]: 'QUEUED',
        attempts: 0,
      },
      ConditionExpression: 'attribute_not_exists(#pk)',
      ExpressionAttributeNames: { '#pk': TABLE.partitionKey },
    };
  }

  private queuedAttributes(run: QueuedRun): Record<string, unknown> {
    const queuedAt = new Date(run.queuedAt);
    return {
      runId: run.runId,
      worker: run.worker,
      target: run.target,
      profile: run.profile,
      priority: run.priority,
      source: run.source,
      queuedAt: run.queuedAt,
      ...(run.model ? { model: run.model } : {}),
      ...(run.sandbox ? { sandbox: run.sandbox } : {}),
      [TABLE.byWorkerIndex.partitionKey]: workerIndexKey(run.worker),
      [TABLE.byWorkerIndex.sortKey]: timeIndexSortKey(run.queuedAt, run.runId),
      [TABLE.byStatusIndex.sortKey]: timeIndexSortKey(run.queuedAt, run.runId),
      expiresAt: expiresAtFor(Number.isNaN(queuedAt.getTime()) ? this.clock() : queuedAt, this.options.resultTtlDays),
    };
  }

  private async rawItem(runId: string): Promise<Record<string, unknown> | undefined> {
    const { Item } = await this.options.documentClient.send(
      new GetCommand({ TableName: this.options.tableName, Key: runKey(runId), ConsistentRead: true }),
    );
    return Item;
  }

  private async conditional(runId: string, spec: Parameters<typeof buildUpdate>[0]): Promise<boolean> {
    try {
      await this.options.documentClient.send(new UpdateCommand({ TableName: this.options.tableName, Key: runKey(runId), ...buildUpdate(spec) }));
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
}
