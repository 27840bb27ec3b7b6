import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CreateSecurityGroupCommand, DescribeSubnetsCommand, DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { CreateClusterCommand, ECSClient, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { CreateTableCommand, DynamoDBClient, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { PRIORITIES } from '../../workers/catalog/constants.js';
import type { ExecutionProfile, Priority } from '../../workers/catalog/types.js';
import { ENV, TABLE, WORKER_CONTAINER_NAME } from '../../workers/cloud/index.js';
import { createDispatcher, type Dispatcher, type DispatcherDeps } from '../../functions/dispatcher/createDispatcher.js';
import { readDispatcherSettings } from '../../functions/dispatcher/dispatcherSettings.js';
import { motoClientConfig } from './motoServer.js';

/** The stack name the resources are named after, as `cdk deploy` names them. */
export const TEST_STACK = 'HeadlessWorkers';
export const SNAPSHOT_BUCKET = 'hw-test-snapshots';

export interface PipelineOptions {
  /** The user's configuration (HW_CONFIG); default: one S3 target "demo". */
  readonly config?: Record<string, unknown>;
  readonly profiles?: readonly ExecutionProfile[];
  /** Queue visibility timeout in seconds (short in tests; the runner heartbeats at a third of it). */
  readonly visibilityTimeoutSeconds?: number;
  readonly maxReceiveCount?: number;
  readonly concurrency?: Partial<Record<ExecutionProfile, number>>;
  readonly s3ThresholdBytes?: number;
  readonly idleExitSeconds?: number;
}

export interface AwsTestClients {
  readonly sqs: SQSClient;
  readonly ecs: ECSClient;
  readonly s3: S3Client;
  readonly dynamodb: DynamoDBClient;
  readonly documentClient: DynamoDBDocumentClient;
}

/** The deployed pipeline as the tests see it. */
export interface TestPipeline {
  readonly endpoint: string;
  readonly clients: AwsTestClients;
  readonly tableName: string;
  readonly bucketName: string;
  readonly clusterArn: string;
  readonly queueUrls: Record<ExecutionProfile, Record<Priority, string>>;
  readonly deadLetterUrls: Record<ExecutionProfile, Record<Priority, string>>;
  readonly taskDefinitions: Record<ExecutionProfile, string>;
  /** The dispatcher Lambda's environment, as the CDK app sets it. */
  readonly dispatcherEnv: Record<string, string>;
  /** A dispatcher built from that environment, called in-process (moto's Lambda needs Docker). */
  readonly dispatch: Dispatcher;
  readonly configJson: string;
}

/** Clients for the emulator at `endpoint`. */
export function awsTestClients(endpoint: string): AwsTestClients {
  const config = motoClientConfig(endpoint);
  const dynamodb = new DynamoDBClient(config);
  return {
    sqs: new SQSClient(config),
    ecs: new ECSClient(config),
    s3: new S3Client({ ...config, forcePathStyle: true }),
    dynamodb,
    documentClient: DynamoDBDocumentClient.from(dynamodb, { marshallOptions: { removeUndefinedValues: true } }),
  };
}

/** The default configuration: one S3 snapshot target named "demo". */
/** Two targets of both kinds: an S3 snapshot and a git repository. */
export const TWO_TARGETS_CONFIG = {
  targets: [
    { name: 'demo', s3: { bucket: SNAPSHOT_BUCKET, key: 'demo.tar.gz' } },
    { name: 'api', git: { url: 'https://git.example.com/acme/api.git', branch: 'main' } },
  ],
};

/** Messages waiting or in flight in every work queue of the pipeline. */
export async function countQueuedMessages(p: TestPipeline): Promise<number> {
  let total = 0;
  for (const urls of Object.values(p.queueUrls)) {
    for (const url of Object.values(urls)) {
      const { Attributes } = await p.clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
      total += Number(Attributes?.ApproximateNumberOfMessages) + Number(Attributes?.ApproximateNumberOfMessagesNotVisible);
    }
  }
  return total;
}

export const DEFAULT_TEST_CONFIG = { targets: [{ name: 'demo', s3: { bucket: SNAPSHOT_BUCKET, key: 'demo.tar.gz' } }] };

/**
 * Creates in moto what `cdk deploy` creates, with the same names, shapes and
 * environment variables: per profile four queues with dead-letter queues
 * (redrive after `maxReceiveCount`), the results table (pk/sk, byWorker and
 * byStatus indexes, TTL on expiresAt), the outputs bucket, the cluster and a
 * Fargate task definition per profile whose container carries the task's
 * environment; plus a bucket for target snapshots.
 */
export async function createTestPipeline(endpoint: string, options: PipelineOptions = {}): Promise<TestPipeline> {
  const clients = awsTestClients(endpoint);
  const profiles = options.profiles ?? (['local', 'strict', 'permissive'] as const);
  const configJson = JSON.stringify(options.config ?? DEFAULT_TEST_CONFIG);
  const tableName = `${TEST_STACK}-ResultsTable`;
  const bucketName = 'headlessworkers-outputs';
  const visibility = options.visibilityTimeoutSeconds ?? 6;
  const maxReceiveCount = options.maxReceiveCount ?? 3;

  const queueUrls = {} as Record<ExecutionProfile, Record<Priority, string>>;
  const deadLetterUrls = {} as Record<ExecutionProfile, Record<Priority, string>>;
  for (const profile of profiles) {
    queueUrls[profile] = {} as Record<Priority, string>;
    deadLetterUrls[profile] = {} as Record<Priority, string>;
  }
  await Promise.all(
    profiles.flatMap((profile) =>
      PRIORITIES.map(async (priority) => {
        const name = `${TEST_STACK}-${profile}-${priority}`;
        const dlq = await clients.sqs.send(new CreateQueueCommand({ QueueName: `${name}-dlq`, Attributes: { MessageRetentionPeriod: String(14 * 86400) } }));
        const dlqArn = (await clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
        const queue = await clients.sqs.send(
          new CreateQueueCommand({
            QueueName: name,
            Attributes: {
              VisibilityTimeout: String(visibility),
              ReceiveMessageWaitTimeSeconds: '20',
              MessageRetentionPeriod: String(4 * 86400),
              RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount }),
            },
          }),
        );
        queueUrls[profile][priority] = queue.QueueUrl!;
        deadLetterUrls[profile][priority] = dlq.QueueUrl!;
      }),
    ),
  );

  const key = (name: string) => ({ AttributeName: name, KeyType: 'HASH' as const });
  const range = (name: string) => ({ AttributeName: name, KeyType: 'RANGE' as const });
  await clients.dynamodb.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [TABLE.partitionKey, TABLE.sortKey, TABLE.byWorkerIndex.partitionKey, TABLE.byWorkerIndex.sortKey, TABLE.byStatusIndex.partitionKey, TABLE.byStatusIndex.sortKey].map(
        (name) => ({ AttributeName: name, AttributeType: 'S' as const }),
      ),
      KeySchema: [key(TABLE.partitionKey), range(TABLE.sortKey)],
      GlobalSecondaryIndexes: [TABLE.byWorkerIndex, TABLE.byStatusIndex].map((index) => ({
        IndexName: index.name,
        KeySchema: [key(index.partitionKey), range(index.sortKey)],
        Projection: { ProjectionType: 'ALL' as const },
      })),
    }),
  );
  await clients.dynamodb.send(new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: { AttributeName: TABLE.ttlAttribute, Enabled: true } }));
  await clients.s3.send(new CreateBucketCommand({ Bucket: bucketName }));
  await clients.s3.send(new CreateBucketCommand({ Bucket: SNAPSHOT_BUCKET }));

  const ec2 = new EC2Client(motoClientConfig(endpoint));
  const vpcs = await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'isDefault', Values: ['true'] }] }));
  const vpcId = vpcs.Vpcs![0]!.VpcId!;
  const subnets = await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }));
  const subnetIds = (subnets.Subnets ?? []).map((s) => s.SubnetId!).slice(0, 2);

  const cluster = await clients.ecs.send(new CreateClusterCommand({ clusterName: `${TEST_STACK}-Cluster` }));
  const clusterArn = cluster.cluster!.clusterArn!;
  const taskDefinitions = {} as Record<ExecutionProfile, string>;
  const securityGroups = {} as Record<ExecutionProfile, string>;
  const common = {
    [ENV.tableName]: tableName,
    [ENV.bucketName]: bucketName,
    [ENV.s3ThresholdBytes]: String(options.s3ThresholdBytes ?? 65_536),
    [ENV.resultTtlDays]: '30',
  };
  for (const profile of profiles) {
    const sg = await ec2.send(new CreateSecurityGroupCommand({ GroupName: `${TEST_STACK}-${profile}`, Description: `${profile} tasks`, VpcId: vpcId }));
    securityGroups[profile] = sg.GroupId!;
    const environment = {
      ...common,
      [ENV.profile]: profile,
      [ENV.scratchDir]: '/scratch',
      [ENV.idleExitSeconds]: String(options.idleExitSeconds ?? 3),
      [ENV.authMode]: 'api-key',
      [ENV.config]: configJson,
      [ENV.queueUrls]: JSON.stringify({ [profile]: queueUrls[profile] }),
    };
    const registered = await clients.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: `${TEST_STACK}-${profile}`,
        networkMode: 'awsvpc',
        requiresCompatibilities: ['FARGATE'],
        cpu: '1024',
        memory: '2048',
        containerDefinitions: [
          {
            name: WORKER_CONTAINER_NAME,
            image: 'headless-workers-worker:test',
            essential: true,
            user: '10001:10001',
            readonlyRootFilesystem: true,
            // moto sums container-level memory to place a task (and fails without it); the
            // CDK app sets memory on the task only, which Fargate accepts.
            memoryReservation: 2048,
            environment: Object.entries(environment).map(([name, value]) => ({ name, value })),
          },
        ],
      }),
    );
    taskDefinitions[profile] = registered.taskDefinition!.taskDefinitionArn!;
  }

  const dispatcherEnv: Record<string, string> = {
    ...common,
    [ENV.config]: configJson,
    [ENV.authMode]: 'api-key',
    [ENV.queueUrls]: JSON.stringify(queueUrls),
    [ENV.taskDefinitions]: JSON.stringify(taskDefinitions),
    [ENV.concurrency]: JSON.stringify({ local: 2, strict: 2, permissive: 2, ...options.concurrency }),
    [ENV.clusterArn]: clusterArn,
    [ENV.subnets]: subnetIds.join(','),
    [ENV.securityGroups]: JSON.stringify(securityGroups),
    [ENV.assignPublicIp]: 'ENABLED',
    [ENV.containerName]: WORKER_CONTAINER_NAME,
    [ENV.awsEndpoint]: endpoint,
  };
  const dispatch = buildDispatcher({ dispatcherEnv, clients });
  return { endpoint, clients, tableName, bucketName, clusterArn, queueUrls, deadLetterUrls, taskDefinitions, dispatcherEnv, dispatch, configJson };
}

/** Packs a folder into a tar.gz (as `tar -czf` does) and uploads it as a target snapshot. */
export async function uploadSnapshot(s3: S3Client, sourceDir: string, key = 'demo.tar.gz', bucket = SNAPSHOT_BUCKET): Promise<void> {
  const archive = path.join(mkdtempSync(path.join(os.tmpdir(), 'hw-snapshot-')), 'snapshot.tar.gz');
  execFileSync('tar', ['-czf', archive, '-C', sourceDir, '.']);
  const { readFile } = await import('node:fs/promises');
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: await readFile(archive) }));
}

/** A dispatcher over the test pipeline, with some of its clients or timing replaced (fault injection). */
export function buildDispatcher(
  pipeline: Pick<TestPipeline, 'dispatcherEnv' | 'clients'>,
  overrides: Partial<Pick<DispatcherDeps, 'ecs' | 'sqs' | 'sleep' | 'clock'>> = {},
): Dispatcher {
  const { clients } = pipeline;
  return createDispatcher({
    settings: readDispatcherSettings(pipeline.dispatcherEnv),
    sqs: clients.sqs,
    ecs: clients.ecs,
    documentClient: DynamoDBDocumentClient.from(clients.dynamodb, { marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: true } }),
    log: { debug() {}, info() {}, warn() {}, error() {}, child() { return this; } },
    ...overrides,
  });
}
