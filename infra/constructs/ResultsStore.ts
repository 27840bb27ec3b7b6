import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ENV, KEY_PREFIX, TABLE, outputObjectKey } from '../../workers/cloud/index.js';
import { FINDING_SETS_INDEX_KEY } from '../../workers/cloudRuntime/DynamoFindingStore.js';
import { RUN_ID_TARGET_SEPARATOR } from '../../workers/run/runId.js';
import { acknowledgeOnPrincipal, type RuntimeBinding } from './RuntimeBinding.js';

export interface ResultsStoreProps {
  /** Days a result is kept: the DynamoDB TTL the runtime writes and the S3 lifecycle expiry. 1 to 3650. */
  readonly resultTtlDays: number;
  /** Outputs larger than this many bytes go to S3 and the item points at them. 1024 to 350000. */
  readonly s3ThresholdBytes: number;
}

/**
 * Item families of the table, as `dynamodb:LeadingKeys` patterns. Target names
 * hold neither "#" nor "~" (see the config schema), so `FINDING#api#audit` and
 * `RUN#api~*` match target api's items and no other target's.
 */
export const KEY_FAMILY = {
  /** The run records of one target: cloud run ids start with `<target>~` (see `newTargetRunId`). */
  runsOf: (target: string) => `${KEY_PREFIX.run}${target}${RUN_ID_TARGET_SEPARATOR}*`,
  /** The tracked findings of one worker on one target. */
  findingsOf: (target: string, worker: string) => `${KEY_PREFIX.finding}${target}#${worker}`,
  /** A worker's runs in the `byWorker` index. */
  runsIndexOf: (worker: string) => `${KEY_PREFIX.worker}${worker}`,
  /** The `byWorker` partition listing every finding set (what a task that resends finding events reads). */
  findingSetsIndex: FINDING_SETS_INDEX_KEY,
  /** The deployment's spend ledger: a day's and an hour's items (`SPEND#<yyyy-mm-dd>`, `SPEND#<yyyy-mm-ddTHH>`). */
  spendLedger: `${KEY_PREFIX.spend}*`,
  /** The deployment's model pause (`PAUSE#model`). */
  modelPause: `${KEY_PREFIX.pause}*`,
} as const;

/** What one profile's tasks do with the store, by worker (see `workersServedBy` and `workersReadBy`). */
export interface WorkerStoreAccess {
  /** Workers the tasks run: they write these workers' findings and outputs. */
  readonly serves: readonly string[];
  /** Workers whose runs and outputs the tasks read (their own, chained sources, all for consolidate). */
  readonly reads: readonly string[];
  /** The tasks resend pending finding events, so they list the finding sets. */
  readonly listsFindingSets: boolean;
}

/** Actions on the table the dispatcher needs: idempotent queuing (conditional writes, transactions, batched writes of new runs) and status/results queries. */
export const DISPATCHER_TABLE_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:PutItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:UpdateItem',
  'dynamodb:ConditionCheckItem',
] as const;

/**
 * Where runs and their results live: a DynamoDB table (runs, worker state,
 * findings, idempotency keys; TTL on `expiresAt`) and an S3 bucket for outputs
 * over the size threshold (claim check), expiring with the same TTL.
 *
 * @example
 * const results = new ResultsStore(this, 'Results', { resultTtlDays: 30, s3ThresholdBytes: 65536 });
 * results.bindDispatcher(dispatcherFunction);
 */
export class ResultsStore extends Construct {
  public readonly table: dynamodb.Table;
  public readonly bucket: s3.Bucket;
  private readonly props: ResultsStoreProps;

  constructor(scope: Construct, id: string, props: ResultsStoreProps) {
    super(scope, id);
    if (!Number.isInteger(props.resultTtlDays) || props.resultTtlDays < 1 || props.resultTtlDays > 3650) {
      throw new Error(`ResultsStore: resultTtlDays must be a whole number from 1 to 3650 (got ${props.resultTtlDays})`);
    }
    if (!Number.isInteger(props.s3ThresholdBytes) || props.s3ThresholdBytes < 1024 || props.s3ThresholdBytes > 350_000) {
      throw new Error(`ResultsStore: s3ThresholdBytes must be a whole number from 1024 to 350000 (got ${props.s3ThresholdBytes})`);
    }
    this.props = props;

    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: TABLE.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: TABLE.sortKey, type: dynamodb.AttributeType.STRING },
      // Runs arrive in bursts on a schedule and the table is idle in between: on-demand costs nothing idle.
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: TABLE.ttlAttribute,
      // Kept on `cdk destroy`: results and findings outlive a redeploy; TTL empties the table anyway.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const index of [TABLE.byWorkerIndex, TABLE.byStatusIndex]) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: dynamodb.AttributeType.STRING },
        sortKey: { name: index.sortKey, type: dynamodb.AttributeType.STRING },
        projectionType: dynamodb.ProjectionType.ALL,
      });
    }

    this.bucket = new s3.Bucket(this, 'Outputs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      // No versioning: each output is written once under its run id and must be gone when the
      // run's TTL passes; versioning would keep noncurrent copies past the retention users chose.
      versioned: false,
      lifecycleRules: [
        {
          id: 'expire-with-results',
          expiration: Duration.days(props.resultTtlDays),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'Objects are machine-written run outputs keyed by run id, each recorded with its writer in the DynamoDB run item; ' +
        'the bucket is private to the stack roles. Server access logs would need a second bucket kept past this one for no extra audit value.',
    });
  }

  /** Table index ARNs (named, not wildcarded). */
  private indexArns(): string[] {
    return [TABLE.byWorkerIndex.name, TABLE.byStatusIndex.name].map((name) => `${this.table.tableArn}/index/${name}`);
  }

  /** ARN pattern of the run outputs of one worker (or of every worker with "*"), on one target's runs (or every target's), derived from the shared key design. */
  private outputObjectsArn(worker = '*', target?: string): string {
    return this.bucket.arnForObjects(outputObjectKey(worker, target === undefined ? '*' : `${target}${RUN_ID_TARGET_SEPARATOR}*`));
  }

  /** The output objects are one per run id: a key prefix per worker is the narrowest grant there is. */
  private acknowledgeOutputsWildcard(target: RuntimeBinding, workers: readonly string[], runTarget?: string): void {
    const bucketId = Stack.of(this).getLogicalId(this.bucket.node.defaultChild as s3.CfnBucket);
    const runIds = runTarget === undefined ? '*' : `${runTarget}${RUN_ID_TARGET_SEPARATOR}*`;
    for (const worker of workers) {
      acknowledgeOnPrincipal(
        target.grantPrincipal,
        `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${outputObjectKey(worker, runIds)}]`,
        'Outputs are stored one object per run attempt under outputs/<worker>/<runId>[.attempt-<n>].json, a cloud run id starting with its target; the grant covers that key pattern only (no list, no delete).',
      );
    }
  }

  private bindCommon(target: RuntimeBinding): void {
    target.addEnvironment(ENV.tableName, this.table.tableName);
    target.addEnvironment(ENV.bucketName, this.bucket.bucketName);
    target.addEnvironment(ENV.s3ThresholdBytes, String(this.props.s3ThresholdBytes));
    target.addEnvironment(ENV.resultTtlDays, String(this.props.resultTtlDays));
  }

  /**
   * Gives the dispatcher what it does with the store (queue runs idempotently,
   * answer status and results, fetch a large output) and sets its environment.
   */
  public bindDispatcher(target: RuntimeBinding): void {
    iam.Grant.addToPrincipal({
      grantee: target.grantPrincipal,
      actions: [...DISPATCHER_TABLE_ACTIONS],
      resourceArns: [this.table.tableArn, ...this.indexArns()],
    });
    iam.Grant.addToPrincipal({ grantee: target.grantPrincipal, actions: ['s3:GetObject'], resourceArns: [this.outputObjectsArn()] });
    this.acknowledgeOutputsWildcard(target, ['*']);
    this.bindCommon(target);
  }

  /**
   * Gives the tasks of one lane (a profile on one target) exactly what storing
   * results and tracking findings needs, item family by item family
   * (`dynamodb:LeadingKeys`): read and update the target's run records (claim,
   * heartbeat, final write: `RUN#<target>~*`); query, put and update the
   * target's findings of the workers they serve (`FINDING#<target>#<worker>`);
   * query the `byWorker` index for the runs of the workers they read (and the
   * list of finding sets when they resend finding events); write the target's
   * outputs of the workers they serve and read the outputs of the workers they
   * read (consolidate merges every target's). No Scan, no delete, no batch
   * call, no `byStatus` index, no idempotency or launcher item, no object
   * listing; nothing at all for a profile that serves no worker. Sets the
   * environment.
   */
  public bindWorker(binding: RuntimeBinding, access: WorkerStoreAccess, target: string): void {
    this.bindCommon(binding);
    // A profile no worker can be sent to reaches nothing: its task only finds its queues empty.
    if (access.serves.length === 0) return;
    const table = this.table.tableArn;
    const keys = (families: readonly string[]) => ({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...families] } });
    const runs = KEY_FAMILY.runsOf(target);
    const findings = access.serves.map((worker) => KEY_FAMILY.findingsOf(target, worker));
    const grant = (actions: string[], resourceArns: string[], families: readonly string[]) =>
      iam.Grant.addToPrincipal({ grantee: binding.grantPrincipal, actions, resourceArns, conditions: keys(families) });
    grant(['dynamodb:GetItem'], [table], [runs]);
    grant(['dynamodb:UpdateItem'], [table], [runs, ...findings]);
    // Findings are written in transactions, each item authorised as the PutItem or UpdateItem it holds.
    grant(['dynamodb:PutItem', 'dynamodb:Query'], [table], findings);
    grant(
      ['dynamodb:Query'],
      [`${table}/index/${TABLE.byWorkerIndex.name}`],
      [...access.reads.map(KEY_FAMILY.runsIndexOf), ...(access.listsFindingSets ? [KEY_FAMILY.findingSetsIndex] : [])],
    );
    iam.Grant.addToPrincipal({ grantee: binding.grantPrincipal, actions: ['s3:PutObject'], resourceArns: access.serves.map((w) => this.outputObjectsArn(w, target)) });
    iam.Grant.addToPrincipal({ grantee: binding.grantPrincipal, actions: ['s3:GetObject'], resourceArns: access.reads.map((w) => this.outputObjectsArn(w)) });
    this.acknowledgeOutputsWildcard(binding, access.serves, target);
    this.acknowledgeOutputsWildcard(binding, access.reads);
  }


  /**
   * Gives the tasks of a profile that runs headless workers the deployment's
   * spend ledger and model pause: read and conditionally update the `SPEND#`
   * and `PAUSE#` items, nothing else (no put, no delete, no query), so the
   * caps and the pause hold across every task. A statement of its own, apart
   * from the run and finding grants of `bindWorker`.
   */
  public bindSpendGuards(target: RuntimeBinding): void {
    iam.Grant.addToPrincipal({
      grantee: target.grantPrincipal,
      actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
      resourceArns: [this.table.tableArn],
      conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [KEY_FAMILY.spendLedger, KEY_FAMILY.modelPause] } },
    });
  }
}
