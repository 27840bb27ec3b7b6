import { afterAll, describe, expect, it } from 'vitest';
import { readRunnerSettings } from '../../../container/runnerSettings.js';
import { readDispatcherSettings } from '../../../functions/dispatcher/dispatcherSettings.js';
import { ENV } from '../../../workers/cloud/index.js';
import { buildStack, type BuiltStack } from '../../infra/helpers/buildStack.js';

/**
 * Gives every CloudFormation reference a plausible deployed value, so the
 * environment the CDK app writes can be read by the code that reads it.
 */
function deployedValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const node = value as Record<string, unknown>;
  if (typeof node.Ref === 'string') return node.Ref.startsWith('AWS::') ? pseudo(node.Ref) : `https://sqs.us-east-1.amazonaws.com/123456789012/${node.Ref}`;
  if (Array.isArray(node['Fn::GetAtt'])) return `arn:aws:service:us-east-1:123456789012:${(node['Fn::GetAtt'] as string[]).join('/')}`;
  if (Array.isArray(node['Fn::Join'])) {
    const [separator, parts] = node['Fn::Join'] as [string, unknown[]];
    return parts.map(deployedValue).join(separator);
  }
  throw new Error(`unexpected CloudFormation value ${JSON.stringify(value)}`);
}

function pseudo(name: string): string {
  return ({ 'AWS::Region': 'us-east-1', 'AWS::AccountId': '123456789012', 'AWS::Partition': 'aws', 'AWS::URLSuffix': 'amazonaws.com', 'AWS::StackName': 'HeadlessWorkers' } as Record<string, string>)[name] ?? name;
}

function environment(variables: Record<string, unknown> | { Name: string; Value: unknown }[]): Record<string, string> {
  const entries = Array.isArray(variables) ? variables.map((v) => [v.Name, v.Value] as const) : Object.entries(variables);
  return Object.fromEntries(entries.map(([name, value]) => [name, deployedValue(value)]));
}

describe('the environment the CDK app writes is the one the runtime reads', () => {
  const built: BuiltStack[] = [];
  afterAll(() => built.forEach((b) => b.dispose()));

  it('gives the dispatcher Lambda and every task definition the variables they need, in the shapes they parse', () => {
    // prepare
    const stack = buildStack();
    built.push(stack);
    const resources = stack.template().toJSON().Resources as Record<string, { Type: string; Properties: Record<string, unknown> }>;

    // act
    const lambdas = Object.values(resources).filter((r) => r.Type === 'AWS::Lambda::Function' && (r.Properties.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables?.[ENV.queueUrls]);
    const taskDefinitions = Object.values(resources).filter((r) => r.Type === 'AWS::ECS::TaskDefinition');
    const dispatcher = readDispatcherSettings(environment((lambdas[0]!.Properties.Environment as { Variables: Record<string, unknown> }).Variables));
    const runners = taskDefinitions.map((td) => readRunnerSettings(environment((td.Properties.ContainerDefinitions as { Environment: { Name: string; Value: unknown }[] }[])[0]!.Environment)));

    // assess
    expect(lambdas).toHaveLength(1);
    expect(Object.keys(dispatcher.queueUrls).sort()).toEqual(['local', 'permissive', 'strict']);
    expect(Object.keys(dispatcher.taskDefinitions).sort()).toEqual(['local', 'permissive', 'strict']);
    expect(dispatcher.concurrency).toEqual({ local: 2, strict: 2, permissive: 2 });
    expect(dispatcher.subnets.length).toBeGreaterThan(0);
    expect(runners.map((r) => r.profile).sort()).toEqual(['local', 'permissive', 'strict']);
    for (const runner of runners) {
      expect(runner).toMatchObject({ scratchDir: '/scratch', idleExitMs: 120_000 });
      expect(runner.queueUrls.critical).toMatch(new RegExp(`^https://`));
    }
  });
});
