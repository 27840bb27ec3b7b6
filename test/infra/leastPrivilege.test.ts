import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExecutionProfile } from '../../workers/catalog/index.js';
import { buildStack, logicalIdOf, renderValue, resourcesOf, type BuiltStack } from './helpers/buildStack.js';

const TOKEN_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:git-token-AbCdEf';
const TARGETS = [
  { name: 'api', git: { url: 'https://github.com/example/api.git', branch: 'main', tokenSecretArn: TOKEN_ARN } },
  { name: 'web', s3: { bucket: 'example-snapshots', key: 'web/latest.tar.gz' } },
];
const API_KEY = { auth: { mode: 'api-key', apiKeySecret: 'team/anthropic' } };
const BUS = 'security-findings';

/** Actions that may stand on `*` because AWS gives them no resource to scope to; none writes. */
const STAR_ALLOWED = ['ecr:GetAuthorizationToken', 'ecs:DescribeTasks', 'ecs:ListTasks'];

type Policy = Record<string, any>;
/** action → the resources it is allowed on, each with its condition when there is one. */
type Grants = Record<string, string[]>;

/** Every role of the template with the statements of its inline policies, by logical id. */
function roleStatements(built: BuiltStack): Map<string, Policy[]> {
  const template = built.template();
  const byRole = new Map<string, Policy[]>();
  for (const id of Object.keys(resourcesOf(template, 'AWS::IAM::Role'))) byRole.set(id, []);
  for (const policy of Object.values(resourcesOf(template, 'AWS::IAM::Policy'))) {
    for (const role of policy.Properties.Roles as { Ref: string }[]) byRole.get(role.Ref)!.push(...(policy.Properties.PolicyDocument.Statement as Policy[]));
  }
  return byRole;
}

const list = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);
const renderDeep = (value: unknown): unknown =>
  typeof value !== 'object' || value === null
    ? value
    : Array.isArray(value)
      ? value.map(renderDeep)
      : 'Ref' in value || 'Fn::GetAtt' in value || 'Fn::Join' in value
        ? renderValue(value)
        : Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renderDeep(v)]));

/** The Allow statements of a role as action → resources, conditions rendered after an "if". */
function grantsOf(statements: readonly Policy[]): Grants {
  const grants: Grants = {};
  for (const statement of statements) {
    expect(statement.Effect).toBe('Allow');
    const condition = statement.Condition ? ` if ${JSON.stringify(renderDeep(statement.Condition))}` : '';
    for (const action of list(statement.Action as string | string[])) {
      grants[action] = [...(grants[action] ?? []), ...list(statement.Resource).map((r) => `${renderValue(r)}${condition}`)].sort();
    }
  }
  return grants;
}

/** `${LogicalId.Arn}` of a construct, as `renderValue` writes it. */
const arnOf = (built: BuiltStack, construct: { node: { defaultChild?: unknown } }) => `\${${logicalIdOf(built.stack, construct)}.Arn}`;

interface Deployment {
  readonly bedrock: boolean;
  readonly bus: boolean;
}

describe('least privilege and nothing public in the synthesized stack', () => {
  const deployments: Record<string, { built?: BuiltStack; deployment: Deployment; profiles: ExecutionProfile[] }> = {
    'api-key, with a findings bus': { deployment: { bedrock: false, bus: true }, profiles: ['local', 'strict', 'permissive'] },
    bedrock: { deployment: { bedrock: true, bus: false }, profiles: ['local', 'strict', 'permissive'] },
    "api-key, 'disabled' opted in": { deployment: { bedrock: false, bus: false }, profiles: ['local', 'strict', 'permissive', 'disabled'] },
  };

  beforeAll(() => {
    deployments['api-key, with a findings bus']!.built = buildStack({ config: { targets: TARGETS }, deploy: { ...API_KEY, findingsEventBus: BUS } });
    deployments.bedrock!.built = buildStack({ config: { targets: TARGETS }, deploy: { auth: { mode: 'bedrock' } } });
    deployments["api-key, 'disabled' opted in"]!.built = buildStack({ config: { targets: TARGETS, allowDisabledSandbox: true }, deploy: API_KEY });
  });
  afterAll(() => Object.values(deployments).forEach(({ built }) => built?.dispose()));

  const each = Object.entries(deployments);

  // What each task role may do is enumerated in taskRoleCapabilities.test.ts.

  it.each(each)('%s: each execution role pulls the image, writes its own logs and reads the API key only where a headless task needs it', (_name, { built, deployment, profiles }) => {
    const statements = roleStatements(built!);
    for (const profile of profiles) {
      const parts = built!.stack.workers.profileOf(profile);
      const grants = grantsOf(statements.get(logicalIdOf(built!.stack, parts.executionRole))!);
      // A profile no worker uses ('disabled' here: no worker of the built-in catalog has that sandbox) gets no key.
      const keyReader = profile !== 'local' && parts.servedWorkers.length > 0 && !deployment.bedrock;
      expect(Object.keys(grants).sort(), profile).toEqual([
        'ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetAuthorizationToken', 'ecr:GetDownloadUrlForLayer',
        'logs:CreateLogStream', 'logs:PutLogEvents',
        ...(keyReader ? ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'] : []),
      ].sort());
      for (const pull of ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer']) {
        expect(grants[pull]).toEqual([expect.stringMatching(/:ecr:\$\{AWS::Region\}:\$\{AWS::AccountId\}:repository\/cdk-\w+-container-assets-/)]);
      }
      expect(grants['ecr:GetAuthorizationToken']).toEqual(['*']);
      expect(grants['logs:PutLogEvents']).toEqual([arnOf(built!, parts.logGroup)]);
      if (keyReader) expect(grants['secretsmanager:GetSecretValue']).toEqual([expect.stringMatching(/:secret:team\/anthropic-\?{6}$/)]);
    }
  });

  it.each(each)('%s: the dispatcher may pass only the task and execution roles, only to ECS tasks', (_name, { built, profiles }) => {
    const statements = roleStatements(built!);
    const passers = [...statements].filter(([, s]) => s.some((statement) => list(statement.Action).includes('iam:PassRole'))).map(([id]) => id);
    expect(passers).toEqual([logicalIdOf(built!.stack, built!.stack.dispatcher.role)]);
    const roles = profiles.flatMap((p) => [...TARGETS.map((t) => built!.stack.workers.laneOf(p, t.name).taskRole), built!.stack.workers.profileOf(p).executionRole]);
    expect(grantsOf(statements.get(passers[0]!)!)['iam:PassRole']).toEqual(
      roles.map((role) => `${arnOf(built!, role)} if {"StringEquals":{"iam:PassedToService":"ecs-tasks.amazonaws.com"}}`).sort(),
    );
  });

  it.each(each)('%s: no role anywhere has a wildcard action, a managed policy, or a write action on "*"', (_name, { built }) => {
    const roles = resourcesOf(built!.template(), 'AWS::IAM::Role');
    for (const [id, statements] of roleStatements(built!)) {
      expect(roles[id]!.Properties.ManagedPolicyArns, id).toBeUndefined();
      expect(roles[id]!.Properties.Policies, id).toBeUndefined();
      for (const [action, resources] of Object.entries(grantsOf(statements))) {
        expect(action, id).toMatch(/^[a-z0-9-]+:[A-Za-z]+$/);
        if (resources.some((r) => r.split(' if ')[0] === '*')) expect(STAR_ALLOWED, `${id} ${action} on *`).toContain(action);
      }
    }
  });

  it.each(each)('%s: nothing is public: bucket blocked and TLS-only, every queue TLS-only, no open principal, no way in', (_name, { built }) => {
    const template = built!.template();
    const [bucket, ...otherBuckets] = Object.values(resourcesOf(template, 'AWS::S3::Bucket'));
    expect(otherBuckets).toEqual([]);
    expect(bucket!.Properties.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });

    const denyPlainHttp = (policy: Policy) =>
      (policy.Statement as Policy[]).some((s) => s.Effect === 'Deny' && JSON.stringify(s.Condition) === '{"Bool":{"aws:SecureTransport":"false"}}');
    const bucketPolicies = Object.values(resourcesOf(template, 'AWS::S3::BucketPolicy'));
    expect(bucketPolicies.map((p) => denyPlainHttp(p.Properties.PolicyDocument))).toEqual([true]);
    const queues = Object.keys(resourcesOf(template, 'AWS::SQS::Queue'));
    const queuePolicies = Object.values(resourcesOf(template, 'AWS::SQS::QueuePolicy'));
    const tlsOnlyQueues = queuePolicies.filter((p) => denyPlainHttp(p.Properties.PolicyDocument)).flatMap((p) => p.Properties.Queues.map((q: { Ref: string }) => q.Ref));
    expect(tlsOnlyQueues.sort()).toEqual(queues.sort());
    expect(Object.keys(resourcesOf(template, 'AWS::SNS::TopicPolicy'))).toEqual([]);

    // Any resource policy: an Allow to everyone needs a condition (none has one today).
    const resourcePolicies = Object.values(template.toJSON().Resources as Record<string, { Type: string; Properties?: Policy }>)
      .filter((r) => r.Type !== 'AWS::IAM::Policy' && r.Properties?.PolicyDocument)
      .flatMap((r) => list(r.Properties!.PolicyDocument.Statement as Policy[]));
    expect(resourcePolicies.length).toBeGreaterThan(0);
    for (const statement of resourcePolicies) {
      const everyone = statement.Principal === '*' || statement.Principal?.AWS === '*';
      if (everyone && statement.Effect === 'Allow') expect(statement.Condition, JSON.stringify(statement)).toBeDefined();
    }
    for (const permission of Object.values(resourcesOf(template, 'AWS::Lambda::Permission'))) expect(permission.Properties.Principal).not.toBe('*');
    expect(Object.keys(resourcesOf(template, 'AWS::Lambda::Url'))).toEqual([]);
    for (const group of Object.values(resourcesOf(template, 'AWS::EC2::SecurityGroup'))) expect(group.Properties.SecurityGroupIngress).toBeUndefined();
    expect(Object.keys(resourcesOf(template, 'AWS::EC2::SecurityGroupIngress'))).toEqual([]);
  });
});
