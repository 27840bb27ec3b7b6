import { Stack } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { afterAll, describe, expect, it } from 'vitest';
import { estimateEnvironmentBytes, LAMBDA_ENVIRONMENT_LIMIT_BYTES, stackReferenceBounds } from '../../infra/lambdaEnvironmentSize.js';
import { buildStack, ONE_TARGET, type BuiltStack } from './helpers/buildStack.js';

function environmentOf(built: BuiltStack): Record<string, unknown> {
  const cfn = built.stack.dispatcher.function.node.defaultChild as lambda.CfnFunction;
  return (Stack.of(cfn).resolve(cfn.environment) as { variables: Record<string, unknown> }).variables;
}

describe("the dispatcher's environment fits Lambda's 4 KB", () => {
  const built: BuiltStack[] = [];
  const build = (...args: Parameters<typeof buildStack>) => {
    const b = buildStack(...args);
    built.push(b);
    return b;
  };
  afterAll(() => built.forEach((b) => b.dispose()));

  it('counts literal text exactly and references between their shortest and longest values', () => {
    expect(estimateEnvironmentBytes({ A: 'abc', B: { Ref: 'AWS::AccountId' } })).toEqual({ low: 1 + 3 + 1 + 12, high: 1 + 3 + 1 + 12 });
    expect(estimateEnvironmentBytes({ C: { 'Fn::Join': [',', ['x', { Ref: 'AWS::Region' }]] } })).toEqual({ low: 1 + 2 + 9, high: 1 + 2 + 14 });
    expect(estimateEnvironmentBytes({ D: { Ref: 'Unknown' } })).toEqual({ low: 21, high: 129 });
  });

  it('leaves room for the configuration even with all four profiles deployed, and grows with targets only by their config', () => {
    const stack = build({ config: { ...ONE_TARGET, allowDisabledSandbox: true } });
    const estimate = estimateEnvironmentBytes(environmentOf(stack), stackReferenceBounds(stack.stack));
    expect(estimate.high).toBeLessThan(LAMBDA_ENVIRONMENT_LIMIT_BYTES - 2500);
    expect(estimate.low).toBeGreaterThan(500);
    // Each target has its own lanes (queues, task family), but the dispatcher derives their names: no list grows.
    const more = { targets: [...ONE_TARGET.targets, ...['web', 'docs', 'infra'].map((name) => ({ name, git: { url: `https://github.com/example/${name}.git`, branch: 'main' } }))] };
    const wider = build({ config: { ...more, allowDisabledSandbox: true } });
    const widerEstimate = estimateEnvironmentBytes(environmentOf(wider), stackReferenceBounds(wider.stack));
    const configGrowth = JSON.stringify({ ...more, allowDisabledSandbox: true }).length - JSON.stringify({ ...ONE_TARGET, allowDisabledSandbox: true }).length;
    expect(widerEstimate.high - estimate.high).toBe(configGrowth);
  });

  it('stops synth when the configuration cannot fit, naming HW_CONFIG', () => {
    const longPrompt = 'Review the code. '.repeat(250);
    const stack = build({ config: { ...ONE_TARGET, workers: { audit: { promptTemplate: `${longPrompt}{{context}}` } } } });
    expect(() => stack.app.synth()).toThrow(/The dispatcher's environment needs at least \d+ bytes but Lambda allows 4096: HW_CONFIG .* takes \d+ bytes; shorten it/);
  });
});
