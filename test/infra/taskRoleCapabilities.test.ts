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

/** Each target's own workspace source: the lane of api reads api's token, the lane of web web's snapshot. */
const SOURCE_OF: Record<string, string> = {
  api: `secretsmanager:GetSecretValue ${TOKEN_SECRET}`,
  web: 's3:GetObject s3://example-snapshots/web/latest.tar.gz',
};

/** The expected capabilities of a lane's task role (a profile on a target), as the readable lines `capabilitiesOf` produces. */
function expectedCapabilities(profile: ExecutionProfile, target: string, deployment: Deployment): string[] {
  const serves = deployment.serves?.[profile] ?? SERVES[profile];
  const reads = deployment.reads?.[profile] ?? READS[profile];
  const lines = PRIORITIES.flatMap((priority) =>
    ['sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ReceiveMessage'].map((action) => `${action} queue:${profile}-${target}-${priority}`),
  );
  if (serves.length === 0) return lines.sort();
  lines.push(
    // Claim, heartbeat, release and the final write of the target's run records (cloud run ids start with "<target>~").
    `dynamodb:GetItem table [key RUN#${target}~*]`,
    `dynamodb:UpdateItem table [key RUN#${target}~*]`,
    ...serves.flatMap((w) => ['PutItem', 'UpdateItem', 'Query'].map((action) => `dynamodb:${action} table [key FINDING#${target}#${w}]`)),
    // Reading: the byWorker index and the outputs of the workers it reads, every target's (consolidate merges them).
    ...reads.map((w) => `dynamodb:Query table/index/byWorker [key WORKER#${w}]`),
    ...serves.map((w) => `s3:PutObject outputs:outputs/${w}/${target}~*.json`),
    ...reads.map((w) => `s3:GetObject outputs:outputs/${w}/*.json`),
    SOURCE_OF[target]!,
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
      for (const target of ['api', 'web']) {
        // act
        const capabilities = capabilitiesOf(built, profile, target).map(line).sort();
        // assess
        expect(capabilities, `${profile} on ${target}`).toEqual(expectedCapabilities(profile, target, deployment));
      }
    }
  });

  it('a profile no worker uses gets its queues and nothing else: no table, no outputs, no workspace, no model, no API key', () => {
    const built = deployments['bedrock, every permissive worker made strict (permissive used by none)']!.built!;
    const permissive = capabilitiesOf(built, 'permissive', 'api');
    expect(permissive.every((c) => c.action.startsWith('sqs:'))).toBe(true);
    const disabled = deployments["api-key, 'disabled' deployed but used by no worker"]!.built!;
    expect(capabilitiesOf(disabled, 'disabled', 'web').every((c) => c.action.startsWith('sqs:'))).toBe(true);
    const container = disabled.template().toJSON().Resources[logicalIdOf(disabled.stack, disabled.stack.workers.laneOf('disabled', 'api').taskDefinition)].Properties.ContainerDefinitions[0];
    expect(container.Secrets).toBeUndefined();
  });

  it('the spend ledger and model pause: read and update by tasks that call a model, no delete or put, nothing for local tasks (issue 14)', () => {
    const built = deployments['api-key, git and s3 targets, a findings bus']!.built!;
    const strict = can(capabilitiesOf(built, 'strict', 'api'));
    const local = can(capabilitiesOf(built, 'local', 'api'));
    expect(strict('dynamodb:UpdateItem', 'table', 'SPEND#2026-12-05')).toBe(true);
    expect(strict('dynamodb:GetItem', 'table', 'PAUSE#model')).toBe(true);
    expect(strict('dynamodb:DeleteItem', 'table', 'SPEND#2026-12-05')).toBe(false);
    expect(strict('dynamodb:PutItem', 'table', 'PAUSE#model')).toBe(false);
    expect(local('dynamodb:UpdateItem', 'table', 'SPEND#2026-12-05')).toBe(false);
    expect(local('dynamodb:GetItem', 'table', 'PAUSE#model')).toBe(false);
  });

  it('the lane of target api reaches none of web\'s token, snapshot, findings, runs, outputs or queues, in every profile', () => {
    for (const deployment of Object.values(deployments)) {
      const built = deployment.built!;
      for (const profile of built.stack.workers.profiles.keys()) {
        const api = can(capabilitiesOf(built, profile, 'api'));
        expect(api('secretsmanager:GetSecretValue', TOKEN_SECRET) || (deployment.serves?.[profile] ?? SERVES[profile]).length === 0, profile).toBe(true);
        expect(api('s3:GetObject', 's3://example-snapshots/web/latest.tar.gz'), profile).toBe(false);
        for (const action of ['GetItem', 'UpdateItem', 'PutItem']) {
          expect(api(`dynamodb:${action}`, 'table', 'RUN#web~20261125T160102123Z-audit-3fa9c2e1'), `${profile} ${action} run`).toBe(false);
          // A run id without a target (made before run ids named theirs) is no target's: no task writes it.
          expect(api(`dynamodb:${action}`, 'table', 'RUN#20261125T160102123Z-audit-3fa9c2e1'), `${profile} ${action} old run`).toBe(false);
          expect(api(`dynamodb:${action}`, 'table', 'FINDING#web#audit'), `${profile} ${action} finding`).toBe(false);
        }
        // "api-v2" starts with "api": the separator keeps its runs out of api's family.
        expect(api('dynamodb:UpdateItem', 'table', 'RUN#api-v2~20261125T160102123Z-audit-3fa9c2e1'), profile).toBe(false);
        expect(api('s3:PutObject', 'outputs:outputs/audit/web~20261125T160102123Z-audit-3fa9c2e1.json'), profile).toBe(false);
        for (const priority of PRIORITIES) {
          for (const action of ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility']) expect(api(action, `queue:${profile}-web-${priority}`), `${profile} ${action}`).toBe(false);
        }
      }
    }
  });

  it('what a compromised task of api still can do is in the table, on purpose', () => {
    // Its own target's runs, including finished ones (IAM cannot look at an item's status), its own
    // findings; and reading (never writing) the runs and outputs of the workers it reads on every target
    // (the byWorker index is keyed by worker; consolidate merges every target's). The README's
    // blast-radius section says so; this keeps it honest.
    const may = can(capabilitiesOf(deployments['api-key, git and s3 targets, a findings bus']!.built!, 'strict', 'api'));
    expect(may('dynamodb:UpdateItem', 'table', 'RUN#api~20261125T160102123Z-audit-3fa9c2e1')).toBe(true);
    expect(may('dynamodb:PutItem', 'table', 'FINDING#api#audit')).toBe(true);
    expect(may('dynamodb:Query', 'table/index/byWorker', 'WORKER#audit')).toBe(true);
    expect(may('s3:GetObject', 'outputs:outputs/audit/web~20261125T160102123Z-audit-3fa9c2e1.json')).toBe(true);
  });

});
