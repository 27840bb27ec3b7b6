import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_KEY_VARIABLE, WORKER_USER } from '../../infra/constructs/WorkerCluster.js';
import type { ExecutionProfile } from '../../workers/catalog/index.js';
import { PRIORITIES } from '../../workers/catalog/index.js';
import { ENV, WORKER_CONTAINER_NAME } from '../../workers/cloud/index.js';
import {
  buildStack,
  containerEnvironment,
  logicalIdOf,
  managedPoliciesOfRole,
  ONE_TARGET,
  renderValue,
  resourcesOf,
  statementsOfRole,
  type BuiltStack,
} from './helpers/buildStack.js';

const TOKEN_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:git-token-AbCdEf';
const TARGETS = {
  targets: [
    { name: 'api', git: { url: 'https://github.com/example/api.git', branch: 'main', tokenSecretArn: TOKEN_ARN } },
    { name: 'web', s3: { bucket: 'example-snapshots', key: 'web/latest.tar.gz' } },
  ],
};

function taskDefinitionOf(built: BuiltStack, profile: ExecutionProfile) {
  return resourcesOf(built.template(), 'AWS::ECS::TaskDefinition')[logicalIdOf(built.stack, built.stack.workers.laneOf(profile, 'api').taskDefinition)]!;
}

function containerOf(built: BuiltStack, profile: ExecutionProfile): Record<string, any> {
  return taskDefinitionOf(built, profile).Properties.ContainerDefinitions[0];
}

/** Statements in a stable order, to compare policies regardless of the order grants were made in. */
const sorted = (statements: Record<string, any>[]) => [...statements].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

const ref = (built: BuiltStack, construct: { node: { defaultChild?: unknown } }) => ({ Ref: logicalIdOf(built.stack, construct) });
const arnOf = (built: BuiltStack, construct: { node: { defaultChild?: unknown } }) => ({ 'Fn::GetAtt': [logicalIdOf(built.stack, construct), 'Arn'] });

describe('worker cluster', () => {
  let apiKey: BuiltStack;
  let bedrock: BuiltStack;
  let optedIn: BuiltStack;

  beforeAll(() => {
    apiKey = buildStack({ config: TARGETS, deploy: { auth: { mode: 'api-key', apiKeySecret: 'team/anthropic' } } });
    bedrock = buildStack({ deploy: { auth: { mode: 'bedrock' } } });
    optedIn = buildStack({
      config: { ...ONE_TARGET, allowDisabledSandbox: true },
      deploy: {
        tasks: { strict: { cpu: 512, memoryMiB: 2048 } },
        concurrency: { permissive: 5 },
        vpc: { mode: 'import', vpcId: 'vpc-0123456789abcdef0', subnetIds: ['subnet-0aaaaaaaaaaaaaaaa', 'subnet-0bbbbbbbbbbbbbbbb'], assignPublicIp: true },
        workerArchitecture: 'x86_64',
      },
    });
  });
  afterAll(() => [apiKey, bedrock, optedIn].forEach((built) => built?.dispose()));

  it('has an execution role and security group per profile, and a task definition and task role per profile and target', () => {
    const template = apiKey.template();
    expect(Object.values(resourcesOf(template, 'AWS::ECS::TaskDefinition')).map((td) => td.Properties.Family).sort()).toEqual(
      ['local', 'permissive', 'strict'].flatMap((p) => [`HeadlessWorkers-${p}-api`, `HeadlessWorkers-${p}-web`]),
    );
    expect(Object.keys(resourcesOf(template, 'AWS::EC2::SecurityGroup'))).toHaveLength(3);
    const roles = new Set<string>();
    for (const profile of ['local', 'strict', 'permissive'] as const) {
      const parts = apiKey.stack.workers.profileOf(profile);
      roles.add(logicalIdOf(apiKey.stack, parts.executionRole));
      for (const target of ['api', 'web']) {
        const lane = apiKey.stack.workers.laneOf(profile, target);
        const td = resourcesOf(template, 'AWS::ECS::TaskDefinition')[logicalIdOf(apiKey.stack, lane.taskDefinition)]!.Properties;
        expect(td.TaskRoleArn).toEqual(arnOf(apiKey, lane.taskRole));
        expect(td.ExecutionRoleArn).toEqual(arnOf(apiKey, parts.executionRole));
        expect(containerEnvironment({ Properties: td } as never)[ENV.target]).toBe(target);
        roles.add(logicalIdOf(apiKey.stack, lane.taskRole));
      }
    }
    expect(roles.size).toBe(3 + 6);
  });

  it("deploys the 'disabled' profile only when the config opts in", () => {
    expect(apiKey.stack.workers.profiles.has('disabled')).toBe(false);
    expect([...optedIn.stack.workers.profiles.keys()]).toEqual(['local', 'strict', 'permissive', 'disabled']);
    expect(Object.keys(resourcesOf(optedIn.template(), 'AWS::ECS::TaskDefinition'))).toHaveLength(4);
    expect(Object.keys(resourcesOf(optedIn.template(), 'AWS::EC2::SecurityGroup'))).toHaveLength(4);
  });

  // Each task role's grants, store and workspace sources included, are enumerated in taskRoleCapabilities.test.ts.

  it('lets every task role put finding events on exactly the configured bus, and sets the bus in its environment', () => {
    // prepare
    const withBus = buildStack({ config: TARGETS, deploy: { auth: { mode: 'api-key', apiKeySecret: 'team/anthropic' }, findingsEventBus: 'security-findings' } });
    try {
      const busArn = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':events:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':event-bus/security-findings']] };
      for (const profile of ['local', 'strict', 'permissive'] as const) {
        // act
        const statements = statementsOfRole(withBus, withBus.stack.workers.laneOf(profile, 'api').taskRole);
        // assess
        expect(statements.filter((s) => JSON.stringify(s.Action).includes('events:')), profile).toEqual([
          { Action: 'events:PutEvents', Condition: { StringEquals: { 'events:source': 'headless-workers' } }, Effect: 'Allow', Resource: busArn },
        ]);
        expect(containerEnvironment(taskDefinitionOf(withBus, profile))[ENV.findingsEventBus], profile).toBe('security-findings');
      }
      expect(JSON.stringify(statementsOfRole(withBus, withBus.stack.dispatcher.function.role!))).not.toContain('events:PutEvents');
    } finally {
      withBus.dispose();
    }
  });

  it('gives no events permission and no bus variable when no bus is configured', () => {
    for (const profile of ['local', 'strict', 'permissive'] as const) {
      expect(JSON.stringify(statementsOfRole(apiKey, apiKey.stack.workers.laneOf(profile, 'api').taskRole))).not.toContain('events:');
      expect(containerEnvironment(taskDefinitionOf(apiKey, profile))[ENV.findingsEventBus]).toBeUndefined();
    }
  });

  it('gives Bedrock permissions to headless profiles only, and no key at all in Bedrock mode', () => {
    const template = bedrock.template();
    for (const profile of ['local', 'strict', 'permissive'] as const) {
      const parts = bedrock.stack.workers.profileOf(profile);
      const taskActions = JSON.stringify(statementsOfRole(bedrock, bedrock.stack.workers.laneOf(profile, 'api').taskRole));
      expect(taskActions.includes('bedrock:'), profile).toBe(profile !== 'local');
      expect(JSON.stringify(statementsOfRole(bedrock, parts.executionRole))).not.toContain('secretsmanager');
      expect(containerOf(bedrock, profile).Secrets, profile).toBeUndefined();
      expect(containerEnvironment(taskDefinitionOf(bedrock, profile)).CLAUDE_CODE_USE_BEDROCK, profile).toBe(profile === 'local' ? undefined : '1');
      expect(containerEnvironment(taskDefinitionOf(bedrock, profile))[ENV.authMode]).toBe('bedrock');
    }
    expect(JSON.stringify(template.toJSON())).not.toContain('anthropic-api-key');
  });

  it('hands the API key to headless profiles through ECS secrets only, never as a plain variable', () => {
    const secretArn = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':secretsmanager:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':secret:team/anthropic']] };
    for (const profile of ['local', 'strict', 'permissive'] as const) {
      const container = containerOf(apiKey, profile);
      const environment = JSON.stringify(container.Environment);
      expect(environment).not.toContain(API_KEY_VARIABLE);
      expect(environment).not.toContain('team/anthropic');
      const executionStatements = statementsOfRole(apiKey, apiKey.stack.workers.profileOf(profile).executionRole);
      if (profile === 'local') {
        expect(container.Secrets).toBeUndefined();
        expect(JSON.stringify(executionStatements)).not.toContain('secretsmanager');
      } else {
        expect(container.Secrets).toEqual([{ Name: API_KEY_VARIABLE, ValueFrom: secretArn }]);
        expect(executionStatements).toContainEqual({
          Action: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'],
          Effect: 'Allow',
          Resource: { 'Fn::Join': ['', [...secretArn['Fn::Join'][1]!.slice(0, -1), ':secret:team/anthropic-??????']] },
        });
      }
      // The task role (what the model's tools run with) never reads the key.
      expect(JSON.stringify(statementsOfRole(apiKey, apiKey.stack.workers.laneOf(profile, 'api').taskRole))).not.toContain('team/anthropic');
      expect(containerEnvironment(taskDefinitionOf(apiKey, profile))[ENV.authMode]).toBe('api-key');
    }
    const fn = Object.values(resourcesOf(apiKey.template(), 'AWS::Lambda::Function'))[0]!;
    expect(JSON.stringify(fn.Properties.Environment)).not.toContain('team/anthropic');
  });

  it('runs the container as a non-root user on a read-only root filesystem, with writable volumes and no capabilities', () => {
    for (const profile of ['local', 'strict', 'permissive'] as const) {
      const container = containerOf(apiKey, profile);
      expect(container.Name).toBe(WORKER_CONTAINER_NAME);
      expect(container.ReadonlyRootFilesystem).toBe(true);
      expect(container.User).toBe(WORKER_USER);
      expect(container.User).not.toMatch(/^(0|root)(:|$)/);
      expect(container.Privileged).toBeUndefined();
      expect(container.LinuxParameters).toEqual({ Capabilities: { Drop: ['ALL'] }, InitProcessEnabled: true });
      expect(container.MountPoints).toEqual([
        { ContainerPath: '/scratch', ReadOnly: false, SourceVolume: 'scratch' },
        { ContainerPath: '/tmp', ReadOnly: false, SourceVolume: 'tmp' },
        { ContainerPath: '/home/worker', ReadOnly: false, SourceVolume: 'home' },
      ]);
      expect(container.StopTimeout).toBe(120);
      expect(containerEnvironment(taskDefinitionOf(apiKey, profile))).toMatchObject({ [ENV.profile]: profile, [ENV.scratchDir]: '/scratch', [ENV.idleExitSeconds]: '120' });
    }
  });

  it('leaves ECS Exec off: no exec configuration on the cluster and no ssmmessages permission anywhere', () => {
    const template = apiKey.template();
    const cluster = Object.values(resourcesOf(template, 'AWS::ECS::Cluster'))[0]!;
    expect(cluster.Properties.Configuration).toBeUndefined();
    expect(cluster.Properties.ClusterSettings).toEqual([{ Name: 'containerInsights', Value: 'enabled' }]);
    expect(JSON.stringify(resourcesOf(template, 'AWS::IAM::Policy'))).not.toContain('ssmmessages');
  });

  it('lets tasks out on HTTPS only and nothing in', () => {
    const groups = Object.values(resourcesOf(apiKey.template(), 'AWS::EC2::SecurityGroup'));
    expect(groups).toHaveLength(3);
    for (const group of groups) {
      expect(group.Properties.SecurityGroupEgress).toEqual([
        { CidrIp: '0.0.0.0/0', Description: 'HTTPS to AWS APIs, git hosts and the model API', FromPort: 443, IpProtocol: 'tcp', ToPort: 443 },
      ]);
      expect(group.Properties.SecurityGroupIngress).toBeUndefined();
    }
    expect(Object.keys(apiKey.template().findResources('AWS::EC2::SecurityGroupIngress'))).toHaveLength(0);
  });

  it('sizes each profile, defaults and overrides, on the chosen architecture', () => {
    const sizes = (built: BuiltStack, profile: ExecutionProfile) => {
      const props = taskDefinitionOf(built, profile).Properties;
      return [props.Cpu, props.Memory, props.RuntimePlatform.CpuArchitecture];
    };
    expect(sizes(apiKey, 'local')).toEqual(['512', '1024', 'ARM64']);
    expect(sizes(apiKey, 'strict')).toEqual(['1024', '2048', 'ARM64']);
    expect(sizes(apiKey, 'permissive')).toEqual(['2048', '4096', 'ARM64']);
    expect(sizes(optedIn, 'strict')).toEqual(['512', '2048', 'X86_64']);
    expect(sizes(optedIn, 'disabled')).toEqual(['2048', '4096', 'X86_64']);
  });

  it('logs each profile to its own group with the configured retention', () => {
    for (const profile of ['local', 'strict', 'permissive'] as const) {
      const logConfiguration = containerOf(apiKey, profile).LogConfiguration;
      const groupId = logicalIdOf(apiKey.stack, apiKey.stack.workers.profileOf(profile).logGroup);
      expect(logConfiguration.LogDriver).toBe('awslogs');
      expect(logConfiguration.Options['awslogs-group']).toEqual({ Ref: groupId });
      expect(resourcesOf(apiKey.template(), 'AWS::Logs::LogGroup')[groupId]!.Properties.RetentionInDays).toBe(30);
    }
  });

  it('lets the dispatcher start exactly these task definitions and pass exactly their roles, and send to the queues', () => {
    const built = apiKey;
    const { stack } = built;
    const profiles = ['local', 'permissive', 'strict'] as const;
    const cluster = arnOf(built, stack.workers.cluster);
    const table = arnOf(built, stack.results.table);
    // The queues by the stack's name pattern: one ARN per priority, however many targets (lanes) there are.
    const queuesNamed = (pattern: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sqs:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, `:HeadlessWorkers-${pattern}`]] });
    const queueArns = [...PRIORITIES].sort().map((p) => queuesNamed(`*-${p}`));
    const deadLetterArns = queuesNamed('*-dlq');
    expect(sorted(statementsOfRole(built, stack.dispatcher.role))).toEqual(sorted([
      { Action: 'sqs:GetQueueAttributes', Effect: 'Allow', Resource: deadLetterArns },
      { Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Effect: 'Allow', Resource: arnOf(built, stack.dispatcher.logGroup) },
      { Action: ['sqs:GetQueueAttributes', 'sqs:SendMessage'], Effect: 'Allow', Resource: queueArns },
      {
        Action: ['dynamodb:BatchGetItem', 'dynamodb:BatchWriteItem', 'dynamodb:ConditionCheckItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem'],
        Effect: 'Allow',
        Resource: [table, { 'Fn::Join': ['', [table, '/index/byStatus']] }, { 'Fn::Join': ['', [table, '/index/byWorker']] }],
      },
      { Action: 's3:GetObject', Effect: 'Allow', Resource: { 'Fn::Join': ['', [arnOf(built, stack.results.bucket), '/outputs/*/*.json']] } },
      {
        Action: 'ecs:RunTask',
        Condition: { ArnEquals: { 'ecs:cluster': cluster } },
        Effect: 'Allow',
        Resource: profiles.flatMap((p) => ['api', 'web'].map((t) => ref(built, stack.workers.laneOf(p, t).taskDefinition))),
      },
      {
        Action: 'iam:PassRole',
        Condition: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
        Effect: 'Allow',
        Resource: [...profiles.flatMap((p) => ['api', 'web'].map((t) => arnOf(built, stack.workers.laneOf(p, t).taskRole))), ...profiles.map((p) => arnOf(built, stack.workers.profileOf(p).executionRole))].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
      },
      { Action: ['ecs:DescribeTasks', 'ecs:ListTasks'], Condition: { ArnEquals: { 'ecs:cluster': cluster } }, Effect: 'Allow', Resource: '*' },
    ]));
    expect(managedPoliciesOfRole(built, stack.dispatcher.role)).toBeUndefined();
  });

  it('tells the dispatcher how to run tasks: definitions, cluster, subnets, security groups, caps, the config', () => {
    const fn = Object.values(resourcesOf(optedIn.template(), 'AWS::Lambda::Function'))[0]!;
    const env = Object.fromEntries(Object.entries(fn.Properties.Environment.Variables as Record<string, unknown>).map(([k, v]) => [k, renderValue(v)]));
    const profiles = ['local', 'strict', 'permissive', 'disabled'] as const;
    const parts = (p: ExecutionProfile) => optedIn.stack.workers.profileOf(p);
    // No list of task definitions: the dispatcher starts a lane's family, named after the stack (see lanesOf).
    expect(env[ENV.namePrefix]).toBe('HeadlessWorkers');
    for (const p of profiles) expect(taskDefinitionOf(optedIn, p).Properties.Family).toBe(`HeadlessWorkers-${p}-api`);
    expect(JSON.parse(env[ENV.securityGroups]!)).toEqual(
      Object.fromEntries(profiles.map((p) => [p, `\${${logicalIdOf(optedIn.stack, parts(p).securityGroup)}.GroupId}`])),
    );
    expect(JSON.parse(env[ENV.concurrency]!)).toEqual({ local: 2, strict: 2, permissive: 5, disabled: 1 });
    expect(env[ENV.clusterArn]).toBe(`\${${logicalIdOf(optedIn.stack, optedIn.stack.workers.cluster)}.Arn}`);
    expect(env[ENV.subnets]).toBe('subnet-0aaaaaaaaaaaaaaaa,subnet-0bbbbbbbbbbbbbbbb');
    expect(env[ENV.assignPublicIp]).toBe('ENABLED');
    expect(env[ENV.containerName]).toBe(WORKER_CONTAINER_NAME);
    expect(JSON.parse(env[ENV.config]!)).toEqual({ ...ONE_TARGET, allowDisabledSandbox: true });
    expect(containerEnvironment(taskDefinitionOf(optedIn, 'strict'))[ENV.config]).toBe(env[ENV.config]);
  });

  it('runs the dispatcher on the current Node.js runtime, arm64, with log retention', () => {
    const template = apiKey.template();
    const fn = Object.values(resourcesOf(template, 'AWS::Lambda::Function'))[0]!;
    expect(fn.Properties.Runtime).toBe('nodejs24.x');
    expect(fn.Properties.Architectures).toEqual(['arm64']);
    expect(fn.Properties.LoggingConfig).toEqual({ LogFormat: 'JSON', LogGroup: { Ref: logicalIdOf(apiKey.stack, apiKey.stack.dispatcher.logGroup) } });
    expect(resourcesOf(template, 'AWS::Logs::LogGroup')[logicalIdOf(apiKey.stack, apiKey.stack.dispatcher.logGroup)]!.Properties.RetentionInDays).toBe(30);
  });

  it('runs tasks in public subnets with a public IP by default, in an imported VPC when asked', () => {
    const fn = Object.values(resourcesOf(apiKey.template(), 'AWS::Lambda::Function'))[0]!;
    expect(renderValue(fn.Properties.Environment.Variables[ENV.assignPublicIp])).toBe('ENABLED');
    expect(renderValue(fn.Properties.Environment.Variables[ENV.subnets])).toMatch(/^\$\{NetworkVpcpublicSubnet1Subnet\w+\},\$\{NetworkVpcpublicSubnet2Subnet\w+\}$/);
    expect(Object.keys(apiKey.template().findResources('AWS::EC2::NatGateway'))).toHaveLength(0);
    expect(Object.keys(optedIn.template().findResources('AWS::EC2::VPC'))).toHaveLength(0);
    for (const group of Object.values(resourcesOf(optedIn.template(), 'AWS::EC2::SecurityGroup'))) expect(group.Properties.VpcId).toBe('vpc-0123456789abcdef0');
  });
});
