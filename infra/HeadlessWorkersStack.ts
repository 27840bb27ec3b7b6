import { fileURLToPath } from 'node:url';
import { Annotations, CfnOutput, Duration, Stack, Token, type StackProps } from 'aws-cdk-lib';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { executionProfileOf } from '../workers/catalog/index.js';
import type { ExecutionProfile } from '../workers/catalog/index.js';
import { STACK_OUTPUTS } from '../workers/cloud/index.js';
import { ConfigError } from '../workers/errors.js';
import { Dispatcher } from './constructs/Dispatcher.js';
import { FindingEvents } from './constructs/FindingEvents.js';
import { Monitoring } from './constructs/Monitoring.js';
import { Network } from './constructs/Network.js';
import { ResultsStore } from './constructs/ResultsStore.js';
import { Schedules } from './constructs/Schedules.js';
import { WorkerCluster } from './constructs/WorkerCluster.js';
import { WorkerImage } from './constructs/WorkerImage.js';
import { WorkQueues } from './constructs/WorkQueues.js';
import { bedrockModelPlan } from './bedrockModels.js';
import { regionProblems } from './regionProblems.js';
import { cloudReadinessProblems, DEFAULT_CONCURRENCY, DEFAULT_TASK_SIZES, deployedProfiles, type DeploymentInput } from './deployConfig.js';

/** The repository root: the Docker build context and the base of the handler's entry. */
export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface HeadlessWorkersStackProps extends StackProps {
  /** Configuration, deploy section and the runtime's copy of the config (see `readDeploymentInput`). */
  readonly input: DeploymentInput;
  /** Repository root. Default: the directory above infra/. */
  readonly repoRoot?: string;
}

/**
 * The whole cloud pipeline, one construct per concern, in the order the data
 * flows: schedules → dispatcher → queues → worker tasks → results store,
 * watched by monitoring. Everything that varies comes from the catalog and the
 * deploy config: adding a worker or disabling one changes the schedules with
 * no edit here.
 *
 * @example
 * new HeadlessWorkersStack(app, 'HeadlessWorkers', { input: readDeploymentInput({ context, rootDir }) });
 */
export class HeadlessWorkersStack extends Stack {
  public readonly network: Network;
  public readonly results: ResultsStore;
  public readonly queues: WorkQueues;
  public readonly image: WorkerImage;
  public readonly workers: WorkerCluster;
  public readonly dispatcher: Dispatcher;
  public readonly schedules: Schedules;
  public readonly monitoring: Monitoring;
  /** Present when the deploy config names `findingsEventBus`. */
  public readonly findingEvents: FindingEvents | undefined;

  constructor(scope: Construct, id: string, props: HeadlessWorkersStackProps) {
    super(scope, id, {
      description: 'headless-workers: scheduled Claude Code workers on Fargate (dispatcher, priority queues, results store)',
      ...props,
      tags: { 'headless-workers:stack': id, ...props.tags },
    });
    const { config, deploy, runtimeConfig } = props.input;
    const repoRoot = props.repoRoot ?? REPO_ROOT;

    const profiles = deployedProfiles(config);
    const problems = cloudReadinessProblems(config);
    for (const worker of config.catalog.values()) {
      const profile = executionProfileOf(worker);
      if (!profiles.includes(profile)) {
        problems.push(`workers.${worker.type}.sandbox: profile "${profile}" is not deployed; set "allowDisabledSandbox": true to deploy it, or use strict or permissive`);
      }
    }
    // The region is known when `cdk synth/deploy` supplies one (it always does with credentials).
    const region = Token.isUnresolved(this.region) ? undefined : this.region;
    problems.push(...regionProblems(deploy, region));
    const bedrockModels =
      deploy.auth.mode === 'bedrock' ? bedrockModelPlan({ catalog: config.catalog, models: config.models, modelIds: deploy.auth.modelIds, region }) : undefined;
    problems.push(...(bedrockModels?.problems ?? []));
    if (problems.length > 0) throw new ConfigError(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`, problems);

    const logRetention = deploy.logRetentionDays as logs.RetentionDays;
    const runtimeConfigJson = JSON.stringify(runtimeConfig);
    const taskSizes = { ...DEFAULT_TASK_SIZES, ...definedEntries(deploy.tasks) };
    const concurrency = { ...DEFAULT_CONCURRENCY, ...definedEntries(deploy.concurrency) };

    this.network = new Network(this, 'Network', { choice: deploy.vpc, logRetention });
    this.results = new ResultsStore(this, 'Results', { resultTtlDays: config.resultTtlDays, s3ThresholdBytes: deploy.s3ThresholdBytes });
    // One lane per (profile, target): its own queues, task definition and task role (issue 11, case 8).
    const cloudTargets = config.targets.filter((t) => t.repo === undefined);
    this.queues = new WorkQueues(this, 'Queues', { profiles, targets: cloudTargets.map((t) => t.name), namePrefix: this.stackName });
    this.image = new WorkerImage(this, 'WorkerImage', {
      repoRoot,
      architecture: deploy.workerArchitecture,
      ...(deploy.workerBaseImage ? { baseImage: deploy.workerBaseImage } : {}),
    });
    this.workers = new WorkerCluster(this, 'Workers', {
      profiles,
      network: this.network,
      image: this.image.containerImage,
      architecture: deploy.workerArchitecture,
      taskSizes,
      concurrency,
      auth: deploy.auth,
      workspaceSources: {
        targets: cloudTargets.map((t) => ({
          name: t.name,
          ...(t.git?.tokenSecretArn ? { gitTokenSecret: t.git.tokenSecretArn } : {}),
          ...(t.s3 ? { snapshotObject: t.s3 } : {}),
        })),
        ...(deploy.secretsKmsKeyArn ? { secretsKmsKeyArn: deploy.secretsKmsKeyArn } : {}),
      },
      catalog: config.catalog,
      runtimeConfigJson,
      logRetention,
      idleExitSeconds: deploy.idleExitSeconds,
    });
    this.findingEvents = deploy.findingsEventBus ? new FindingEvents(this, 'FindingEvents', { busName: deploy.findingsEventBus }) : undefined;
    for (const worker of this.workers.profiles.values()) {
      for (const lane of worker.lanes.values()) {
        this.queues.bindConsumer(worker.profile, lane.target, lane.binding);
        this.results.bindWorker(
          lane.binding,
          { serves: worker.servedWorkers, reads: worker.readWorkers, listsFindingSets: this.findingEvents !== undefined && worker.servedWorkers.length > 0 },
          lane.target,
        );
        this.findingEvents?.bindPublisher(lane.binding);
        // Only tasks that call a model spend or meet a rate limit.
        if (worker.servedWorkers.some((name) => config.catalog.get(name)?.mode === 'headless')) this.results.bindSpendGuards(lane.binding);
      }
    }

    if (bedrockModels) {
      if (region === undefined) {
        Annotations.of(this).addWarningV2('headless-workers:bedrockGlobalProfiles', 'The stack has no region at synth: Bedrock runs use the global cross-region inference profiles. Synthesize with a region (as cdk deploy does) to keep requests in its geography.');
      }
      for (const worker of this.workers.profiles.values()) {
        if (worker.profile === 'local') continue;
        for (const lane of worker.lanes.values()) for (const [name, value] of Object.entries(bedrockModels.environment)) lane.container.addEnvironment(name, value);
      }
    }

    this.dispatcher = new Dispatcher(this, 'Dispatcher', { repoRoot, runtimeConfigJson, authMode: deploy.auth.mode, logRetention });
    // The dispatcher records which model a run will call: the same ids as the tasks.
    for (const [name, value] of Object.entries(bedrockModels?.environment ?? {})) this.dispatcher.function.addEnvironment(name, value);
    this.queues.bindProducer(this.dispatcher.function);
    this.results.bindDispatcher(this.dispatcher.function);
    this.workers.bindLauncher(this.dispatcher.function);

    this.schedules = new Schedules(this, 'Schedules', {
      catalog: config.catalog,
      dispatcher: this.dispatcher.function,
      groupName: this.stackName,
      reconcileEvery: Duration.minutes(deploy.reconcileMinutes),
    });

    const perProfile = <T>(value: (profile: ExecutionProfile) => T) => Object.fromEntries(profiles.map((p) => [p, value(p)]));
    this.monitoring = new Monitoring(this, 'Monitoring', {
      queues: this.queues,
      cluster: this.workers.cluster,
      taskCpu: perProfile((p) => taskSizes[p].cpu),
      taskFamilies: perProfile((p) => [...this.workers.profileOf(p).lanes.values()].map((lane) => lane.taskDefinition.family)),
      dispatcher: this.dispatcher.function,
      dashboardName: this.stackName,
      failureRate: deploy.alarms.failureRate,
      alarmTopicArn: deploy.alarms.topicArn,
      budget: deploy.budget,
    });

    new CfnOutput(this, STACK_OUTPUTS.dispatcherFunctionName, {
      // AWS CLI v2 reads --payload as base64 unless told otherwise.
      description: 'Invoke with `aws lambda invoke --function-name <this> --cli-binary-format raw-in-base64-out --payload \'{"action":"status"}\' /dev/stdout`',
      value: this.dispatcher.function.functionName,
    });
    new CfnOutput(this, STACK_OUTPUTS.tableName, { description: 'DynamoDB table of runs and results', value: this.results.table.tableName });
    new CfnOutput(this, STACK_OUTPUTS.bucketName, { description: 'S3 bucket of outputs over the size threshold', value: this.results.bucket.bucketName });
    new CfnOutput(this, STACK_OUTPUTS.clusterName, { description: 'ECS cluster of the worker tasks', value: this.workers.cluster.clusterName });
    new CfnOutput(this, STACK_OUTPUTS.clusterArn, { description: 'ECS cluster ARN', value: this.workers.cluster.clusterArn });
    new CfnOutput(this, STACK_OUTPUTS.dashboardName, { description: 'CloudWatch dashboard', value: this.monitoring.dashboard.dashboardName });
  }
}

/** The entries of a partial record whose value is set. */
function definedEntries<K extends string, V>(record: Partial<Record<K, V | undefined>>): Partial<Record<K, V>> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as Partial<Record<K, V>>;
}
