import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { outputObjectKey } from '../cloud/index.js';
import type { RunResult } from '../run/types.js';
import type { ListQuery, ResultStore, SaveOutcome } from '../store/ResultStore.js';
import { withClaimedOutput, type ClaimedOutput } from './claimedOutput.js';
import { DynamoRunTable } from './DynamoRunTable.js';
import { approximateItemBytes, finalAttributes } from './runItem.js';
import { isFinalRun, type CloudRunResult, type OutputLocation, type StoredRun } from './types.js';

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
/** A task's claim on a run (RunRecords.claim): the final write is conditional on it. */
export interface RunLease {
  /** The lease owner the claim wrote. */
  readonly owner: string;
  /** The claim's attempt number (unique per claim of a run). */
  readonly attempt: number;
}

export interface ReadOptions {
  /** Fetch outputs kept in S3 into the record (default true). When false, `outputLocation` says where they are. */
  readonly hydrate?: boolean;
  readonly consistent?: boolean;
}

/**
 * Run records in DynamoDB (see `DynamoRunTable`: once per run id, expired
 * records skipped), outputs over a size threshold in S3 (the item then points
 * at the object: claim check), fetched back on read unless `hydrate: false`.
 *
 * @example
 * const store = new DynamoResultStore({ documentClient, s3, tableName, bucketName, s3ThresholdBytes: 65536, workers: [...config.catalog.keys()] });
 * const engine = new WorkerEngine({ config, store, stateDir, workspaceIsScratch: true });
 */
export class DynamoResultStore implements ResultStore {
  private readonly table: DynamoRunTable;

  constructor(private readonly options: DynamoResultStoreOptions) {
    this.table = new DynamoRunTable(options);
  }

  /**
   * Stores a final record once per run id. With a `lease` (the runner's
   * claim), only while that task still holds the run: see
   * `DynamoRunTable.putFinal`; its claim-checked output then goes to a key of
   * its own attempt, so a task that lost the lease never overwrites the
   * object the winner's record points at.
   */
  async save(result: RunResult, options: { readonly lease?: RunLease } = {}): Promise<SaveOutcome> {
    const record = result as CloudRunResult;
    const { lease } = options;
    const attributes = await this.claimCheck(finalAttributes(record), record, lease?.attempt);
    const outcome = await this.table.putFinal(record, attributes, lease ? { leaseOwner: lease.owner } : {});
    return outcome.stored ? outcome : { stored: false, existing: (await this.hydrate(outcome.existing as StoredRun)) as RunResult };
  }

  async get(runId: string): Promise<RunResult | null> {
    const run = await this.getRun(runId);
    return run && isFinalRun(run) ? run : null;
  }

  /** Any record of a run, pending ones included; null when absent or expired. */
  async getRun(runId: string, options: ReadOptions & { includeExpired?: boolean } = {}): Promise<StoredRun | null> {
    const run = await this.table.getRun(runId, options);
    return run === null || options.hydrate === false ? run : this.hydrate(run);
  }

  async list(query: ListQuery = {}): Promise<RunResult[]> {
    return this.listFinal(query);
  }

  /** Final records, newest first, as `list`; with `hydrate: false` outputs kept in S3 stay there. */
  async listFinal(query: ListQuery = {}, options: ReadOptions = {}): Promise<CloudRunResult[]> {
    const newestFirst = await this.table.listFinal(query);
    if (options.hydrate === false) return newestFirst;
    return Promise.all(newestFirst.map((run) => this.hydrate(run) as Promise<CloudRunResult>));
  }

  /** The newest runs of a worker, pending ones included, newest first. */
  async listRuns(worker: string, limit: number, options: ReadOptions = {}): Promise<StoredRun[]> {
    const runs = await this.table.listRuns(worker, limit);
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
  private async claimCheck(attributes: Record<string, unknown>, record: CloudRunResult, attempt: number | undefined): Promise<Record<string, unknown>> {
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
    const key = outputObjectKey(record.worker, record.runId, attempt);
    // Written before the item: a crash in between leaves an orphan object (expired by the
    // bucket's lifecycle), never an item pointing at nothing.
    await this.options.s3.send(
      new PutObjectCommand({ Bucket: this.options.bucketName, Key: key, Body: body, ContentType: 'application/json' }),
    );
    const location: OutputLocation = { bucket: this.options.bucketName, key, bytes: Buffer.byteLength(body) };
    const kept = moveContext ? { ...rest, output: '' } : withoutOutput;
    return { ...kept, outputLocation: location };
  }
}
