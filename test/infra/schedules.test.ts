import { Match } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RECONCILE_INPUT, scheduledWorkers } from '../../infra/constructs/Schedules.js';
import { BUILTIN_WORKERS, MINUTE_MS } from '../../workers/catalog/index.js';
import type { HeadlessWorkerDefinition, WorkerDefinition } from '../../workers/catalog/index.js';
import { parseConfig, resolveCatalog } from '../../workers/config/index.js';
import { buildStack, ONE_TARGET, resourcesOf, type BuiltStack } from './helpers/buildStack.js';

type ScheduleProps = { Properties: Record<string, any> };

/** Worker name → schedule, read from each schedule's input. */
function schedulesByWorker(built: BuiltStack): Map<string, ScheduleProps> {
  const byWorker = new Map<string, ScheduleProps>();
  for (const schedule of Object.values(resourcesOf(built.template(), 'AWS::Scheduler::Schedule'))) {
    const input = JSON.parse(schedule.Properties.Target.Input as string) as { worker?: string };
    if (input.worker) byWorker.set(input.worker, schedule);
  }
  return byWorker;
}

describe('schedules follow the catalog', () => {
  let defaults: BuiltStack;
  let changed: BuiltStack;
  let extended: BuiltStack;
  const extraWorker: WorkerDefinition = { ...(BUILTIN_WORKERS.find((w) => w.type === 'audit') as HeadlessWorkerDefinition), type: 'licenses', intervalMs: 240 * MINUTE_MS, priority: 'high' };

  beforeAll(() => {
    defaults = buildStack();
    changed = buildStack({ config: { ...ONE_TARGET, workers: { audit: { enabled: false }, predict: { enabled: true } } } });
    const base = parseConfig(ONE_TARGET);
    const { catalog, problems } = resolveCatalog({}, { allowDisabledSandbox: false }, [...BUILTIN_WORKERS, extraWorker]);
    expect(problems).toEqual([]);
    extended = buildStack({ resolved: { ...base, catalog } });
  });
  afterAll(() => [defaults, changed, extended].forEach((built) => built?.dispose()));

  it('gives each enabled worker with an interval one schedule whose input names it, at its interval', () => {
    // prepare
    const expected = BUILTIN_WORKERS.filter((w) => w.enabled && w.intervalMs > 0);
    // act
    const byWorker = schedulesByWorker(defaults);
    // assess
    expect([...byWorker.keys()].sort()).toEqual(expected.map((w) => w.type).sort());
    const rates = { map: 'rate(15 minutes)', audit: 'rate(30 minutes)', optimize: 'rate(1 hour)', consolidate: 'rate(30 minutes)', testgaps: 'rate(1 hour)' };
    expect([...byWorker.keys()].sort()).toEqual(Object.keys(rates).sort());
    for (const worker of expected) {
      const schedule = byWorker.get(worker.type)!;
      expect(JSON.parse(schedule.Properties.Target.Input)).toEqual({ source: 'schedule', worker: worker.type, scheduledTime: '<aws.scheduler.scheduled-time>' });
      expect(schedule.Properties.ScheduleExpression).toBe(rates[worker.type as keyof typeof rates]);
      expect(schedule.Properties.State).toBe('ENABLED');
    }
  });

  it('gives manual-only and disabled workers no schedule', () => {
    const byWorker = schedulesByWorker(defaults);
    for (const name of ['ultralearn', 'refactor', 'deepdive', 'predict', 'document', 'benchmark', 'preload']) {
      expect(byWorker.has(name), name).toBe(false);
    }
  });

  it('removes the schedule of a worker disabled in the config and adds one for a worker enabled there', () => {
    const byWorker = schedulesByWorker(changed);
    expect(byWorker.has('audit')).toBe(false);
    expect(byWorker.get('predict')?.Properties.ScheduleExpression).toBe('rate(10 minutes)');
  });

  it('adds a schedule for a worker added to the built-in catalog, with no other edit', () => {
    const byWorker = schedulesByWorker(extended);
    expect(byWorker.get('licenses')?.Properties.ScheduleExpression).toBe('rate(4 hours)');
    expect(byWorker.size).toBe(6);
  });

  it('starts critical and high priority runs on time and lets normal and low ones float', () => {
    const byWorker = schedulesByWorker(defaults);
    expect(byWorker.get('audit')!.Properties.FlexibleTimeWindow).toEqual({ Mode: 'OFF' });
    expect(byWorker.get('map')!.Properties.FlexibleTimeWindow).toEqual({ Mode: 'FLEXIBLE', MaximumWindowInMinutes: 7 });
    expect(byWorker.get('optimize')!.Properties.FlexibleTimeWindow).toEqual({ Mode: 'FLEXIBLE', MaximumWindowInMinutes: 15 });
    expect(schedulesByWorker(extended).get('licenses')!.Properties.FlexibleTimeWindow).toEqual({ Mode: 'OFF' });
  });

  it('has a reconcile schedule for the dispatcher, every 5 minutes by default', () => {
    defaults.template().hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(5 minutes)',
      Target: Match.objectLike({ Input: JSON.stringify(RECONCILE_INPUT) }),
    });
  });

  it('invokes exactly the dispatcher, through one role allowed nothing else', () => {
    const template = defaults.template();
    const functionId = Object.keys(resourcesOf(template, 'AWS::Lambda::Function'))[0]!;
    for (const schedule of Object.values(resourcesOf(template, 'AWS::Scheduler::Schedule'))) {
      expect(schedule.Properties.Target.Arn).toEqual({ 'Fn::GetAtt': [functionId, 'Arn'] });
    }
    const roleId = defaults.stack.getLogicalId(defaults.stack.schedules.role.node.defaultChild as never);
    const policies = Object.values(resourcesOf(template, 'AWS::IAM::Policy')).filter((p) => JSON.stringify(p.Properties.Roles).includes(roleId));
    expect(policies.map((p) => p.Properties.PolicyDocument.Statement)).toEqual([
      [{ Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: { 'Fn::GetAtt': [functionId, 'Arn'] } }],
    ]);
  });

  it('selects scheduled workers from any catalog', () => {
    const catalog = parseConfig({ workers: { map: { intervalMs: 0 } } }).catalog;
    expect(scheduledWorkers(catalog).map((w) => w.type)).toEqual(['audit', 'optimize', 'consolidate', 'testgaps']);
  });
});
