import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRIORITIES } from '../../workers/catalog/index.js';
import { ENV, laneNames } from '../../workers/cloud/index.js';
import { buildStack, containerEnvironment, functionEnvironment, logicalIdOf, ONE_TARGET, resourcesOf, type BuiltStack } from './helpers/buildStack.js';

type Resource = { Properties: Record<string, any> };

function queuesNamed(built: BuiltStack): Map<string, Resource> {
  return new Map(Object.values(resourcesOf(built.template(), 'AWS::SQS::Queue')).map((q) => [q.Properties.QueueName as string, q]));
}

describe('work queues', () => {
  let defaults: BuiltStack;
  let optedIn: BuiltStack;

  beforeAll(() => {
    defaults = buildStack();
    optedIn = buildStack({ config: { ...ONE_TARGET, allowDisabledSandbox: true } });
  });
  afterAll(() => [defaults, optedIn].forEach((built) => built?.dispose()));

  it('has, per target, one queue per priority and a dead-letter queue for each, for local, strict and permissive', () => {
    const queues = queuesNamed(defaults);
    expect(queues.size).toBe(3 * 4 * 2);
    for (const profile of ['local', 'strict', 'permissive']) {
      for (const priority of PRIORITIES) {
        const name = `HeadlessWorkers-${profile}-api-${priority}`;
        const queue = queues.get(name);
        const deadLetters = queues.get(`${name}-dlq`);
        expect(queue, name).toBeDefined();
        expect(deadLetters, `${name}-dlq`).toBeDefined();
        const dlqId = Object.entries(resourcesOf(defaults.template(), 'AWS::SQS::Queue')).find(([, q]) => q === deadLetters)![0];
        expect(queue!.Properties.RedrivePolicy).toEqual({ deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] }, maxReceiveCount: 3 });
      }
    }
  });

  it("adds the 'disabled' profile's queues only when the config opts in", () => {
    const names = [...queuesNamed(defaults).keys()];
    expect(names.some((n) => n.includes('-disabled-'))).toBe(false);
    const optedInNames = [...queuesNamed(optedIn).keys()];
    expect(optedInNames.filter((n) => n.includes('-disabled-')).sort()).toEqual(
      PRIORITIES.flatMap((p) => [`HeadlessWorkers-disabled-api-${p}`, `HeadlessWorkers-disabled-api-${p}-dlq`]).sort(),
    );
  });

  it('encrypts every queue (SSE-SQS)', () => {
    for (const [name, queue] of queuesNamed(defaults)) expect(queue.Properties.SqsManagedSseEnabled, name).toBe(true);
  });

  it('denies every request without TLS on every queue', () => {
    const template = defaults.template();
    const queueIds = Object.keys(resourcesOf(template, 'AWS::SQS::Queue'));
    const covered = new Set<string>();
    for (const policy of Object.values(resourcesOf(template, 'AWS::SQS::QueuePolicy'))) {
      const statements = policy.Properties.PolicyDocument.Statement as Record<string, any>[];
      const denyPlainText = statements.find((s) => s.Effect === 'Deny' && s.Condition?.Bool?.['aws:SecureTransport'] === 'false');
      expect(denyPlainText).toMatchObject({ Action: 'sqs:*', Principal: { AWS: '*' } });
      for (const ref of policy.Properties.Queues as { Ref: string }[]) covered.add(ref.Ref);
    }
    expect([...covered].sort()).toEqual(queueIds.sort());
  });

  it('suits a long task extended by a heartbeat: 5-minute visibility, long polling, 14-day dead letters', () => {
    for (const [name, queue] of queuesNamed(defaults)) {
      if (name.endsWith('-dlq')) {
        expect(queue.Properties.MessageRetentionPeriod, name).toBe(14 * 24 * 3600);
      } else {
        expect(queue.Properties.VisibilityTimeout, name).toBe(300);
        expect(queue.Properties.ReceiveMessageWaitTimeSeconds, name).toBe(20);
      }
    }
  });

  it("hands the dispatcher the names' prefix and URL base, and each task only its own lane's queue URLs", () => {
    // prepare
    const { stack } = defaults;
    const template = defaults.template();
    const urlsOf = (profile: 'local' | 'strict' | 'permissive') =>
      Object.fromEntries(PRIORITIES.map((p) => [p, `\${${logicalIdOf(stack, stack.queues.laneOf(profile, 'api').queues[p])}}`]));
    // act
    const fn = Object.values(resourcesOf(template, 'AWS::Lambda::Function'))[0]!;
    const env = functionEnvironment(fn);
    // assess: no list of URLs in the dispatcher's 4 KB; it derives them (see lanesOf)
    expect(env[ENV.queueUrls]).toBeUndefined();
    expect(env[ENV.namePrefix]).toBe('HeadlessWorkers');
    expect(env[ENV.queueUrlBase]).toBe('https://sqs.${AWS::Region}.${AWS::URLSuffix}/${AWS::AccountId}/');
    for (const profile of ['local', 'strict', 'permissive'] as const) {
      const td = template.findResources('AWS::ECS::TaskDefinition', { Properties: { Family: `HeadlessWorkers-${profile}-api` } });
      const taskEnv = containerEnvironment(Object.values(td)[0] as never);
      expect(JSON.parse(taskEnv[ENV.queueUrls]!)).toEqual({ [profile]: urlsOf(profile) });
      expect(taskEnv[ENV.target]).toBe('api');
    }
  });

  it('gives each target its own lane: two targets, two queue sets per profile, names the dispatcher derives', () => {
    const built = buildStack({ config: { targets: [...ONE_TARGET.targets, { name: 'web.front', s3: { bucket: 'example-snapshots', key: 'web.tar.gz' } }] } });
    try {
      const names = [...queuesNamed(built).keys()];
      expect(names).toHaveLength(2 * 3 * 4 * 2);
      for (const profile of ['local', 'strict', 'permissive'] as const) {
        for (const target of ['api', 'web.front']) {
          const lane = laneNames('HeadlessWorkers', profile, target);
          for (const priority of PRIORITIES) expect(names, `${profile} ${target} ${priority}`).toContain(lane.queue(priority));
        }
      }
      // "web.front" holds a character queue names cannot: a slug with a hash keeps it apart from a target "web_front".
      expect(laneNames('HeadlessWorkers', 'strict', 'web.front').taskFamily).toMatch(/^HeadlessWorkers-strict-web_front-[0-9a-f]{8}$/);
      expect(laneNames('HeadlessWorkers', 'strict', 'web_front').taskFamily).toBe('HeadlessWorkers-strict-web_front');
      for (const name of names) expect(name.length, name).toBeLessThanOrEqual(80);
    } finally {
      built.dispose();
    }
  });

});
