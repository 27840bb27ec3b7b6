import { Aws, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js';
import { Construct } from 'constructs';
import type { ExecutionProfile, WorkerDefinition } from '../../workers/catalog/index.js';
import { ENV, WORKER_CONTAINER_NAME, workersReadBy, workersServedBy } from '../../workers/cloud/index.js';
import type { Network } from './Network.js';
import { secretGrantArn } from '../secretGrantArns.js';
import { acknowledgeOnPrincipal, containerBinding, type RuntimeBinding } from './RuntimeBinding.js';

/** Fargate size of one profile's task. */
export interface TaskSize {
  /** CPU units (1024 = 1 vCPU). */
  readonly cpu: number;
  readonly memoryMiB: number;
}

/** How Claude Code authenticates in headless profiles. */
export type WorkerAuth = { readonly mode: 'api-key'; readonly apiKeySecret: string } | { readonly mode: 'bedrock' };

/** What a target's workspace is fetched from: the task roles may read exactly these. */
export interface WorkspaceSources {
  /** Secrets Manager secrets of git tokens: names, complete ARNs or ARNs without the random suffix. */
  readonly gitTokenSecretArns: readonly string[];
  /** Customer-managed KMS key of the secrets (git tokens, API key), if any: readers get kms:Decrypt through Secrets Manager. */
  readonly secretsKmsKeyArn?: string;
  /** S3 snapshot objects. */
  readonly snapshotObjects: readonly { readonly bucket: string; readonly key: string }[];
}

export interface WorkerClusterProps {
  /** Profiles that get a task definition, roles and a security group. */
  readonly profiles: readonly ExecutionProfile[];
  readonly network: Network;
  readonly image: ecs.ContainerImage;
  readonly architecture: 'arm64' | 'x86_64';
  /** Fargate size per profile. */
  readonly taskSizes: Readonly<Record<ExecutionProfile, TaskSize>>;
  /** Cap on running tasks per profile (handed to the dispatcher). */
  readonly concurrency: Readonly<Record<ExecutionProfile, number>>;
  readonly auth: WorkerAuth;
  readonly workspaceSources: WorkspaceSources;
  /**
   * The catalog with the operator's overrides: which workers each profile's
   * tasks may run (and so which items, objects and workspaces their role reaches).
   */
  readonly catalog: ReadonlyMap<string, WorkerDefinition>;
  /** JSON of the user's configuration (HW_CONFIG): the tasks resolve the same catalog as the dispatcher. */
  readonly runtimeConfigJson: string;
  readonly logRetention: logs.RetentionDays;
  /** A task exits after this long without a message. */
  readonly idleExitSeconds: number;
}

/** Everything that makes up one execution profile's task. */
export interface WorkerProfile {
  readonly profile: ExecutionProfile;
  readonly taskDefinition: ecs.FargateTaskDefinition;
  readonly container: ecs.ContainerDefinition;
  readonly taskRole: iam.Role;
  readonly executionRole: iam.Role;
  readonly securityGroup: ec2.SecurityGroup;
  readonly logGroup: logs.LogGroup;
  /** Grants to the task role, settings to the container environment. */
  readonly binding: RuntimeBinding;
  /** Workers these tasks may run (`workersServedBy`): empty for a profile no worker of the catalog uses. */
  readonly servedWorkers: readonly string[];
  /** Workers whose results these tasks read (`workersReadBy`). */
  readonly readWorkers: readonly string[];
}

/** Environment variable through which the API key reaches Claude Code (an ECS secret, never a plain variable). */
export const API_KEY_VARIABLE = 'ANTHROPIC_API_KEY';
/** Where the writable volumes are mounted; everything else is read-only. */
export const WRITABLE_PATHS = { scratch: '/scratch', tmp: '/tmp', home: '/home/worker' } as const;
/** The image's non-root user (see container/Dockerfile). */
export const WORKER_USER = '10001:10001';
/** Bedrock actions Claude Code uses: one-shot and streaming model calls. */
export const BEDROCK_ACTIONS = ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'] as const;

function isHeadless(profile: ExecutionProfile): boolean {
  return profile !== 'local';
}

function importSecret(scope: Construct, id: string, secret: string): secretsmanager.ISecret {
  if (!secret.startsWith('arn:')) return secretsmanager.Secret.fromSecretNameV2(scope, id, secret);
  // A complete ARN ends with the 6-character suffix Secrets Manager adds to the name.
  return /-[A-Za-z0-9]{6}$/.test(secret)
    ? secretsmanager.Secret.fromSecretCompleteArn(scope, id, secret)
    : secretsmanager.Secret.fromSecretPartialArn(scope, id, secret);
}

/**
 * The ECS cluster and, for each execution profile, a Fargate task definition
 * with its own task role, execution role, security group and log group. The
 * container runs as a non-root user on a read-only root filesystem with
 * writable scratch volumes, no Linux capabilities and no ECS Exec; its
 * security group allows HTTPS out and nothing in. Only headless profiles get
 * the API key (as an ECS secret) or Bedrock permissions.
 *
 * @example
 * const workers = new WorkerCluster(this, 'Workers', { profiles, network, image: image.containerImage, ... });
 * workers.bindLauncher(dispatcherFunction);
 */
export class WorkerCluster extends Construct {
  public readonly cluster: ecs.Cluster;
  public readonly profiles: ReadonlyMap<ExecutionProfile, WorkerProfile>;
  private readonly props: WorkerClusterProps;

  constructor(scope: Construct, id: string, props: WorkerClusterProps) {
    super(scope, id);
    if (props.profiles.length === 0) throw new Error('WorkerCluster: give at least one profile');
    for (const profile of props.profiles) {
      const cap = props.concurrency[profile];
      if (!Number.isInteger(cap) || cap < 1) throw new Error(`WorkerCluster: concurrency.${profile} must be a whole number of at least 1 (got ${cap})`);
    }
    if (props.idleExitSeconds < 10) throw new Error(`WorkerCluster: idleExitSeconds must be at least 10 (got ${props.idleExitSeconds})`);
    this.props = props;

    this.cluster = new ecs.Cluster(this, 'Cluster', {
      vpc: props.network.vpc,
      containerInsightsV2: ecs.ContainerInsights.ENABLED,
      // No executeCommandConfiguration: ECS Exec stays off (and no task role holds ssmmessages:*).
    });

    const apiKey = props.auth.mode === 'api-key' ? importSecret(this, 'ApiKeySecret', props.auth.apiKeySecret) : undefined;
    const profiles = new Map<ExecutionProfile, WorkerProfile>();
    for (const profile of props.profiles) profiles.set(profile, this.createProfile(profile, apiKey));
    this.profiles = profiles;
  }

  private createProfile(profile: ExecutionProfile, apiKey: secretsmanager.ISecret | undefined): WorkerProfile {
    const props = this.props;
    const scope = new Construct(this, profile);
    const size = props.taskSizes[profile];
    const servedWorkers = workersServedBy(profile, props.catalog);
    // A profile no worker can be sent to never fetches a workspace, calls a model nor gets the API key.
    const used = servedWorkers.length > 0;
    // Trust limited to ECS tasks of this account (confused-deputy protection).
    const ecsTasks = new iam.ServicePrincipal('ecs-tasks.amazonaws.com').withConditions({
      StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
    });
    const taskRole = new iam.Role(scope, 'TaskRole', {
      assumedBy: ecsTasks,
      description: `headless-workers ${profile} tasks: their own queues, the results store, the workspace sources${isHeadless(profile) && props.auth.mode === 'bedrock' ? ', Bedrock' : ''}`,
    });
    const executionRole = new iam.Role(scope, 'ExecutionRole', {
      assumedBy: ecsTasks,
      description: `headless-workers ${profile} tasks: pull the image, write logs${isHeadless(profile) && used && apiKey ? ', read the API key' : ''}`,
    });
    const securityGroup = new ec2.SecurityGroup(scope, 'SecurityGroup', {
      vpc: props.network.vpc,
      description: `headless-workers ${profile} tasks: no inbound, outbound HTTPS only`,
      allowAllOutbound: false,
    });
    // HTTPS is all a task needs: AWS APIs, git over https, the model API. DNS goes to
    // the VPC resolver, which security groups do not filter.
    securityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS to AWS APIs, git hosts and the model API');
    // Log groups (here and elsewhere in the stack) outlive `cdk destroy` until their retention
    // runs out: what a worker did stays reviewable after the stack is gone.
    const logGroup = new logs.LogGroup(scope, 'Logs', { retention: props.logRetention });

    const taskDefinition = new ecs.FargateTaskDefinition(scope, 'TaskDefinition', {
      family: `${Stack.of(this).stackName}-${profile}`,
      cpu: size.cpu,
      memoryLimitMiB: size.memoryMiB,
      taskRole,
      executionRole,
      runtimePlatform: {
        cpuArchitecture: props.architecture === 'arm64' ? ecs.CpuArchitecture.ARM64 : ecs.CpuArchitecture.X86_64,
        operatingSystemFamily: ecs.OperatingSystemFamily.LINUX,
      },
    });
    for (const name of Object.keys(WRITABLE_PATHS)) taskDefinition.addVolume({ name });

    Validations.of(executionRole).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'ecr:GetAuthorizationToken, which every image pull needs, has no resource to scope to; the pull itself is limited to the asset repository.',
    });

    const linuxParameters = new ecs.LinuxParameters(scope, 'LinuxParameters', { initProcessEnabled: true });
    linuxParameters.dropCapabilities(ecs.Capability.ALL);

    const headless = isHeadless(profile);
    const container = taskDefinition.addContainer(WORKER_CONTAINER_NAME, {
      image: props.image,
      essential: true,
      user: WORKER_USER,
      readonlyRootFilesystem: true,
      linuxParameters,
      // Fargate's maximum: time to stop Claude, requeue the message and exit after SIGTERM.
      stopTimeout: Duration.seconds(120),
      logging: ecs.LogDrivers.awsLogs({ logGroup, streamPrefix: profile }),
      environment: {
        [ENV.profile]: profile,
        [ENV.scratchDir]: WRITABLE_PATHS.scratch,
        [ENV.idleExitSeconds]: String(props.idleExitSeconds),
        [ENV.authMode]: props.auth.mode,
        [ENV.config]: props.runtimeConfigJson,
        ...(headless && props.auth.mode === 'bedrock' ? { CLAUDE_CODE_USE_BEDROCK: '1' } : {}),
      },
      // The key is resolved by ECS at task start from Secrets Manager: it never
      // appears in the task definition, and only headless profiles receive it.
      secrets: headless && used && apiKey ? { [API_KEY_VARIABLE]: ecs.Secret.fromSecretsManager(apiKey) } : undefined,
    });
    container.addMountPoints(
      ...Object.entries(WRITABLE_PATHS).map(([name, containerPath]) => ({ sourceVolume: name, containerPath, readOnly: false })),
    );
    Validations.of(taskDefinition).acknowledge({
      id: 'AwsSolutions-ECS2',
      reason:
        'The environment holds resource names, the profile and the non-secret user configuration only; ' +
        'the API key goes through ECS secrets (Secrets Manager), never a plain variable.',
    });

    // ECS reads the API key with the execution role: it needs the secret's KMS key too.
    if (headless && used && apiKey) this.grantSecretsKey(executionRole);
    const binding = containerBinding(container, taskRole);
    if (used) {
      this.grantWorkspaceSources(taskRole);
      if (headless && props.auth.mode === 'bedrock') this.grantBedrock(taskRole);
    }

    return {
      profile,
      taskDefinition,
      container,
      taskRole,
      executionRole,
      securityGroup,
      logGroup,
      binding,
      servedWorkers,
      readWorkers: used ? workersReadBy(profile, props.catalog) : [],
    };
  }

  /**
   * Read access to exactly the configured targets' snapshots and git tokens:
   * every worker analyses every target, so a profile that runs any worker
   * reads them all (one task serving one target is the open part of issue 11).
   */
  private grantWorkspaceSources(role: iam.Role): void {
    const sources = this.props.workspaceSources;
    if (sources.gitTokenSecretArns.length > 0) {
      const stack = Stack.of(this);
      const resources = sources.gitTokenSecretArns.map((secret) => secretGrantArn(secret, stack));
      role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [...new Set(resources)] }));
      this.grantSecretsKey(role);
    }
    if (sources.snapshotObjects.length > 0) {
      const partition = Stack.of(this).partition;
      role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          actions: ['s3:GetObject'],
          resources: [...new Set(sources.snapshotObjects.map((o) => `arn:${partition}:s3:::${o.bucket}/${o.key}`))],
        }),
      );
    }
  }

  /** kms:Decrypt on the secrets' customer-managed key, only when Secrets Manager asks for it in this region. */
  private grantSecretsKey(role: iam.IRole): void {
    const keyArn = this.props.workspaceSources.secretsKmsKeyArn;
    if (!keyArn) return;
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['kms:Decrypt'],
        resources: [keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${Stack.of(this).region}.amazonaws.com` } },
      }),
    );
  }

  /** Claude models on Bedrock: foundation models in any region (cross-region inference routes there) and this account's Anthropic inference profiles. */
  private grantBedrock(role: iam.Role): void {
    const stack = Stack.of(this);
    const foundationModels = `arn:${stack.partition}:bedrock:*::foundation-model/anthropic.*`;
    const inferenceProfiles = `arn:${stack.partition}:bedrock:*:${stack.account}:inference-profile/*.anthropic.*`;
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: [...BEDROCK_ACTIONS], resources: [foundationModels, inferenceProfiles] }));
    const reason =
      'Claude Code picks the model per worker (haiku, sonnet, opus and their dated ids); cross-region inference profiles ' +
      'route to foundation models in several regions. The grant is limited to Anthropic models and this account\'s profiles.';
    // The finding names the ARN as the template holds it: literals when the stack has an
    // account and region (`cdk deploy` always gives them), <AWS::Partition> and
    // <AWS::AccountId> when it is environment-agnostic. Acknowledge exactly that form.
    for (const arn of [foundationModels, inferenceProfiles]) {
      Validations.of(role).acknowledge({ id: `AwsSolutions-IAM5[Resource::${flattenCfnReference(stack.resolve(arn))}]`, reason });
    }
  }

  /** The profile's parts; throws for a profile that is not deployed. */
  public profileOf(profile: ExecutionProfile): WorkerProfile {
    const found = this.profiles.get(profile);
    if (!found) throw new Error(`WorkerCluster: profile "${profile}" is not deployed (deployed: ${[...this.profiles.keys()].join(', ')})`);
    return found;
  }

  /**
   * Lets the dispatcher start tasks: ecs:RunTask on exactly the task
   * definitions (in this cluster), iam:PassRole on exactly their task and
   * execution roles, tagging the tasks it creates, and listing/describing this
   * cluster's tasks to respect the concurrency caps. Sets the environment RunTask needs.
   */
  public bindLauncher(target: RuntimeBinding): void {
    const stack = Stack.of(this);
    const profiles = [...this.profiles.values()];
    const inCluster = { ArnEquals: { 'ecs:cluster': this.cluster.clusterArn } };
    iam.Grant.addToPrincipal({
      grantee: target.grantPrincipal,
      actions: ['ecs:RunTask'],
      resourceArns: profiles.map((p) => p.taskDefinition.taskDefinitionArn),
      conditions: inCluster,
    });
    iam.Grant.addToPrincipal({
      grantee: target.grantPrincipal,
      actions: ['iam:PassRole'],
      resourceArns: profiles.flatMap((p) => [p.taskRole.roleArn, p.executionRole.roleArn]),
      conditions: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
    });
    // Counting running tasks: ListTasks takes no task resource, so both go on "*" limited to this cluster.
    iam.Grant.addToPrincipal({
      grantee: target.grantPrincipal,
      actions: ['ecs:ListTasks', 'ecs:DescribeTasks'],
      resourceArns: ['*'],
      conditions: inCluster,
    });
    acknowledgeOnPrincipal(
      target.grantPrincipal,
      'AwsSolutions-IAM5[Resource::*]',
      'Task ARNs are not known before RunTask creates them: ecs:ListTasks/DescribeTasks are limited to this cluster by the ecs:cluster condition.',
    );

    const byProfile = <T>(value: (p: WorkerProfile) => T) => stack.toJsonString(Object.fromEntries(profiles.map((p) => [p.profile, value(p)])));
    target.addEnvironment(ENV.clusterArn, this.cluster.clusterArn);
    target.addEnvironment(ENV.taskDefinitions, byProfile((p) => p.taskDefinition.taskDefinitionArn));
    target.addEnvironment(ENV.securityGroups, byProfile((p) => p.securityGroup.securityGroupId));
    target.addEnvironment(ENV.concurrency, JSON.stringify(Object.fromEntries(profiles.map((p) => [p.profile, this.props.concurrency[p.profile]]))));
    target.addEnvironment(ENV.subnets, this.props.network.subnetIds.join(','));
    target.addEnvironment(ENV.assignPublicIp, this.props.network.assignPublicIp ? 'ENABLED' : 'DISABLED');
    target.addEnvironment(ENV.containerName, WORKER_CONTAINER_NAME);
  }
}
