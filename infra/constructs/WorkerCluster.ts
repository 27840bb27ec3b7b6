import { Aws, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js';
import { Construct } from 'constructs';
import type { ExecutionProfile, WorkerDefinition } from '../../workers/catalog/index.js';
import { ENV, laneNames, WORKER_CONTAINER_NAME, workersReadBy, workersServedBy } from '../../workers/cloud/index.js';
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

/** Where one target's workspace is fetched from: only that target's task roles may read it. */
export interface TargetSource {
  readonly name: string;
  /** Secrets Manager secret of its git token: a name, a complete ARN or an ARN without the random suffix. */
  readonly gitTokenSecret?: string;
  /** Its S3 snapshot object. */
  readonly snapshotObject?: { readonly bucket: string; readonly key: string };
}

/** The configured targets: each gets its own lane (task definition and task role) in every profile. */
export interface WorkspaceSources {
  readonly targets: readonly TargetSource[];
  /** Customer-managed KMS key of the secrets (git tokens, API key), if any: readers get kms:Decrypt through Secrets Manager. */
  readonly secretsKmsKeyArn?: string;
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

/** One lane: the task definition and task role of a profile's tasks on one target. */
export interface WorkerLane {
  readonly profile: ExecutionProfile;
  readonly target: string;
  readonly taskDefinition: ecs.FargateTaskDefinition;
  readonly container: ecs.ContainerDefinition;
  /** Reaches this target's queues, token, snapshot, runs, findings and outputs only. */
  readonly taskRole: iam.Role;
  /** Grants to the lane's task role, settings to its container environment. */
  readonly binding: RuntimeBinding;
}

/** Everything that makes up one execution profile's tasks: shared parts and one lane per target. */
export interface WorkerProfile {
  readonly profile: ExecutionProfile;
  /** One per target. */
  readonly lanes: ReadonlyMap<string, WorkerLane>;
  readonly executionRole: iam.Role;
  readonly securityGroup: ec2.SecurityGroup;
  readonly logGroup: logs.LogGroup;
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
    const servedWorkers = workersServedBy(profile, props.catalog);
    // A profile no worker can be sent to never fetches a workspace, calls a model nor gets the API key.
    const used = servedWorkers.length > 0;
    // Trust limited to ECS tasks of this account (confused-deputy protection).
    const ecsTasks = new iam.ServicePrincipal('ecs-tasks.amazonaws.com').withConditions({
      StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
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

    Validations.of(executionRole).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'ecr:GetAuthorizationToken, which every image pull needs, has no resource to scope to; the pull itself is limited to the asset repository.',
    });
    const headless = isHeadless(profile);
    // ECS reads the API key with the execution role: it needs the secret's KMS key too.
    if (headless && used && apiKey) this.grantSecretsKey(executionRole);

    const lanes = new Map<string, WorkerLane>();
    for (const source of props.workspaceSources.targets) {
      lanes.set(source.name, this.createLane({ profile, source, scope, used, apiKey, executionRole, logGroup, ecsTasks }));
    }
    return {
      profile,
      lanes,
      executionRole,
      securityGroup,
      logGroup,
      servedWorkers,
      readWorkers: used ? workersReadBy(profile, props.catalog) : [],
    };
  }

  /**
   * One lane: the task definition and task role of a profile's tasks on one
   * target. The role reaches that target's workspace source only (the
   * queues and store grant theirs per lane too); the container knows its
   * target (HW_TARGET) and refuses messages of another.
   */
  private createLane(input: {
    readonly profile: ExecutionProfile;
    readonly source: TargetSource;
    readonly scope: Construct;
    readonly used: boolean;
    readonly apiKey: secretsmanager.ISecret | undefined;
    readonly executionRole: iam.Role;
    readonly logGroup: logs.LogGroup;
    readonly ecsTasks: iam.IPrincipal;
  }): WorkerLane {
    const props = this.props;
    const { profile, source, used, apiKey } = input;
    const target = source.name;
    const scope = new Construct(input.scope, `lane-${target}`);
    const size = props.taskSizes[profile];
    const headless = isHeadless(profile);
    const taskRole = new iam.Role(scope, 'TaskRole', {
      assumedBy: input.ecsTasks,
      description: `headless-workers ${profile} tasks on ${target}: their own queues, ${target}'s runs, findings, outputs and workspace source${headless && props.auth.mode === 'bedrock' ? ', Bedrock' : ''}`,
    });
    const taskDefinition = new ecs.FargateTaskDefinition(scope, 'TaskDefinition', {
      family: laneNames(Stack.of(this).stackName, profile, target).taskFamily,
      cpu: size.cpu,
      memoryLimitMiB: size.memoryMiB,
      taskRole,
      executionRole: input.executionRole,
      runtimePlatform: {
        cpuArchitecture: props.architecture === 'arm64' ? ecs.CpuArchitecture.ARM64 : ecs.CpuArchitecture.X86_64,
        operatingSystemFamily: ecs.OperatingSystemFamily.LINUX,
      },
    });
    for (const name of Object.keys(WRITABLE_PATHS)) taskDefinition.addVolume({ name });

    const linuxParameters = new ecs.LinuxParameters(scope, 'LinuxParameters', { initProcessEnabled: true });
    linuxParameters.dropCapabilities(ecs.Capability.ALL);

    const container = taskDefinition.addContainer(WORKER_CONTAINER_NAME, {
      image: props.image,
      essential: true,
      user: WORKER_USER,
      readonlyRootFilesystem: true,
      linuxParameters,
      // Fargate's maximum: time to stop Claude, requeue the message and exit after SIGTERM.
      stopTimeout: Duration.seconds(120),
      logging: ecs.LogDrivers.awsLogs({ logGroup: input.logGroup, streamPrefix: `${profile}-${target}` }),
      environment: {
        [ENV.profile]: profile,
        [ENV.target]: target,
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
        'The environment holds resource names, the profile, the target and the non-secret user configuration only; ' +
        'the API key goes through ECS secrets (Secrets Manager), never a plain variable.',
    });

    if (used) {
      this.grantWorkspaceSource(taskRole, source);
      if (headless && props.auth.mode === 'bedrock') this.grantBedrock(taskRole);
    }
    return { profile, target, taskDefinition, container, taskRole, binding: containerBinding(container, taskRole) };
  }

  /** Read access to exactly one target's snapshot and git token: a lane's tasks never reach another target's. */
  private grantWorkspaceSource(role: iam.Role, source: TargetSource): void {
    if (source.gitTokenSecret) {
      role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [secretGrantArn(source.gitTokenSecret, Stack.of(this))] }));
      this.grantSecretsKey(role);
    }
    if (source.snapshotObject) {
      const { bucket, key } = source.snapshotObject;
      role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [`arn:${Stack.of(this).partition}:s3:::${bucket}/${key}`] }));
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

  /** A lane's parts (a profile on a target); throws for one that is not deployed. */
  public laneOf(profile: ExecutionProfile, target: string): WorkerLane {
    const lane = this.profileOf(profile).lanes.get(target);
    if (!lane) throw new Error(`WorkerCluster: no lane for target "${target}" in profile "${profile}" (targets: ${[...this.profileOf(profile).lanes.keys()].join(', ') || 'none'})`);
    return lane;
  }

  /**
   * Lets the dispatcher start tasks: ecs:RunTask on exactly the lanes' task
   * definitions (in this cluster; it starts them by family, derived from the
   * stack name like the queues), iam:PassRole on exactly their task and
   * execution roles, tagging the tasks it creates, and listing/describing this
   * cluster's tasks to respect the concurrency caps. Sets the environment RunTask needs.
   */
  public bindLauncher(target: RuntimeBinding): void {
    const stack = Stack.of(this);
    const profiles = [...this.profiles.values()];
    const lanes = profiles.flatMap((p) => [...p.lanes.values()]);
    const inCluster = { ArnEquals: { 'ecs:cluster': this.cluster.clusterArn } };
    iam.Grant.addToPrincipal({
      grantee: target.grantPrincipal,
      actions: ['ecs:RunTask'],
      resourceArns: lanes.map((lane) => lane.taskDefinition.taskDefinitionArn),
      conditions: inCluster,
    });
    iam.Grant.addToPrincipal({
      grantee: target.grantPrincipal,
      actions: ['iam:PassRole'],
      resourceArns: [...lanes.map((lane) => lane.taskRole.roleArn), ...profiles.map((p) => p.executionRole.roleArn)],
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
    target.addEnvironment(ENV.securityGroups, byProfile((p) => p.securityGroup.securityGroupId));
    target.addEnvironment(ENV.concurrency, JSON.stringify(Object.fromEntries(profiles.map((p) => [p.profile, this.props.concurrency[p.profile]]))));
    target.addEnvironment(ENV.subnets, this.props.network.subnetIds.join(','));
    target.addEnvironment(ENV.assignPublicIp, this.props.network.assignPublicIp ? 'ENABLED' : 'DISABLED');
    target.addEnvironment(ENV.containerName, WORKER_CONTAINER_NAME);
  }
}
