import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_API_KEY_SECRET_NAME,
  fargateMemoryChoices,
  parseDeployConfig,
  readDeploymentInput,
} from '../../infra/deployConfig.js';
import { pinnedClaudeCodeVersion } from '../../infra/claudeCodeVersion.js';
import { ConfigError } from '../../workers/errors.js';

/** The error a call throws (fails the test when it does not throw). */
function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('deploy configuration', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'hw-deploy-config-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const context = (values: Record<string, unknown>) => (key: string) => values[key];
  const writeConfig = (name: string, content: unknown) => writeFileSync(path.join(dir, name), typeof content === 'string' ? content : JSON.stringify(content));

  it('has defaults that deploy with an API key from Secrets Manager, a VPC without NAT and no budget', () => {
    const deploy = parseDeployConfig({});
    expect(deploy).toEqual({
      stackName: 'HeadlessWorkers',
      auth: { mode: 'api-key', apiKeySecret: DEFAULT_API_KEY_SECRET_NAME },
      concurrency: {},
      tasks: {},
      s3ThresholdBytes: 65536,
      alarms: { failureRate: 0.25 },
      vpc: { mode: 'create', maxAzs: 2, natGateways: 0 },
      logRetentionDays: 30,
      workerArchitecture: 'arm64',
      idleExitSeconds: 120,
      reconcileMinutes: 5,
    });
  });

  it('accepts a findings event bus by name or by ARN', () => {
    expect(parseDeployConfig({ findingsEventBus: 'security-findings' }).findingsEventBus).toBe('security-findings');
    expect(parseDeployConfig({ findingsEventBus: 'arn:aws:events:eu-west-1:123456789012:event-bus/findings' }).findingsEventBus).toBe('arn:aws:events:eu-west-1:123456789012:event-bus/findings');
    expect(parseDeployConfig({}).findingsEventBus).toBeUndefined();
  });

  it.each([
    [{ auth: { mode: 'keyless' } }, 'deploy.auth.mode: must be one of api-key, bedrock (got "keyless")'],
    [{ auth: { mode: 'bedrock', apiKeySecret: 'x' } }, 'deploy.auth: unknown field "apiKeySecret"'],
    [{ auth: { mode: 'api-key', apiKeySecret: 'arn:aws:s3:::bucket' } }, 'deploy.auth.apiKeySecret: must be a Secrets Manager secret ARN'],
    [{ vpc: { mode: 'import', vpcId: 'vpc-0123456789abcdef0' } }, 'deploy.vpc.subnetIds: expected array, but it is missing'],
    [{ vpc: { mode: 'import', vpcId: 'my-vpc', subnetIds: ['subnet-0aaaaaaaaaaaaaaaa'] } }, 'deploy.vpc.vpcId: must be a VPC id such as vpc-0123456789abcdef0 (got "my-vpc")'],
    [{ vpc: { mode: 'create', maxAzs: 1, natGateways: 2 } }, 'deploy.vpc.natGateways: must be at most maxAzs (1)'],
    [{ tasks: { strict: { cpu: 1024, memoryMiB: 1024 } } }, 'deploy.tasks.strict.memoryMiB: Fargate with cpu 1024 accepts 2048, 3072, 4096, 5120, 6144, 7168, 8192 (got 1024)'],
    [{ tasks: { permissive: { cpu: 4096, memoryMiB: 4096 } } }, 'deploy.tasks.permissive.memoryMiB: Fargate with cpu 4096 accepts 8192 to 30720 in steps of 1024'],
    [{ tasks: { strict: { cpu: 1000, memoryMiB: 2048 } } }, 'deploy.tasks.strict.cpu: must be one of 256, 512, 1024, 2048, 4096, 8192, 16384 (got 1000)'],
    [{ tasks: { sandbox: { cpu: 256, memoryMiB: 512 } } }, 'deploy.tasks: unknown field "sandbox"'],
    [{ concurrency: { strict: 0 } }, 'deploy.concurrency.strict: must be at least 1 (got 0)'],
    [{ s3ThresholdBytes: 500_000 }, 'deploy.s3ThresholdBytes: must be at most 350000'],
    [{ logRetentionDays: 10 }, 'deploy.logRetentionDays: must be one of 1, 3, 5, 7, 14, 30'],
    [{ budget: { monthlyUsd: -5 } }, 'deploy.budget.monthlyUsd: must be greater than 0 (got -5)'],
    [{ budget: { monthlyUsd: 5, emails: ['not-an-address'] } }, 'deploy.budget.emails[0]: must be an e-mail address'],
    [{ alarms: { topicArn: 'alerts' } }, 'deploy.alarms.topicArn: must be an SNS topic ARN'],
    [{ workerArchitecture: 'arm' }, 'deploy.workerArchitecture: must be one of arm64, x86_64 (got "arm")'],
    [{ findingsEventBus: 'my bus!' }, 'deploy.findingsEventBus: must be an EventBridge bus name'],
    [{ findingsEventBus: 'arn:aws:sns:eu-west-1:123456789012:findings' }, 'deploy.findingsEventBus: must be an EventBridge bus name'],
    [{ regionn: 'eu-west-1' }, 'unknown field "regionn"'],
    [
      { vpc: { mode: 'import', vpcId: 'vpc-0123456789abcdef0', subnetIds: ['subnet-0aaaaaaaaaaaaaaaa'] } },
      'deploy.vpc.assignPublicIp: required for an imported VPC: true when the subnets are public without a NAT gateway (tasks need a public IP to pull the image), false when they reach the internet through NAT or VPC endpoints',
    ],
    [{ vpc: { mode: 'import', vpcId: 'vpc-0123456789abcdef0', subnetIds: ['subnet-0aaaaaaaaaaaaaaaa'], assignPublicIp: 'yes' } }, 'deploy.vpc.assignPublicIp: expected boolean (got "yes")'],
    [{ secretsKmsKeyArn: 'alias/aws/secretsmanager' }, 'deploy.secretsKmsKeyArn: must be a KMS key ARN such as arn:aws:kms:eu-west-1:123456789012:key/'],
    [{ auth: { mode: 'bedrock', modelIds: { 'claude-haiku-5-5': 'haiku' } } }, 'must be a Bedrock inference profile id such as eu.anthropic.claude-haiku-5-5, or an inference profile ARN'],
    [{ auth: { mode: 'bedrock', modelIds: { haiku: 'eu.anthropic.claude-haiku-5-5' } } }, 'deploy.auth.modelIds.haiku: "haiku" must be a first-party model id such as claude-haiku-5-5'],
  ])('rejects %j naming the field and what is allowed', (deploy, message) => {
    const error = errorOf(() => parseDeployConfig(deploy));
    expect(error.message).toContain(message);
    expect(error.message).toMatch(/^Invalid deploy configuration:\n {2}- /);
  });

  it('lists every problem at once', () => {
    const error = errorOf(() => parseDeployConfig({ auth: { mode: 'x' }, logRetentionDays: 2, concurrency: { local: 1.5 } }));
    expect(error.problems).toHaveLength(3);
  });

  it('knows which memory sizes Fargate accepts', () => {
    expect(fargateMemoryChoices(256)).toEqual([512, 1024, 2048]);
    expect(fargateMemoryChoices(512)).toEqual([1024, 2048, 3072, 4096]);
    expect(fargateMemoryChoices(16384).at(-1)).toBe(122880);
  });

  it('reads headless-workers.config.json at the root when present; context "deploy" overrides its deploy fields', () => {
    // prepare
    writeConfig('headless-workers.config.json', {
      $schema: './schema.json',
      targets: [{ name: 'api', git: { url: 'https://github.com/example/api.git' } }],
      workers: { predict: { enabled: true } },
      deploy: { auth: { mode: 'bedrock' }, s3ThresholdBytes: 100_000 },
    });
    // act
    const input = readDeploymentInput({ rootDir: dir, context: context({ deploy: '{"s3ThresholdBytes": 200000}' }) });
    // assess
    expect(input.deploy.auth).toEqual({ mode: 'bedrock', modelIds: {} });
    expect(input.deploy.s3ThresholdBytes).toBe(200_000);
    expect(input.config.catalog.get('predict')?.enabled).toBe(true);
    expect(input.runtimeConfig).toEqual({
      targets: [{ name: 'api', git: { url: 'https://github.com/example/api.git' } }],
      workers: { predict: { enabled: true } },
    });
  });

  it('reads the file named by context "configFile"; without any config there is nothing to deploy (issue 14: no targets is a synth error)', () => {
    const targets = [{ name: 'api', git: { url: 'https://github.com/example/api.git' } }];
    writeConfig('team.json', { resultTtlDays: 9, targets, deploy: { stackName: 'TeamWorkers' } });
    const named = readDeploymentInput({ rootDir: dir, context: context({ configFile: 'team.json', deploy: { vpc: { mode: 'create', natGateways: 1 } } }) });
    expect(named.config.resultTtlDays).toBe(9);
    expect(named.deploy.stackName).toBe('TeamWorkers');
    expect(named.deploy.vpc).toEqual({ mode: 'create', maxAzs: 2, natGateways: 1 });
    const none = errorOf(() => readDeploymentInput({ rootDir: dir, context: context({}) }));
    expect(none.problems).toEqual([
      'targets: no repository to analyse: add at least one target with "git" ({url, branch}) or "s3" ({bucket, key}) to the config file (every schedule would otherwise fail on each tick)',
    ]);
  });

  it('stops on a bad deploy value in the file, naming the file and the field', () => {
    writeConfig('headless-workers.config.json', { deploy: { vpc: { mode: 'peered' } } });
    const error = errorOf(() => readDeploymentInput({ rootDir: dir, context: context({}) }));
    expect(error.message).toContain('Invalid deploy configuration (headless-workers.config.json and cdk.json context)');
    expect(error.message).toContain('deploy.vpc.mode: must be one of create, import (got "peered")');
  });

  it('stops on a bad worker override, a local target or a schedule in seconds, naming each', () => {
    writeConfig('a.json', { workers: { audit: { sandbox: 'loose' } } });
    expect(errorOf(() => readDeploymentInput({ rootDir: dir, context: context({ configFile: 'a.json' }) })).message).toContain(
      'workers.audit.sandbox: must be one of strict, permissive, disabled (got "loose")',
    );
    writeConfig('b.json', { targets: [{ name: 'here', repo: '.' }], workers: { map: { intervalMs: 90_000 } } });
    const error = errorOf(() => readDeploymentInput({ rootDir: dir, context: context({ configFile: 'b.json' }) }));
    expect(error.problems).toEqual([
      'targets[0].repo: a local directory cannot be reached from AWS; give "git" ({url, branch}) or "s3" ({bucket, key}) for "here"',
      'workers.map.intervalMs: EventBridge Scheduler runs in whole minutes; use a multiple of 60000 (got 90000)',
    ]);
  });

  it('stops on unreadable input with a plain message', () => {
    writeConfig('broken.json', '{ "targets": ');
    expect(errorOf(() => readDeploymentInput({ rootDir: dir, context: context({ configFile: 'broken.json' }) })).message).toMatch(/^Config file .*broken\.json is not valid JSON/);
    expect(errorOf(() => readDeploymentInput({ rootDir: dir, context: context({ configFile: 'missing.json' }) })).message).toMatch(/^Cannot read config file .*missing\.json: ENOENT/);
    expect(errorOf(() => readDeploymentInput({ rootDir: dir, context: context({ deploy: '{oops' }) })).message).toMatch(/^Context "deploy" is not valid JSON/);
    expect(errorOf(() => readDeploymentInput({ rootDir: dir, context: context({ deploy: [1] }) })).message).toBe('Context "deploy" must be an object (got [1])');
  });

  it('takes the Claude Code version from package.json and refuses a range', () => {
    writeConfig('package.json', { devDependencies: { '@anthropic-ai/claude-code': '2.1.332' } });
    expect(pinnedClaudeCodeVersion(path.join(dir, 'package.json'))).toBe('2.1.332');
    writeConfig('package.json', { devDependencies: { '@anthropic-ai/claude-code': '^2.1.0' } });
    expect(() => pinnedClaudeCodeVersion(path.join(dir, 'package.json'))).toThrow(/must be an exact version such as 2\.1\.332 \(got "\^2\.1\.0"\)/);
  });
});
