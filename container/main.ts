import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import { randomUUID } from 'node:crypto';
import { workersServedBy } from '../workers/cloud/index.js';
import { parseConfig } from '../workers/config/index.js';
import {
  AnnouncingFindingStore,
  awsClientConfig,
  createDocumentClient,
  createJsonLogger,
  DynamoFindingStore,
  DynamoModelPause,
  DynamoResultStore,
  DynamoSpendLedger,
  FindingEventPublisher,
  RunRecords,
  s3ClientConfig,
  type JsonLogger,
} from '../workers/cloudRuntime/index.js';
import type { FindingStore } from '../workers/findings/index.js';
import { WorkerEngine } from '../workers/engine/WorkerEngine.js';
import { LeaseGuardedStore } from './LeaseGuardedStore.js';
import { MessageProcessor } from './MessageProcessor.js';
import { QueuePoller } from './QueuePoller.js';
import { RetryingFindingStore } from './RetryingFindingStore.js';
import { RetryingStore } from './RetryingStore.js';
import { readRunnerSettings } from './runnerSettings.js';
import { ShutdownAwareStore } from './ShutdownAwareStore.js';
import { taskIdentity } from './taskIdentity.js';
import { TaskRunner } from './TaskRunner.js';

/**
 * Entry point of the worker task (`node dist/container/main.js`): reads the
 * task's environment once, drains the profile's queues until idle or
 * stopped, and exits 0; 2 when the environment is incomplete.
 */
async function main(): Promise<number> {
  const baseLog = createJsonLogger({ base: { component: 'runner' } });
  let settings;
  let config;
  try {
    settings = readRunnerSettings(process.env);
    config = parseConfig(JSON.parse(settings.configJson), 'HW_CONFIG');
  } catch (error) {
    baseLog.error('cannot start', { error });
    return 2;
  }
  const taskArn = await taskIdentity(process.env);
  const log = baseLog.child({ profile: settings.profile, ...(settings.target ? { target: settings.target } : {}), task: taskArn.split('/').pop() });
  const aws = settings.awsEndpoint ? { endpoint: settings.awsEndpoint } : {};
  const sqs = new SQSClient(awsClientConfig(aws));
  const s3 = new S3Client(s3ClientConfig(aws));
  const documentClient = createDocumentClient(aws);
  const resultTtlDays = settings.resultTtlDays ?? config.resultTtlDays;

  // The scratch volume may hold a previous run's leftovers if the task was restarted.
  await rm(path.join(settings.scratchDir, 'runs'), { recursive: true, force: true });
  const stateDir = path.join(settings.scratchDir, 'state');
  await mkdir(stateDir, { recursive: true });

  const store = new DynamoResultStore({
    documentClient,
    s3,
    tableName: settings.tableName,
    bucketName: settings.bucketName,
    s3ThresholdBytes: settings.s3ThresholdBytes,
    workers: [...config.catalog.keys()],
  });
  const records = new RunRecords({ documentClient, tableName: settings.tableName, resultTtlDays });
  let runner: TaskRunner | undefined;
  const isStopping = () => runner?.isStopping ?? false;
  const leases = new LeaseGuardedStore(store);
  const engineStore = new ShutdownAwareStore(new RetryingStore(leases, { retryForMs: settings.storeRetryMs, isStopping, log }), isStopping);
  const trackedFindings = new DynamoFindingStore({ documentClient, tableName: settings.tableName });
  const announcing = settings.findingsEventBus
    ? new AnnouncingFindingStore(
        trackedFindings,
        new FindingEventPublisher({ eventBridge: new EventBridgeClient(awsClientConfig(aws)), busName: settings.findingsEventBus }),
        (error) => log.warn('finding events were not sent', { error, bus: settings.findingsEventBus }),
      )
    : undefined;
  // Findings get the same storage backoff as results.
  const findingStore: FindingStore = new RetryingFindingStore(announcing ?? trackedFindings, { retryForMs: settings.storeRetryMs, isStopping, log });
  // One spend ledger and one model pause for the whole deployment: limits.dailyUsd and
  // launchesPerHour hold across every task, and a rate limit one task meets holds back all.
  const spendLedger = new DynamoSpendLedger({ documentClient, tableName: settings.tableName });
  const modelPause = new DynamoModelPause({ documentClient, tableName: settings.tableName });
  const engine = new WorkerEngine({ config: { ...config, resultTtlDays }, store: engineStore, findingStore, stateDir, spendLedger, modelPause, workspaceIsScratch: true, env: process.env });
  const processor = new MessageProcessor({
    sqs,
    records,
    store,
    engineStore,
    leases,
    engine,
    config,
    profile: settings.profile,
    ...(settings.target ? { target: settings.target } : {}),
    resultTtlDays,
    scratchDir: settings.scratchDir,
    workspace: {
      s3,
      secrets: new SecretsManagerClient(awsClientConfig(aws)),
      limits: { maxBytes: settings.snapshotMaxBytes, maxEntries: 200_000 },
      gitProtocols: settings.gitProtocols,
    },
    owner: `${taskArn}#${randomUUID().slice(0, 8)}`,
    taskArn,
    log,
    isStopping,
    emitMetrics: (line) => process.stdout.write(line),
  });
  const poller = await QueuePoller.open(sqs, settings.queueUrls, settings.pollWaitSeconds);
  runner = new TaskRunner({ poller, processor, sqs, idleExitMs: settings.idleExitMs, log });

  const stopTimeoutMs = settings.stopGraceMs;
  const onSignal = (signal: NodeJS.Signals) => {
    runner?.stop(signal);
    // Whatever happens, be gone before Fargate's stop timeout sends SIGKILL.
    setTimeout(() => {
      log.error('did not stop in time: exiting', { stopTimeoutMs });
      process.exit(1);
    }, stopTimeoutMs).unref();
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);

  log.info('task started', {
    launchReason: process.env.HW_LAUNCH_REASON,
    queues: Object.values(poller.queues).map((q) => ({ priority: q.priority, visibilityTimeoutSeconds: q.visibilityTimeoutSeconds, maxReceiveCount: q.maxReceiveCount })),
    idleExitMs: settings.idleExitMs,
  });
  // Events whose PutEvents failed in an earlier task go out now, beside the first message (see resendFindingEvents).
  const resent = announcing ? resendFindingEvents(announcing, workersServedBy(settings.profile, config.catalog), settings.target, log) : Promise.resolve();
  const code = await runner.run();
  await resent;
  return code;
}

/**
 * Sends the finding events still pending from earlier tasks (a PutEvents
 * that failed, a task that died before clearing them). At task start rather
 * than on reconcile: the task already holds the bus name, the EventBridge
 * client and the PutEvents grant, while the dispatcher would need all three
 * (a new grant, a variable, and the EventBridge client in its bundle) and
 * would read every finding set on every tick, idle or not; tasks start only
 * when there is work. A set's events also go out after its next update.
 * Only the sets of the workers this profile runs on this task's target: its role reaches no others.
 */
async function resendFindingEvents(findings: AnnouncingFindingStore, workers: readonly string[], target: string | undefined, log: JsonLogger): Promise<void> {
  try {
    let sent = 0;
    for (const worker of workers) sent += await findings.resendPending({ worker, ...(target ? { target } : {}) });
    if (sent > 0) log.info('pending finding events sent', { sent });
  } catch (error) {
    log.warn('pending finding events were not sent; the next task tries again', { error });
  }
}

// Exit explicitly: idle keep-alive sockets of the AWS clients must not hold the task open.
main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), level: 'error', msg: 'runner crashed', component: 'runner', error: error instanceof Error ? { name: error.name, message: error.message } : String(error) })}\n`);
    process.exit(1);
  },
);
