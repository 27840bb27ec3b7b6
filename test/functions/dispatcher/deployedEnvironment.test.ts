import { afterAll, describe, expect, it } from 'vitest';
import { readRunnerSettings } from '../../../container/runnerSettings.js';
import { deployedProfiles, readDispatcherSettings } from '../../../functions/dispatcher/dispatcherSettings.js';
import { lanesOf } from '../../../functions/dispatcher/lanes.js';
import { PRIORITIES } from '../../../workers/catalog/constants.js';
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
    const lambdas = Object.values(resources).filter((r) => r.Type === 'AWS::Lambda::Function' && (r.Properties.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables?.[ENV.queueUrlBase]);
    const taskDefinitions = Object.values(resources).filter((r) => r.Type === 'AWS::ECS::TaskDefinition');
    const dispatcher = readDispatcherSettings(environment((lambdas[0]!.Properties.Environment as { Variables: Record<string, unknown> }).Variables));
    const runners = taskDefinitions.map((td) => readRunnerSettings(environment((td.Properties.ContainerDefinitions as { Environment: { Name: string; Value: unknown }[] }[])[0]!.Environment)));

    // assess
    expect(lambdas).toHaveLength(1);
    expect(deployedProfiles(dispatcher).sort()).toEqual(['local', 'permissive', 'strict']);
    expect(dispatcher.namePrefix).toBe(stack.stack.stackName);
    // The dispatcher derives each lane's queue URL and task family as the stack names them.
    expect(dispatcher.queueUrlBase).toBe('https://sqs.us-east-1.amazonaws.com/123456789012/');
    for (const runner of runners) {
      expect(runner.target).toBe('api');
      for (const priority of PRIORITIES) {
        // The task's URL is a reference to its queue (rendered with the logical id): the queue's name is in its properties.
        const logicalId = /[^/]+$/.exec(runner.queueUrls[priority])![0];
        const queueName = resources[logicalId]!.Properties.QueueName as string;
        expect(lanesOf(dispatcher).queueUrl(runner.profile, runner.target!, priority)).toBe(`${dispatcher.queueUrlBase}${queueName}`);
      }
    }
    const families = taskDefinitions.map((td) => td.Properties.Family).sort();
    expect(families).toEqual(runners.map((r) => lanesOf(dispatcher).taskFamily(r.profile, r.target!)).sort());
    expect(dispatcher.concurrency).toEqual({ local: 2, strict: 2, permissive: 2 });
    expect(dispatcher.subnets.length).toBeGreaterThan(0);
    expect(runners.map((r) => r.profile).sort()).toEqual(['local', 'permissive', 'strict']);
    for (const runner of runners) {
      expect(runner).toMatchObject({ scratchDir: '/scratch', idleExitMs: 120_000 });
      expect(runner.queueUrls.critical).toMatch(new RegExp(`^https://`));
    }
  });
});
