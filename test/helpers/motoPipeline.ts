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
import { ENV, laneNames, TABLE, WORKER_CONTAINER_NAME } from '../../workers/cloud/index.js';
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
  /** The work queues of the first configured target's lanes (most tests have one target), by profile. */
  readonly queueUrls: Record<ExecutionProfile, Record<Priority, string>>;
  readonly deadLetterUrls: Record<ExecutionProfile, Record<Priority, string>>;
  /** Every lane's work queues: profile, then target, then priority. */
  readonly laneQueueUrls: Record<ExecutionProfile, Record<string, Record<Priority, string>>>;
  readonly laneDeadLetterUrls: Record<ExecutionProfile, Record<string, Record<Priority, string>>>;
  /** Task definition ARNs: profile, then target. */
  readonly taskDefinitions: Record<ExecutionProfile, Record<string, string>>;
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

/** The task family of a lane (a profile on a target) of the test pipeline. */
export function laneFamily(profile: ExecutionProfile, target = 'demo'): string {
  return laneNames(TEST_STACK, profile, target).taskFamily;
}

/** The names of the cloud targets of a configuration (those without a local `repo`). */
function cloudTargetNames(config: Record<string, unknown>): string[] {
  const targets = (config.targets ?? []) as { name: string; repo?: string }[];
  return targets.filter((t) => t.repo === undefined).map((t) => t.name);
}

/** Messages waiting or in flight in every work queue of the pipeline. */
export async function countQueuedMessages(p: TestPipeline): Promise<number> {
  let total = 0;
  for (const urls of Object.values(p.laneQueueUrls).flatMap((byTarget) => Object.values(byTarget))) {
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
 * environment variables: per lane (a profile on a configured target) four
 * queues with dead-letter queues (redrive after `maxReceiveCount`) and a
 * Fargate task definition; the results table (pk/sk, byWorker and
 * byStatus indexes, TTL on expiresAt), the outputs bucket, the cluster; each
 * task definition's container carries the task's
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

  // One lane per (profile, target), as the CDK app deploys it: its own queues and task definition.
  const targets = cloudTargetNames(options.config ?? DEFAULT_TEST_CONFIG);
  const laneQueueUrls = {} as Record<ExecutionProfile, Record<string, Record<Priority, string>>>;
  const laneDeadLetterUrls = {} as Record<ExecutionProfile, Record<string, Record<Priority, string>>>;
  for (const profile of profiles) {
    laneQueueUrls[profile] = {};
    laneDeadLetterUrls[profile] = {};
    for (const target of targets) {
      laneQueueUrls[profile][target] = {} as Record<Priority, string>;
      laneDeadLetterUrls[profile][target] = {} as Record<Priority, string>;
    }
  }
  await Promise.all(
    profiles.flatMap((profile) =>
      targets.flatMap((target) =>
        PRIORITIES.map(async (priority) => {
          const names = laneNames(TEST_STACK, profile, target);
          const dlq = await clients.sqs.send(new CreateQueueCommand({ QueueName: names.deadLetterQueue(priority), Attributes: { MessageRetentionPeriod: String(14 * 86400) } }));
          const dlqArn = (await clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
          const queue = await clients.sqs.send(
            new CreateQueueCommand({
              QueueName: names.queue(priority),
              Attributes: {
                VisibilityTimeout: String(visibility),
                ReceiveMessageWaitTimeSeconds: '20',
                MessageRetentionPeriod: String(4 * 86400),
                RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount }),
              },
            }),
          );
          laneQueueUrls[profile][target]![priority] = queue.QueueUrl!;
          laneDeadLetterUrls[profile][target]![priority] = dlq.QueueUrl!;
        }),
      ),
    ),
  );
  const firstTarget = targets[0] ?? 'demo';
  const queueUrls = Object.fromEntries(profiles.map((p) => [p, laneQueueUrls[p][firstTarget] ?? {}])) as Record<ExecutionProfile, Record<Priority, string>>;
  const deadLetterUrls = Object.fromEntries(profiles.map((p) => [p, laneDeadLetterUrls[p][firstTarget] ?? {}])) as Record<ExecutionProfile, Record<Priority, string>>;
  const anyQueueUrl = Object.values(Object.values(queueUrls)[0] ?? {})[0] ?? `${endpoint}/123456789012/x`;
  const queueUrlBase = anyQueueUrl.slice(0, anyQueueUrl.lastIndexOf('/') + 1);

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
  const taskDefinitions = {} as Record<ExecutionProfile, Record<string, string>>;
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
    taskDefinitions[profile] = {};
    for (const target of targets) {
      const environment = {
        ...common,
        [ENV.profile]: profile,
        [ENV.target]: target,
        [ENV.scratchDir]: '/scratch',
        [ENV.idleExitSeconds]: String(options.idleExitSeconds ?? 3),
        [ENV.authMode]: 'api-key',
        [ENV.config]: configJson,
        [ENV.queueUrls]: JSON.stringify({ [profile]: laneQueueUrls[profile][target] }),
      };
      const registered = await clients.ecs.send(
        new RegisterTaskDefinitionCommand({
          family: laneNames(TEST_STACK, profile, target).taskFamily,
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
      taskDefinitions[profile][target] = registered.taskDefinition!.taskDefinitionArn!;
    }
  }

  const dispatcherEnv: Record<string, string> = {
    ...common,
    [ENV.config]: configJson,
    [ENV.authMode]: 'api-key',
    [ENV.namePrefix]: TEST_STACK,
    [ENV.queueUrlBase]: queueUrlBase,
    [ENV.concurrency]: JSON.stringify({ local: 2, strict: 2, permissive: 2, ...options.concurrency }),
    [ENV.clusterArn]: clusterArn,
    [ENV.subnets]: subnetIds.join(','),
    [ENV.securityGroups]: JSON.stringify(securityGroups),
    [ENV.assignPublicIp]: 'ENABLED',
    [ENV.containerName]: WORKER_CONTAINER_NAME,
    [ENV.awsEndpoint]: endpoint,
  };
  const dispatch = buildDispatcher({ dispatcherEnv, clients });
  return { endpoint, clients, tableName, bucketName, clusterArn, queueUrls, deadLetterUrls, laneQueueUrls, laneDeadLetterUrls, taskDefinitions, dispatcherEnv, dispatch, configJson };
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
