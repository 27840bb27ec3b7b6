import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_NODE_IMAGE } from '../../infra/constructs/WorkerImage.js';
import { MIN_NODE_MAJOR } from '../../cli/supportedNode.js';
import { buildStack, resourcesOf, type BuiltStack } from './helpers/buildStack.js';

describe('the cloud runs a supported Node.js too (issue 13)', () => {
  const built: BuiltStack[] = [];
  afterAll(() => built.forEach((b) => b.dispose()));

  it('every Lambda function of the stack, CDK helpers included, runs Node.js 22 or newer', () => {
    const stack = buildStack({ deploy: { budget: { monthlyUsd: 10, emails: ['ops@example.com'] }, findingsEventBus: 'findings' }, config: { targets: [{ name: 'api', git: { url: 'https://github.com/example/api.git' } }] } });
    built.push(stack);
    const runtimes = Object.values(resourcesOf(stack.template(), 'AWS::Lambda::Function')).map((fn) => String(fn.Properties.Runtime));
    expect(runtimes.length).toBeGreaterThan(0);
    for (const runtime of runtimes) {
      expect(runtime).toMatch(/^nodejs\d+\.x$/);
      expect(Number.parseInt(runtime.slice('nodejs'.length), 10), runtime).toBeGreaterThanOrEqual(MIN_NODE_MAJOR);
    }
  });

  it('the worker image is built on Node.js 22 or newer', () => {
    const major = Number.parseInt(/^node:(\d+)-/.exec(DEFAULT_NODE_IMAGE)?.[1] ?? '0', 10);
    expect(major).toBeGreaterThanOrEqual(MIN_NODE_MAJOR);
  });
});
