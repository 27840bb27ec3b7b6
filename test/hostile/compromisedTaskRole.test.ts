import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildStack, type BuiltStack } from '../infra/helpers/buildStack.js';
import { can, capabilitiesOf, line } from '../infra/helpers/taskRoleCapabilities.js';

// Issue 11, case 8: "the strict task role can do far more than write its own result: PutItem/UpdateItem
// on any RUN#/FINDING# item, read the whole table, Get/Put every outputs/*/*.json, read every
// target's git token and every snapshot". Built as the attacker would: a task whose runner process
// the model or the repository took over holds the role's credentials and sends whatever request it
// likes. Each request below is tried against the role the stack synthesizes (IAM's matching rules
// applied to its Allow statements; see the helper: no emulator enforces IAM policies).
// What a compromised task can still do is enumerated in test/infra/taskRoleCapabilities.test.ts.

const TOKEN_SECRET = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:git-token-AbCdEf';
const TARGETS = [
  { name: 'api', git: { url: 'https://github.com/example/api.git', branch: 'main', tokenSecretArn: TOKEN_SECRET } },
  { name: 'web', s3: { bucket: 'example-snapshots', key: 'web/latest.tar.gz' } },
];

describe('a compromised task uses its role beyond its own work (issue 11, case 8)', () => {
  const deployments: Record<string, { build: () => BuiltStack; bedrock: boolean; built?: BuiltStack }> = {
    'api-key with a findings bus': {
      build: () => buildStack({ config: { targets: TARGETS }, deploy: { auth: { mode: 'api-key', apiKeySecret: 'team/anthropic' }, findingsEventBus: 'security-findings' } }),
      bedrock: false,
    },
    bedrock: { build: () => buildStack({ config: { targets: TARGETS }, deploy: { auth: { mode: 'bedrock' } } }), bedrock: true },
  };
  beforeAll(() => {
    for (const deployment of Object.values(deployments)) deployment.built = deployment.build();
  });
  afterAll(() => Object.values(deployments).forEach(({ built }) => built?.dispose()));
  const each = Object.entries(deployments);

  it.each(each)('%s: no task role reads the table at large, deletes, or reaches the dispatcher\'s items', (_name, { built }) => {
    for (const [profile, target] of [...built!.stack.workers.profiles.keys()].flatMap((p) => TARGETS.map((t) => [p, t.name] as const))) {
      const capabilities = capabilitiesOf(built!, profile, target);
      const may = can(capabilities);
      for (const action of ['Scan', 'DeleteItem', 'BatchGetItem', 'BatchWriteItem', 'PartiQLSelect', 'PartiQLUpdate', 'TransactGetItems', 'DescribeTable', 'ConditionCheckItem']) {
        expect(capabilities.filter((c) => c.action === `dynamodb:${action}`), `${profile} ${action}`).toEqual([]);
      }
      // Every item access names its families: none is unconditioned, none is "every key".
      for (const c of capabilities.filter((c) => c.action.startsWith('dynamodb:'))) {
        expect(c.condition, `${profile} ${line(c)}`).toMatch(new RegExp(`^key (RUN#${target}~\\*|FINDING#${target}#[a-z]+|WORKER#[a-z]+|FINDINGSETS|SPEND#\\*|PAUSE#\\*)$`));
      }
      for (const [action, key] of [
        ['GetItem', 'IDEMPOTENCY#any'], ['UpdateItem', 'IDEMPOTENCY#any'], ['PutItem', 'LAUNCHER#strict'], ['UpdateItem', 'LAUNCHER#strict'],
        ['PutItem', `RUN#${target}~20261125T160102123Z-audit-3fa9c2e1`], ['GetItem', 'WORKER#audit'], ['Query', 'RUN#x'],
      ] as const) {
        expect(may(`dynamodb:${action}`, 'table', key), `${profile} ${action} ${key}`).toBe(false);
      }
      expect(may('dynamodb:Query', 'table/index/byStatus', 'RUNNING'), profile).toBe(false);
      expect(capabilities.filter((c) => /^(kms|iam|ecs|sts|ssm|lambda|scheduler):/.test(c.action)), profile).toEqual([]);
    }
  });

  it.each(each)("%s: a strict task of api cannot touch another target's token, snapshot, runs, findings, outputs or queues", (_name, { built }) => {
    const may = can(capabilitiesOf(built!, 'strict', 'api'));
    // Its own target's: yes.
    expect(may('dynamodb:UpdateItem', 'table', 'FINDING#api#audit')).toBe(true);
    expect(may('dynamodb:UpdateItem', 'table', 'RUN#api~20261125T160102123Z-audit-3fa9c2e1')).toBe(true);
    expect(may('s3:PutObject', 'outputs:outputs/audit/api~20261125T160102123Z-audit-3fa9c2e1.attempt-1.json')).toBe(true);
    expect(may('secretsmanager:GetSecretValue', TOKEN_SECRET)).toBe(true);
    // Web's: no. Its run records (finished ones included), findings, outputs, snapshot and queues.
    for (const action of ['GetItem', 'UpdateItem', 'PutItem']) {
      expect(may(`dynamodb:${action}`, 'table', 'RUN#web~20261125T160102123Z-audit-3fa9c2e1'), action).toBe(false);
      expect(may(`dynamodb:${action}`, 'table', 'FINDING#web#audit'), action).toBe(false);
    }
    expect(may('dynamodb:Query', 'table', 'FINDING#web#audit')).toBe(false);
    expect(may('s3:PutObject', 'outputs:outputs/audit/web~20261125T160102123Z-audit-3fa9c2e1.json')).toBe(false);
    expect(may('s3:GetObject', 's3://example-snapshots/web/latest.tar.gz')).toBe(false);
    for (const action of ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility', 'sqs:GetQueueAttributes']) expect(may(action, 'queue:strict-web-critical'), action).toBe(false);
    // And the lane of web cannot read api's token.
    expect(can(capabilitiesOf(built!, 'strict', 'web'))('secretsmanager:GetSecretValue', TOKEN_SECRET)).toBe(false);
    // Local workers' findings and outputs: no.
    for (const action of ['PutItem', 'UpdateItem', 'Query']) expect(may(`dynamodb:${action}`, 'table', 'FINDING#api#consolidate'), action).toBe(false);
    expect(may('dynamodb:Query', 'table/index/byWorker', 'WORKER#consolidate')).toBe(false);
    expect(may('s3:PutObject', 'outputs:outputs/map/2026-run.json')).toBe(false);
    expect(may('s3:GetObject', 'outputs:outputs/consolidate/2026-run.json')).toBe(false);
    // Nothing outside outputs/<worker>/*.json, no listing, no delete, not the snapshot bucket's other objects.
    expect(may('s3:PutObject', 'outputs:state/anything.json')).toBe(false);
    expect(may('s3:GetObject', 'outputs:outputs/audit/nested/x.txt')).toBe(false);
    expect(may('s3:PutObject', 's3://example-snapshots/web/latest.tar.gz')).toBe(false);
    expect(may('s3:GetObject', 's3://example-snapshots/other/secret.tar.gz')).toBe(false);
    for (const action of ['s3:ListBucket', 's3:DeleteObject', 's3:GetObjectVersion', 's3:PutObjectAcl']) expect(may(action, 'outputs:outputs/audit/x.json'), action).toBe(false);
    // Only the configured targets' token: not the API key, not another secret of the account.
    expect(may('secretsmanager:GetSecretValue', 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:team/anthropic-AbCdEf')).toBe(false);
    expect(may('secretsmanager:GetSecretValue', 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:other-token-AbCdEf')).toBe(false);
    // Not another profile's queues, nor any dead-letter queue.
    expect(may('sqs:ReceiveMessage', 'queue:permissive-api-critical')).toBe(false);
    expect(may('sqs:SendMessage', 'queue:strict-api-critical')).toBe(false);
    expect(may('sqs:ReceiveMessage', 'dlq:strict-api-critical')).toBe(false);
  });

  it.each(each)('%s: a permissive task cannot touch the findings or outputs of the strict-only workers, and local calls no model', (_name, { built, bedrock }) => {
    const permissive = can(capabilitiesOf(built!, 'permissive', 'api'));
    expect(permissive('dynamodb:UpdateItem', 'table', 'FINDING#api#audit')).toBe(false);
    expect(permissive('dynamodb:Query', 'table', 'FINDING#api#audit')).toBe(false);
    expect(permissive('s3:PutObject', 'outputs:outputs/audit/run.json')).toBe(false);
    expect(permissive('s3:GetObject', 'outputs:outputs/audit/run.json')).toBe(false);
    const local = capabilitiesOf(built!, 'local', 'api');
    expect(local.filter((c) => c.action.startsWith('bedrock:'))).toEqual([]);
    expect(can(local)('dynamodb:PutItem', 'table', 'FINDING#api#audit')).toBe(false);
    expect(can(local)('s3:PutObject', 'outputs:outputs/audit/run.json')).toBe(false);
    if (bedrock) expect(can(capabilitiesOf(built!, 'strict', 'api'))('bedrock:InvokeModel', 'arn:aws:bedrock:eu-west-1::foundation-model/amazon.nova-pro-v1:0')).toBe(false);
  });

});
