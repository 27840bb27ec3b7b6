import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { afterAll, describe, expect, it } from 'vitest';
import { buildStack, ONE_TARGET, TEST_ENV, type BuildOptions, type BuiltStack } from './helpers/buildStack.js';

/** Deployments that together switch on every optional part of the stack. */
const VARIANTS: Record<string, BuildOptions> = {
  defaults: {},
  'bedrock, private subnets behind NAT, budget, alarm topic': {
    config: {
      targets: [
        { name: 'api', git: { url: 'https://github.com/example/api.git', branch: 'main', tokenSecretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:git-token-AbCdEf' } },
        { name: 'web', s3: { bucket: 'example-snapshots', key: 'web/latest.tar.gz' } },
      ],
      allowDisabledSandbox: true,
    },
    deploy: {
      auth: { mode: 'bedrock' },
      vpc: { mode: 'create', maxAzs: 2, natGateways: 1 },
      budget: { monthlyUsd: 100, emails: ['ops@example.com'] },
      alarms: { topicArn: 'arn:aws:sns:eu-west-1:123456789012:alerts' },
    },
  },
  'api key by ARN in an imported VPC': {
    config: ONE_TARGET,
    deploy: {
      auth: { mode: 'api-key', apiKeySecret: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:anthropic-XyZ123' },
      vpc: { mode: 'import', vpcId: 'vpc-0123456789abcdef0', subnetIds: ['subnet-0aaaaaaaaaaaaaaaa'], assignPublicIp: false },
    },
  },
};

/**
 * Every documented mode with the account and region set, as `cdk deploy` always sets them:
 * ARNs then hold literals where an environment-agnostic template holds <AWS::AccountId>, and
 * an acknowledgement written for one form misses the other (issue 14).
 */
const AUTH_MODES = { 'api key': { mode: 'api-key' }, bedrock: { mode: 'bedrock' } } as const;
const VPC_MODES = {
  'created VPC': { mode: 'create' },
  'imported VPC': { mode: 'import', vpcId: 'vpc-0123456789abcdef0', subnetIds: ['subnet-0aaaaaaaaaaaaaaaa'], assignPublicIp: true },
} as const;
for (const [authName, auth] of Object.entries(AUTH_MODES)) {
  for (const [vpcName, vpc] of Object.entries(VPC_MODES)) {
    for (const region of ['eu-west-1', 'us-east-1']) {
      VARIANTS[`${authName}, ${vpcName}, env ${TEST_ENV.account}/${region}`] = {
        config: {
          targets: [
            { name: 'api', git: { url: 'https://github.com/example/api.git', branch: 'main', tokenSecretArn: `arn:aws:secretsmanager:${region}:123456789012:secret:git-token-AbCdEf` } },
          ],
        },
        deploy: { auth, vpc },
        env: { account: TEST_ENV.account, region },
      };
    }
  }
}

/** Every acknowledgment recorded in the tree: rule id → reason. */
function acknowledgments(root: IConstruct): Array<{ path: string; id: string; reason: string }> {
  return root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({ path: construct.node.path, id: id.replace(/^annotation::/i, ''), reason })),
      ),
  );
}

describe('cdk-nag AwsSolutions checks', () => {
  const built: BuiltStack[] = [];
  afterAll(() => built.forEach((b) => b.dispose()));

  for (const [name, options] of Object.entries(VARIANTS)) {
    it(`report nothing unacknowledged: ${name}`, () => {
      // prepare
      const stack = buildStack(options);
      built.push(stack);
      // act: the same plugin app.ts registers, run by synth; then the findings themselves
      Validations.of(stack.app).addPlugins(new AwsSolutionsChecks(stack.app));
      expect(() => stack.app.synth()).not.toThrow();
      const result = new AwsSolutionsChecks().validateScope(stack.app);
      // assess
      expect(result.violations.map((v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toEqual([]);
      expect(result.success).toBe(true);
    });
  }

  it('gives every acknowledgment of ours a written reason', () => {
    const stack = buildStack(VARIANTS['bedrock, private subnets behind NAT, budget, alarm topic']!);
    built.push(stack);
    // CDK records its own acknowledgments of CloudFormation-Validate rules; ours are cdk-nag's.
    const acks = acknowledgments(stack.app).filter((ack) => !ack.id.startsWith('CloudFormation-Validate::'));
    expect(acks.length).toBeGreaterThan(0);
    for (const ack of acks) {
      expect(ack.id, ack.path).toMatch(/^AwsSolutions-[A-Z]+\d+/);
      expect(ack.reason.length, `${ack.path} ${ack.id}`).toBeGreaterThanOrEqual(60);
    }
    expect([...new Set(acks.map((a) => a.id.replace(/\[.*$/, '')))].sort()).toEqual(['AwsSolutions-ECS2', 'AwsSolutions-IAM5', 'AwsSolutions-S1']);
  });
});
