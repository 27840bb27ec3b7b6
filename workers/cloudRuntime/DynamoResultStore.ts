import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { GetCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TABLE, outputObjectKey } from '../cloud/index.js';
import { isExpired } from '../run/expiry.js';
import type { RunResult } from '../run/types.js';
import type { ListQuery, ResultStore, SaveOutcome } from '../store/ResultStore.js';
import { withClaimedOutput, type ClaimedOutput } from './claimedOutput.js';
import { isConditionFailure } from './conditionFailure.js';
import { approximateItemBytes, finalAttributes, isFinalStatus, itemToRun, runKey, timeIndexSortKey, workerIndexKey } from './runItem.js';
import { isFinalRun, type CloudRunResult, type OutputLocation, type StoredRun } from './types.js';
import { buildUpdate } from './updateExpression.js';

export interface DynamoResultStoreOptions {
  readonly documentClient: DynamoDBDocumentClient;
  readonly s3: S3Client;
  readonly tableName: string;
  readonly bucketName: string;
  /** Records larger than this many bytes keep their output in S3 (claim check). */
  readonly s3ThresholdBytes: number;
  /** Workers `list()` without a worker looks through (the catalog's names). */
  readonly workers: readonly string[];
  readonly clock?: () => Date;
}

/** Options of reads that may skip fetching claim-checked outputs. */
export interface ReadOptions {
  /** Fetch outputs kept in S3 into the record (default true). When false, `outputLocation` says where they are. */
  readonly hydrate?: boolean;
  readonly consistent?: boolean;
}

/**
 * Run records in DynamoDB, outputs over a size threshold in S3 (the item then
 * points at the object: claim check). A final record is stored once per run
 * id: the write is conditional on the item being absent, QUEUED or RUNNING,
 * so a duplicate delivery of a finished run cannot store a second result.
 * Reads skip expired records, since TTL deletion is lazy (and never happens
 * in the emulator).
 *
 * @example
 * const store = new DynamoResultStore({ documentClient, s3, tableName, bucketName, s3ThresholdBytes: 65536, workers: [...config.catalog.keys()] });
 * const engine = new WorkerEngine({ config, store, stateDir, workspaceIsScratch: true });
 */
export class DynamoResultStore implements ResultStore {
  private readonly clock: () => Date;

  constructor(private readonly options: DynamoResultStoreOptions) {
    this.clock = options.clock ?? (() => new Date());
  }

  async save(result: RunResult): Promise<SaveOutcome> {
    const record = result as CloudRunResult;
    const attributes = await this.claimCheck(finalAttributes(record), record);
    const indexTime = record.queuedAt ?? record.startedAt;
    const update = buildUpdate({
      set: { ...attributes },
      setIfMissing: {
        [TABLE.byWorkerIndex.partitionKey]: workerIndexKey(record.worker),
        [TABLE.byWorkerIndex.sortKey]: timeIndexSortKey(indexTime, record.runId),
      },
      remove: [TABLE.byStatusIndex.partitionKey, TABLE.byStatusIndex.sortKey, 'leaseOwner', 'leaseUntil'],
      condition: 'attribute_not_exists(#pk) OR #status IN (:queued, :running)',
      conditionNames: { '#pk': TABLE.partitionKey, '#status': 'status' },
      conditionValues: { ':queued': 'QUEUED', ':running': 'RUNNING' },
    });
    try {
      await this.options.documentClient.send(new UpdateCommand({ TableName: this.options.tableName, Key: runKey(record.runId), ...update }));
      return { stored: true };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const existing = await this.getRun(record.runId, { consistent: true, hydrate: true, includeExpired: true });
      if (!existing || !isFinalRun(existing)) throw error;
      return { stored: false, existing };
    }
  }

  async get(runId: string): Promise<RunResult | null> {
    const run = await this.getRun(runId);
    return run && isFinalRun(run) ? run : null;
  }

  /** Any record of a run, pending ones included; null when absent or expired. */
  async getRun(runId: string, options: ReadOptions & { includeExpired?: boolean } = {}): Promise<StoredRun | null> {
    const { Item } = await this.options.documentClient.send(
      new GetCommand({ TableName: this.options.tableName, Key: runKey(runId), ConsistentRead: options.consistent ?? false }),
    );
    if (!Item) return null;
    const run = itemToRun(Item);
    if (!options.includeExpired && isExpired(run, this.clock())) return null;
    return options.hydrate === false ? run : this.hydrate(run);
  }

  async list(query: ListQuery = {}): Promise<RunResult[]> {
    return this.listFinal(query);
  }

  /** Final records, newest first, as `list`; with `hydrate: false` outputs kept in S3 stay there. */
  async listFinal(query: ListQuery = {}, options: ReadOptions = {}): Promise<CloudRunResult[]> {
    const limit = query.limit ?? 20;
    const workers = query.worker ? [query.worker] : this.options.workers;
    const perWorker = await Promise.all(
      workers.map((worker) =>
        this.queryWorker(worker, limit, (run): run is CloudRunResult =>
          isFinalRun(run) && (!query.target || run.target === query.target) && (!query.successfulOnly || run.success),
        ),
      ),
    );
    const newestFirst = perWorker.flat().sort((a, b) => sortTime(b).localeCompare(sortTime(a))).slice(0, limit);
    if (options.hydrate === false) return newestFirst;
    return Promise.all(newestFirst.map((run) => this.hydrate(run) as Promise<CloudRunResult>));
  }

  /** The newest runs of a worker, pending ones included, newest first. */
  async listRuns(worker: string, limit: number, options: ReadOptions = {}): Promise<StoredRun[]> {
    const runs = await this.queryWorker(worker, limit, (run): run is StoredRun => true);
    return options.hydrate === false ? runs : Promise.all(runs.map((run) => this.hydrate(run)));
  }

  /**
   * DynamoDB's TTL deletes expired items (lazily); readers skip them meanwhile.
   * Nothing to do here, and the task roles hold no delete permission.
   */
  async pruneExpired(): Promise<number> {
    return 0;
  }

  /** Fetches a claim-checked output into its record; records without one come back unchanged. */
  hydrate(run: StoredRun): Promise<StoredRun> {
    return withClaimedOutput(run, this.options.s3);
  }

  /** Moves the output (then the context, if still needed) to S3 when the item would be over the threshold. */
  private async claimCheck(attributes: Record<string, unknown>, record: CloudRunResult): Promise<Record<string, unknown>> {
    if (approximateItemBytes(attributes) <= this.options.s3ThresholdBytes) return attributes;
    const { output: _output, parsedOutputJson: _parsed, context, ...rest } = attributes;
    const withoutOutput = { ...rest, output: '', ...(context !== undefined ? { context } : {}) };
    const moveContext = context !== undefined && approximateItemBytes(withoutOutput) > this.options.s3ThresholdBytes;
    const claimed: ClaimedOutput = {
      runId: record.runId,
      worker: record.worker,
      output: record.output,
      ...(record.parsedOutput !== undefined ? { parsedOutput: record.parsedOutput } : {}),
      ...(moveContext ? { context: record.context } : {}),
    };
    const body = JSON.stringify(claimed);
    const key = outputObjectKey(record.worker, record.runId);
    // Written before the item: a crash in between leaves an orphan object (expired by the
    // bucket's lifecycle), never an item pointing at nothing.
    await this.options.s3.send(
      new PutObjectCommand({ Bucket: this.options.bucketName, Key: key, Body: body, ContentType: 'application/json' }),
    );
    const location: OutputLocation = { bucket: this.options.bucketName, key, bytes: Buffer.byteLength(body) };
    const kept = moveContext ? { ...rest, output: '' } : withoutOutput;
    return { ...kept, outputLocation: location };
  }

  /** Pages through a worker's runs newest first until `limit` records pass `keep` (expired ones never do). */
  private async queryWorker<T extends StoredRun>(worker: string, limit: number, keep: (run: StoredRun) => run is T): Promise<T[]> {
    const now = this.clock();
    const found: T[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.options.documentClient.send(
        new QueryCommand({
          TableName: this.options.tableName,
          IndexName: TABLE.byWorkerIndex.name,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': TABLE.byWorkerIndex.partitionKey },
          ExpressionAttributeValues: { ':pk': workerIndexKey(worker) },
          ScanIndexForward: false,
          Limit: Math.min(100, Math.max(limit * 2, 10)),
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      for (const item of page.Items ?? []) {
        const run = itemToRun(item);
        if (isExpired(run, now) || !keep(run)) continue;
        found.push(run);
        if (found.length >= limit) return found;
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return found;
  }
}

function sortTime(run: StoredRun): string {
  return `${run.queuedAt ?? (isFinalStatus(run.status) ? (run as RunResult).startedAt : '')}#${run.runId}`;
}
