import { afterAll, describe, expect, it } from 'vitest';
import { buildStack, TEST_ENV, type BuildOptions, type BuiltStack } from './helpers/buildStack.js';

type Resource = { Type: string; Properties?: Record<string, unknown>; DeletionPolicy?: string; UpdateReplacePolicy?: string };

/** Properties that give a resource its physical name (TableName, BucketName, LogGroupName, a schedule group's Name, ...). */
function fixedNames(resource: Resource): string[] {
  return Object.entries(resource.Properties ?? {})
    .filter(([key, value]) => (key === 'Name' || key.endsWith('Name')) && typeof value === 'string')
    .map(([key, value]) => `${key}=${value as string}`);
}

const KEEPS = new Set(['Retain', 'RetainExceptOnCreate', 'Snapshot']);

const DEPLOYMENTS: Record<string, BuildOptions> = {
  defaults: {},
  'bedrock, imported VPC, env set': {
    deploy: { auth: { mode: 'bedrock' }, vpc: { mode: 'import', vpcId: 'vpc-0123456789abcdef0', subnetIds: ['subnet-0aaaaaaaaaaaaaaaa'], assignPublicIp: false } },
    env: TEST_ENV,
  },
};

describe('a destroyed stack can be deployed again under the same name (issue 14)', () => {
  const built: BuiltStack[] = [];
  afterAll(() => built.forEach((b) => b.dispose()));

  for (const [name, options] of Object.entries(DEPLOYMENTS)) {
    it(`retains no resource with a fixed name: ${name}`, () => {
      const stack = buildStack(options);
      built.push(stack);
      const resources = stack.template().toJSON().Resources as Record<string, Resource>;
      const blocking = Object.entries(resources)
        .filter(([, r]) => KEEPS.has(r.DeletionPolicy ?? '') && fixedNames(r).length > 0)
        .map(([id, r]) => `${id} (${r.Type}) ${fixedNames(r).join(', ')}`);
      expect(blocking).toEqual([]);
    });
  }

  it('the schedule group, whose name is the stack name, goes with the stack', () => {
    const stack = buildStack();
    built.push(stack);
    const groups = Object.values(stack.template().toJSON().Resources as Record<string, Resource>).filter((r) => r.Type === 'AWS::Scheduler::ScheduleGroup');
    expect(groups).toHaveLength(1);
    expect(groups[0]!.Properties?.Name).toBe(stack.stack.stackName);
    expect(groups[0]!.DeletionPolicy).toBe('Delete');
  });

  it('what is kept after `cdk destroy` is the results table, the outputs bucket and the log groups (README: Removing the stack)', () => {
    const stack = buildStack();
    built.push(stack);
    const kept = Object.values(stack.template().toJSON().Resources as Record<string, Resource>)
      .filter((r) => KEEPS.has(r.DeletionPolicy ?? ''))
      .map((r) => r.Type);
    expect([...new Set(kept)].sort()).toEqual(['AWS::DynamoDB::Table', 'AWS::Logs::LogGroup', 'AWS::S3::Bucket']);
  });
});
