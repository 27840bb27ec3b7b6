import { GetCommand, paginateQuery, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TABLE } from '../cloud/index.js';
import { isExpired } from '../run/expiry.js';
import type { RunResult } from '../run/types.js';
import type { ListQuery, SaveOutcome } from '../store/ResultStore.js';
import { isConditionFailure } from './conditionFailure.js';
import { LeaseLostError } from './LeaseLostError.js';
import { finalAttributes, isFinalStatus, itemToRun, runKey, timeIndexSortKey, workerIndexKey, WRITTEN_BY } from './runItem.js';
import { isFinalRun, type CloudRunResult, type StoredRun } from './types.js';
import { buildUpdate } from './updateExpression.js';

export interface DynamoRunTableOptions {
  readonly documentClient: DynamoDBDocumentClient;
  readonly tableName: string;
  /** Workers `listFinal()` without a worker looks through (the catalog's names). */
  readonly workers: readonly string[];
  readonly clock?: () => Date;
}

/**
 * The DynamoDB side of the result store: run items as they are, outputs kept
 * in S3 left there (`outputLocation` says where). It imports no S3 client, so
 * the dispatcher, which only reads records and writes output-less ones, does
 * not bundle one; `DynamoResultStore` adds the S3 claim check on top.
 * Reads skip expired records, since TTL deletion is lazy (and never happens
 * in the emulator).
 *
 * @example
 * const table = new DynamoRunTable({ documentClient, tableName, workers: [...config.catalog.keys()] });
 * const [last] = await table.listFinal({ worker: 'audit', limit: 1 });
 */
export class DynamoRunTable {
  private readonly clock: () => Date;

  constructor(private readonly options: DynamoRunTableOptions) {
    this.clock = options.clock ?? (() => new Date());
  }

  /**
   * Stores a final record once per run id: the write is conditional on the
   * item being absent, QUEUED or RUNNING, so a duplicate delivery of a
   * finished run cannot store a second result. `attributes` are the item's
   * (claim-checked by the caller when the output may be large); by default the
   * record's own. An existing final record comes back as stored, unhydrated.
   *
   * With `leaseOwner` (the task that claimed the run), the write is
   * conditional on that task still holding the lease (RUNNING, leaseOwner =
   * it): a task that stalled past its lease while another claimed the run
   * gets a LeaseLostError instead, and the other task's record stands. A
   * retried write of its own that had landed counts as stored.
   */
  async putFinal(record: CloudRunResult, attributes: Record<string, unknown> = finalAttributes(record), options: { readonly leaseOwner?: string } = {}): Promise<SaveOutcome> {
    const owner = options.leaseOwner;
    const condition: FinalCondition = owner
      ? { condition: '#status = :running AND #owner = :owner', conditionNames: { '#status': 'status', '#owner': 'leaseOwner' }, conditionValues: { ':running': 'RUNNING', ':owner': owner } }
      : {
          condition: 'attribute_not_exists(#pk) OR #status IN (:queued, :running)',
          conditionNames: { '#pk': TABLE.partitionKey, '#status': 'status' },
          conditionValues: { ':queued': 'QUEUED', ':running': 'RUNNING' },
        };
    try {
      await this.writeFinal(record, { ...attributes, ...(owner ? { [WRITTEN_BY]: owner } : {}) }, condition);
      return { stored: true };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const item = await this.rawItem(record.runId);
      const current = item ? itemToRun(item) : null;
      if (owner) {
        if (current && isFinalRun(current) && item?.[WRITTEN_BY] === owner) return { stored: true };
        throw new LeaseLostError(record.runId, current, { cause: error });
      }
      if (!current || !isFinalRun(current)) throw error;
      return { stored: false, existing: current };
    }
  }

  /**
   * Closes a pending run with a final record (reconcile's FAILED record of an
   * abandoned run) only if no task touched it since it was read: same status,
   * attempts and lease. False when it changed (a task claimed or renewed it).
   */
  async closeIfUnchanged(record: CloudRunResult, seen: { readonly status: 'QUEUED' | 'RUNNING'; readonly attempts: number; readonly leaseUntil: number | undefined }): Promise<boolean> {
    const leaseClause = seen.leaseUntil === undefined ? 'attribute_not_exists(#leaseUntil)' : '#leaseUntil = :leaseUntil';
    try {
      await this.writeFinal(record, finalAttributes(record), {
        condition: `#status = :status AND #attempts = :attempts AND ${leaseClause}`,
        conditionNames: { '#status': 'status', '#attempts': 'attempts', '#leaseUntil': 'leaseUntil' },
        conditionValues: { ':status': seen.status, ':attempts': seen.attempts, ...(seen.leaseUntil === undefined ? {} : { ':leaseUntil': seen.leaseUntil }) },
      });
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /** Any record of a run, pending ones included; null when absent or expired. */
  async getRun(runId: string, options: { readonly consistent?: boolean; readonly includeExpired?: boolean } = {}): Promise<StoredRun | null> {
    const { Item } = await this.options.documentClient.send(
      new GetCommand({ TableName: this.options.tableName, Key: runKey(runId), ConsistentRead: options.consistent ?? false }),
    );
    if (!Item) return null;
    const run = itemToRun(Item);
    return !options.includeExpired && isExpired(run, this.clock()) ? null : run;
  }

  /** Final records, newest first, filtered by worker, target and success. */
  async listFinal(query: ListQuery = {}): Promise<CloudRunResult[]> {
    const limit = query.limit ?? 20;
    const workers = query.worker ? [query.worker] : this.options.workers;
    const perWorker = await Promise.all(
      workers.map((worker) =>
        this.queryWorker(worker, limit, (run): run is CloudRunResult =>
          isFinalRun(run) && (!query.target || run.target === query.target) && (!query.successfulOnly || run.success),
        ),
      ),
    );
    return perWorker.flat().sort((a, b) => sortTime(b).localeCompare(sortTime(a))).slice(0, limit);
  }

  /** The newest runs of a worker, pending ones included, newest first. */
  async listRuns(worker: string, limit: number): Promise<StoredRun[]> {
    return this.queryWorker(worker, limit, (run): run is StoredRun => true);
  }

  /** The final write: the record's attributes, out of the status index, lease removed, under `condition`. */
  private async writeFinal(
    record: CloudRunResult,
    attributes: Record<string, unknown>,
    condition: FinalCondition,
  ): Promise<void> {
    const indexTime = record.queuedAt ?? record.startedAt;
    const update = buildUpdate({
      set: { ...attributes },
      setIfMissing: {
        [TABLE.byWorkerIndex.partitionKey]: workerIndexKey(record.worker),
        [TABLE.byWorkerIndex.sortKey]: timeIndexSortKey(indexTime, record.runId),
      },
      remove: [TABLE.byStatusIndex.partitionKey, TABLE.byStatusIndex.sortKey, 'leaseOwner', 'leaseUntil'],
      ...condition,
    });
    await this.options.documentClient.send(new UpdateCommand({ TableName: this.options.tableName, Key: runKey(record.runId), ...update }));
  }

  private async rawItem(runId: string): Promise<Record<string, unknown> | undefined> {
    const { Item } = await this.options.documentClient.send(new GetCommand({ TableName: this.options.tableName, Key: runKey(runId), ConsistentRead: true }));
    return Item;
  }

  /** Pages through a worker's runs newest first until `limit` records pass `keep` (expired ones never do). */
  private async queryWorker<T extends StoredRun>(worker: string, limit: number, keep: (run: StoredRun) => run is T): Promise<T[]> {
    const now = this.clock();
    const found: T[] = [];
    for await (const page of paginateQuery({ client: this.options.documentClient }, {
      TableName: this.options.tableName,
      IndexName: TABLE.byWorkerIndex.name,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': TABLE.byWorkerIndex.partitionKey },
      ExpressionAttributeValues: { ':pk': workerIndexKey(worker) },
      ScanIndexForward: false,
      Limit: Math.min(100, Math.max(limit * 2, 10)),
    })) {
      for (const item of page.Items ?? []) {
        const run = itemToRun(item);
        if (isExpired(run, now) || !keep(run)) continue;
        found.push(run);
        if (found.length >= limit) return found;
      }
    }
    return found;
  }
}

/** The condition of a final write, with its placeholders. */
interface FinalCondition {
  readonly condition: string;
  readonly conditionNames: Record<string, string>;
  readonly conditionValues: Record<string, unknown>;
}

function sortTime(run: StoredRun): string {
  return `${run.queuedAt ?? (isFinalStatus(run.status) ? (run as RunResult).startedAt : '')}#${run.runId}`;
}
