import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRIORITIES, type ExecutionProfile } from '../../workers/catalog/index.js';
import { buildStack, logicalIdOf, type BuiltStack } from './helpers/buildStack.js';
import { can, capabilitiesOf, line } from './helpers/taskRoleCapabilities.js';

// Issue 11, case 8: what a compromised task of each profile can still do, read from the synthesized
// template and compared to the table below, in every auth mode, with a git target (token) and an
// S3 snapshot target. The escapes the issue names are tried in test/hostile/compromisedTaskRole.test.ts.

const TOKEN_SECRET = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:git-token-AbCdEf';
const TARGETS = [
  { name: 'api', git: { url: 'https://github.com/example/api.git', branch: 'main', tokenSecretArn: TOKEN_SECRET } },
  { name: 'web', s3: { bucket: 'example-snapshots', key: 'web/latest.tar.gz' } },
];
const BUS = 'security-findings';

/** The built-in catalog's workers by profile: what a task of the profile may be sent (a run may tighten its sandbox, never loosen it). */
const SERVES: Record<ExecutionProfile, readonly string[]> = {
  local: ['map', 'consolidate', 'benchmark', 'preload'],
  strict: ['audit', 'optimize', 'testgaps', 'predict', 'document', 'ultralearn', 'refactor', 'deepdive'],
  permissive: ['optimize', 'testgaps', 'document', 'refactor'],
  disabled: [],
};
/** Workers whose runs and outputs a task reads: its own, their chained sources, and every worker for consolidate. */
const READS: Record<ExecutionProfile, readonly string[]> = {
  local: ['map', 'audit', 'optimize', 'consolidate', 'testgaps', 'predict', 'document', 'ultralearn', 'refactor', 'benchmark', 'deepdive', 'preload'],
  strict: ['map', 'audit', 'optimize', 'testgaps', 'predict', 'document', 'ultralearn', 'refactor', 'deepdive'],
  permissive: ['map', 'optimize', 'testgaps', 'document', 'ultralearn', 'refactor'],
  disabled: [],
};

interface Deployment {
  readonly built?: BuiltStack;
  readonly build: () => BuiltStack;
  readonly bedrock: boolean;
  readonly bus: boolean;
  /** Workers served per profile, where the catalog differs from the built-in one. */
  readonly serves?: Partial<Record<ExecutionProfile, readonly string[]>>;
  readonly reads?: Partial<Record<ExecutionProfile, readonly string[]>>;
}

/** The expected capabilities of a task role, as the readable lines `capabilitiesOf` produces. */
function expectedCapabilities(profile: ExecutionProfile, deployment: Deployment): string[] {
  const serves = deployment.serves?.[profile] ?? SERVES[profile];
  const reads = deployment.reads?.[profile] ?? READS[profile];
  const lines = PRIORITIES.flatMap((priority) =>
    ['sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ReceiveMessage'].map((action) => `${action} queue:${profile}-${priority}`),
  );
  if (serves.length === 0) return lines.sort();
  lines.push(
    // Claim, heartbeat, release and the final write of any run record: run ids carry no worker or target.
    'dynamodb:GetItem table [key RUN#*]',
    'dynamodb:UpdateItem table [key RUN#*]',
    ...serves.flatMap((w) => ['PutItem', 'UpdateItem', 'Query'].map((action) => `dynamodb:${action} table [key FINDING#*#${w}]`)),
    ...reads.map((w) => `dynamodb:Query table/index/byWorker [key WORKER#${w}]`),
    ...serves.map((w) => `s3:PutObject outputs:outputs/${w}/*.json`),
    ...reads.map((w) => `s3:GetObject outputs:outputs/${w}/*.json`),
    's3:GetObject s3://example-snapshots/web/latest.tar.gz',
    `secretsmanager:GetSecretValue ${TOKEN_SECRET}`,
  );
  // The deployment's spend ledger and model pause, for the tasks that call a model (issue 14).
  if (profile !== 'local') lines.push(...['GetItem', 'UpdateItem'].flatMap((action) => ['SPEND#*', 'PAUSE#*'].map((family) => `dynamodb:${action} table [key ${family}]`)));
  if (deployment.bus) lines.push('dynamodb:Query table/index/byWorker [key FINDINGSETS]', `events:PutEvents bus:${BUS} [source headless-workers]`);
  if (deployment.bedrock && profile !== 'local') {
    for (const action of ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream']) {
      lines.push(`${action} arn:\${AWS::Partition}:bedrock:*::foundation-model/anthropic.*`, `${action} arn:\${AWS::Partition}:bedrock:*:\${AWS::AccountId}:inference-profile/*.anthropic.*`);
    }
  }
  return lines.sort();
}

describe('what each task role can still do (issue 11, case 8)', () => {
  const allPermissiveToStrict = { optimize: { sandbox: 'strict' }, testgaps: { sandbox: 'strict' }, document: { sandbox: 'strict' }, refactor: { sandbox: 'strict' } };
  const deployments: Record<string, Deployment & { built?: BuiltStack }> = {
    'api-key, git and s3 targets, a findings bus': {
      build: () => buildStack({ config: { targets: TARGETS }, deploy: { auth: { mode: 'api-key', apiKeySecret: 'team/anthropic' }, findingsEventBus: BUS } }),
      bedrock: false,
      bus: true,
    },
    'bedrock, git and s3 targets': {
      build: () => buildStack({ config: { targets: TARGETS }, deploy: { auth: { mode: 'bedrock' } } }),
      bedrock: true,
      bus: false,
    },
    "api-key, 'disabled' deployed but used by no worker": {
      build: () => buildStack({ config: { targets: TARGETS, allowDisabledSandbox: true }, deploy: { auth: { mode: 'api-key' } } }),
      bedrock: false,
      bus: false,
    },
    'bedrock, every permissive worker made strict (permissive used by none)': {
      build: () => buildStack({ config: { targets: TARGETS, workers: allPermissiveToStrict }, deploy: { auth: { mode: 'bedrock' } } }),
      bedrock: true,
      bus: false,
      serves: { permissive: [] },
      reads: { permissive: [] },
    },
  };
  beforeAll(() => {
    for (const deployment of Object.values(deployments)) deployment.built = deployment.build();
  });
  afterAll(() => Object.values(deployments).forEach(({ built }) => built?.dispose()));
  const each = Object.entries(deployments);

  it.each(each)('%s: each task role holds exactly the capabilities of the table', (_name, deployment) => {
    // prepare
    const built = deployment.built!;
    for (const profile of built.stack.workers.profiles.keys()) {
      // act
      const capabilities = capabilitiesOf(built, profile).map(line).sort();
      // assess
      expect(capabilities, profile).toEqual(expectedCapabilities(profile, deployment));
    }
  });

  it('a profile no worker uses gets its queues and nothing else: no table, no outputs, no workspace, no model, no API key', () => {
    const built = deployments['bedrock, every permissive worker made strict (permissive used by none)']!.built!;
    const permissive = capabilitiesOf(built, 'permissive');
    expect(permissive.every((c) => c.action.startsWith('sqs:'))).toBe(true);
    const disabled = deployments["api-key, 'disabled' deployed but used by no worker"]!.built!;
    expect(capabilitiesOf(disabled, 'disabled').every((c) => c.action.startsWith('sqs:'))).toBe(true);
    const container = disabled.template().toJSON().Resources[logicalIdOf(disabled.stack, disabled.stack.workers.profileOf('disabled').taskDefinition)].Properties.ContainerDefinitions[0];
    expect(container.Secrets).toBeUndefined();
  });

  it('the spend ledger and model pause: read and update by tasks that call a model, no delete or put, nothing for local tasks (issue 14)', () => {
    const built = deployments['api-key, git and s3 targets, a findings bus']!.built!;
    const strict = can(capabilitiesOf(built, 'strict'));
    const local = can(capabilitiesOf(built, 'local'));
    expect(strict('dynamodb:UpdateItem', 'table', 'SPEND#2026-12-05')).toBe(true);
    expect(strict('dynamodb:GetItem', 'table', 'PAUSE#model')).toBe(true);
    expect(strict('dynamodb:DeleteItem', 'table', 'SPEND#2026-12-05')).toBe(false);
    expect(strict('dynamodb:PutItem', 'table', 'PAUSE#model')).toBe(false);
    expect(local('dynamodb:UpdateItem', 'table', 'SPEND#2026-12-05')).toBe(false);
    expect(local('dynamodb:GetItem', 'table', 'PAUSE#model')).toBe(false);
  });

  it('what a compromised task still can do that IAM cannot narrow today is in the table, on purpose', () => {
    // Run ids carry neither target nor worker, and a task is not bound to one target: a strict task
    // can rewrite any run record (finished ones included), write any target's findings of the workers
    // it runs and read every configured target's token and snapshot. The README's blast-radius table
    // says so; this keeps that table honest.
    const may = can(capabilitiesOf(deployments['api-key, git and s3 targets, a findings bus']!.built!, 'strict'));
    expect(may('dynamodb:UpdateItem', 'table', 'RUN#2026-01-01T00-00-00-000Z-map-web-abcd')).toBe(true);
    expect(may('dynamodb:PutItem', 'table', 'FINDING#web#audit')).toBe(true);
    expect(may('secretsmanager:GetSecretValue', TOKEN_SECRET)).toBe(true);
    expect(may('s3:GetObject', 's3://example-snapshots/web/latest.tar.gz')).toBe(true);
  });
});
