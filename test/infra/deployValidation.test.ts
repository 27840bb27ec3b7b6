import { afterAll, describe, expect, it } from 'vitest';
import { inferenceGeography } from '../../infra/bedrockModels.js';
import { ConfigError } from '../../workers/errors.js';
import { buildStack, containerEnvironment, functionEnvironment, resourcesOf, statementsOfRole, TEST_ENV, type BuildOptions, type BuiltStack } from './helpers/buildStack.js';

const ACCOUNT = TEST_ENV.account;
const gitTarget = (tokenSecretArn: string) => ({ targets: [{ name: 'api', git: { url: 'https://github.com/example/api.git', branch: 'main', tokenSecretArn } }] });

/** The ConfigError a stack build throws, for its listed problems. */
function problemsOf(options: BuildOptions): string[] {
  try {
    buildStack(options).dispose();
  } catch (error) {
    if (error instanceof ConfigError) return [...(error.problems ?? [error.message])];
    throw error;
  }
  throw new Error('the stack was built: expected a configuration error');
}

describe('deploy validation at synth (issue 14)', () => {
  const built: BuiltStack[] = [];
  afterAll(() => built.forEach((b) => b.dispose()));
  const build = (options: BuildOptions): BuiltStack => {
    const stack = buildStack(options);
    built.push(stack);
    return stack;
  };
  const tokenGrants = (stack: BuiltStack): unknown[] =>
    statementsOfRole(stack, stack.stack.workers.laneOf('strict', 'api').taskRole)
      .filter((s) => [s.Action].flat().includes('secretsmanager:GetSecretValue'))
      .flatMap((s) => [s.Resource].flat());

  it.each([
    ['a secret name, in the stack account and region', 'git-token', `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:git-token-??????`],
    ['an ARN without the random suffix (the name-based ARN)', `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:team/git-token`, `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:team/git-token-??????`],
    ['a complete ARN', `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:git-token-AbCdEf`, `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:git-token-AbCdEf`],
  ])('grants a git token given as %s on the ARN the secret really has', (_form, secret, granted) => {
    const stack = build({ config: gitTarget(secret), env: TEST_ENV });
    expect(tokenGrants(stack)).toEqual([granted]);
  });

  it('refuses a token secret that is neither a name nor a Secrets Manager ARN, naming the field', () => {
    expect(() => buildStack({ config: gitTarget('arn:aws:s3:::bucket/token') })).toThrow(/targets\.0\.git\.tokenSecretArn|targets\[0\]\.git\.tokenSecretArn/);
  });

  it('gives kms:Decrypt on the secrets key, through Secrets Manager only, to the token readers and the API key reader', () => {
    const key = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
    const stack = build({ config: gitTarget('git-token'), deploy: { secretsKmsKeyArn: key }, env: TEST_ENV });
    const strict = stack.stack.workers.profileOf('strict');
    for (const role of [stack.stack.workers.laneOf('strict', 'api').taskRole, strict.executionRole]) {
      const decrypt = statementsOfRole(stack, role).filter((s) => [s.Action].flat().includes('kms:Decrypt'));
      expect(decrypt).toEqual([expect.objectContaining({ Resource: key, Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.eu-west-1.amazonaws.com' } } })]);
    }
    // The local profile reads no secret and gets no key.
    const local = stack.stack.workers.profileOf('local');
    expect(statementsOfRole(stack, local.executionRole).filter((s) => [s.Action].flat().includes('kms:Decrypt'))).toEqual([]);
  });

  it('stops on an empty target list', () => {
    expect(problemsOf({ config: { targets: [] } })).toEqual([expect.stringMatching(/^targets: no repository to analyse: add at least one target/)]);
  });

  it('stops on an alarm topic or a secrets key in another region than the stack', () => {
    const problems = problemsOf({
      deploy: { alarms: { topicArn: `arn:aws:sns:us-east-1:${ACCOUNT}:alerts` }, secretsKmsKeyArn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab` },
      env: TEST_ENV,
    });
    expect(problems).toEqual([
      expect.stringMatching(/^deploy\.alarms\.topicArn: the topic is in us-east-1 but the stack deploys to eu-west-1; .* use a topic in eu-west-1$/),
      expect.stringMatching(/^deploy\.secretsKmsKeyArn: the key is in us-east-1 but the stack's secrets are read in eu-west-1;/),
    ]);
    expect(problemsOf({ env: { account: ACCOUNT, region: 'europe-1' } })).toEqual([expect.stringMatching(/^region: "europe-1" is not an AWS region code/)]);
  });

  describe('Bedrock model ids', () => {
    it.each([
      ['eu-west-1', 'eu'],
      ['eu-central-2', 'eu'],
      ['us-east-1', 'us'],
      ['us-west-2', 'us'],
      ['ap-northeast-1', 'apac'],
      ['ap-southeast-2', 'apac'],
      ['us-gov-west-1', 'us-gov'],
      ['ca-central-1', 'global'],
      ['sa-east-1', 'global'],
      ['cn-north-1', undefined],
    ])('a stack in %s uses the %s inference profiles', (region, geography) => {
      expect(inferenceGeography(region)).toBe(geography);
    });

    it('maps the workers first-party ids to the region geography inference profiles, in the headless tasks and the dispatcher', () => {
      const stack = build({ deploy: { auth: { mode: 'bedrock' } }, env: TEST_ENV });
      const expected = {
        HW_MODEL_HAIKU: 'eu.anthropic.claude-haiku-5-5',
        HW_MODEL_SONNET: 'eu.anthropic.claude-sonnet-5-5',
        HW_MODEL_OPUS: 'eu.anthropic.claude-opus-5-5',
        ANTHROPIC_DEFAULT_HAIKU_MODEL: 'eu.anthropic.claude-haiku-5-5',
        ANTHROPIC_DEFAULT_SONNET_MODEL: 'eu.anthropic.claude-sonnet-5-5',
        ANTHROPIC_DEFAULT_OPUS_MODEL: 'eu.anthropic.claude-opus-5-5',
      };
      const taskDefinitions = resourcesOf(stack.template(), 'AWS::ECS::TaskDefinition');
      const strictId = stack.stack.getLogicalId(stack.stack.workers.laneOf('strict', 'api').taskDefinition.node.defaultChild as never);
      const localId = stack.stack.getLogicalId(stack.stack.workers.laneOf('local', 'api').taskDefinition.node.defaultChild as never);
      expect(containerEnvironment(taskDefinitions[strictId]!)).toMatchObject({ ...expected, CLAUDE_CODE_USE_BEDROCK: '1' });
      expect(Object.keys(containerEnvironment(taskDefinitions[localId]!))).not.toContain('HW_MODEL_HAIKU');
      const dispatcherId = stack.stack.getLogicalId(stack.stack.dispatcher.function.node.defaultChild as never);
      expect(functionEnvironment(resourcesOf(stack.template(), 'AWS::Lambda::Function')[dispatcherId]!)).toMatchObject(expected);
    });

    it('takes deploy.auth.modelIds and config models over the defaults', () => {
      const stack = build({
        config: { targets: [{ name: 'api', git: { url: 'https://github.com/example/api.git' } }], models: { sonnet: 'claude-sonnet-4-6', opus: 'claude-opus-4-9' } },
        deploy: { auth: { mode: 'bedrock', modelIds: { 'claude-opus-4-9': `arn:aws:bedrock:us-east-1:${ACCOUNT}:application-inference-profile/a1b2c3d4e5f6` } } },
        env: { account: ACCOUNT, region: 'us-east-1' },
      });
      const strict = stack.stack.workers.laneOf('strict', 'api').taskDefinition.node.defaultChild as never;
      const env = containerEnvironment(resourcesOf(stack.template(), 'AWS::ECS::TaskDefinition')[stack.stack.getLogicalId(strict)]!);
      expect(env).toMatchObject({
        HW_MODEL_HAIKU: 'us.anthropic.claude-haiku-5-5',
        HW_MODEL_SONNET: 'us.anthropic.claude-sonnet-4-6',
        HW_MODEL_OPUS: `arn:aws:bedrock:us-east-1:${ACCOUNT}:application-inference-profile/a1b2c3d4e5f6`,
      });
    });

    it('stops on a model it cannot map and on a worker naming a first-party id, saying what to write', () => {
      const problems = problemsOf({
        config: {
          targets: [{ name: 'api', git: { url: 'https://github.com/example/api.git' } }],
          models: { opus: 'claude-opus-4-9' },
          workers: { audit: { model: 'claude-haiku-5-5' } },
        },
        deploy: { auth: { mode: 'bedrock' } },
        env: TEST_ENV,
      });
      expect(problems).toEqual([
        'deploy.auth.modelIds: models.opus ("claude-opus-4-9") has no Bedrock id for eu-west-1; add "claude-opus-4-9": "<geography>.anthropic.claude-opus-4-9" (see aws bedrock list-inference-profiles) or set models.opus to a Bedrock inference profile id',
        'workers.audit.model: "claude-haiku-5-5" is a first-party model id, which Bedrock does not serve; use an alias (haiku, sonnet, opus) or a Bedrock inference profile id such as "eu.anthropic.claude-haiku-5-5"',
      ]);
      expect(problemsOf({ deploy: { auth: { mode: 'bedrock' } }, env: { account: ACCOUNT, region: 'cn-north-1' } })).toEqual([
        expect.stringMatching(/^deploy\.auth\.mode: Anthropic models are not offered on Bedrock in cn-north-1/),
      ]);
    });

    it('an environment-agnostic synth takes the global profiles and says so', () => {
      const stack = build({ deploy: { auth: { mode: 'bedrock' } } });
      const strict = stack.stack.workers.laneOf('strict', 'api').taskDefinition.node.defaultChild as never;
      expect(containerEnvironment(resourcesOf(stack.template(), 'AWS::ECS::TaskDefinition')[stack.stack.getLogicalId(strict)]!).HW_MODEL_HAIKU).toBe('global.anthropic.claude-haiku-5-5');
      const warnings = stack.stack.node.metadata.filter((m) => m.type === 'aws:cdk:warning').map((m) => String(m.data));
      expect(warnings.some((w) => w.includes('global cross-region inference profiles'))).toBe(true);
    });

    it('an API-key deployment sets no Bedrock model ids', () => {
      const stack = build({ env: TEST_ENV });
      const strict = stack.stack.workers.laneOf('strict', 'api').taskDefinition.node.defaultChild as never;
      expect(Object.keys(containerEnvironment(resourcesOf(stack.template(), 'AWS::ECS::TaskDefinition')[stack.stack.getLogicalId(strict)]!))).not.toContain('HW_MODEL_HAIKU');
    });
  });
});
