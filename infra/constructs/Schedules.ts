import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';
import { MINUTE_MS } from '../../workers/catalog/index.js';
import type { Catalog, WorkerDefinition } from '../../workers/catalog/index.js';

export interface SchedulesProps {
  /** The resolved catalog: one schedule per enabled worker with an interval. */
  readonly catalog: Catalog;
  readonly dispatcher: lambda.IFunction;
  /** Name of the schedule group (the stack name). */
  readonly groupName: string;
  /** How often the dispatcher reconciles waiting messages with running tasks. Default: 5 minutes. */
  readonly reconcileEvery?: Duration;
}

/**
 * Invokes the dispatcher with a fixed input. Unlike the stock LambdaInvoke
 * target, it uses the role it is given as is: invoke on the function's ARN only.
 */
class DispatcherInvoke implements scheduler.IScheduleTarget {
  constructor(
    private readonly dispatcher: lambda.IFunction,
    private readonly role: iam.IRole,
    private readonly input: object,
    private readonly retry: { readonly attempts: number; readonly maxEventAge: Duration },
  ) {}

  bind(): scheduler.ScheduleTargetConfig {
    return {
      arn: this.dispatcher.functionArn,
      role: this.role,
      input: scheduler.ScheduleTargetInput.fromObject(this.input),
      retryPolicy: { maximumRetryAttempts: this.retry.attempts, maximumEventAgeInSeconds: this.retry.maxEventAge.toSeconds() },
    };
  }
}

/**
 * The event a worker's schedule sends to the dispatcher. The tick's scheduled
 * time is the dispatcher's idempotency key: a retried invocation of the same
 * tick queues nothing twice.
 */
export function scheduleInput(worker: string): { source: 'schedule'; worker: string; scheduledTime: string } {
  return { source: 'schedule', worker, scheduledTime: scheduler.ContextAttribute.scheduledTime };
}

/** The event the reconcile schedule sends to the dispatcher. */
export const RECONCILE_INPUT = { source: 'schedule', action: 'reconcile' } as const;

/** Workers that get a schedule: enabled, with an interval (0 means manual only). */
export function scheduledWorkers(catalog: Catalog): WorkerDefinition[] {
  return [...catalog.values()].filter((worker) => worker.enabled && worker.intervalMs > 0);
}

/**
 * Flexible window of a worker's schedule. Critical and high priority runs start
 * on time. Normal and low ones may start up to half their interval (at most 15
 * minutes) later, so EventBridge spreads them: fewer runs land at once, an
 * already-running task drains them before its idle exit instead of a new task
 * being started (each start pays an image pull and Fargate's one-minute minimum).
 */
export function timeWindowOf(worker: WorkerDefinition): scheduler.TimeWindow {
  if (worker.priority === 'critical' || worker.priority === 'high') return scheduler.TimeWindow.off();
  const minutes = Math.min(15, Math.floor(worker.intervalMs / MINUTE_MS / 2));
  return minutes >= 1 ? scheduler.TimeWindow.flexible(Duration.minutes(minutes)) : scheduler.TimeWindow.off();
}

/**
 * EventBridge Scheduler schedules that drive the dispatcher: one per enabled,
 * scheduled worker of the catalog (input `{"source":"schedule","worker":…}`),
 * plus the reconcile tick. Manual-only and disabled workers get none.
 *
 * @example
 * new Schedules(this, 'Schedules', { catalog: config.catalog, dispatcher: fn, groupName: 'HeadlessWorkers' });
 */
export class Schedules extends Construct {
  public readonly group: scheduler.ScheduleGroup;
  /** Worker name → its schedule. */
  public readonly workerSchedules: ReadonlyMap<string, scheduler.Schedule>;
  public readonly reconcile: scheduler.Schedule;
  /** The role the schedules invoke the dispatcher with. */
  public readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: SchedulesProps) {
    super(scope, id);
    const reconcileEvery = props.reconcileEvery ?? Duration.minutes(5);
    if (reconcileEvery.toMinutes({ integral: false }) < 1) throw new Error('Schedules: reconcileEvery must be at least 1 minute');

    // Deleted with the stack: CDK retains a schedule group by default, and a retained group's
    // fixed name (the stack name) would make the next deploy of the same stack name fail.
    // It holds only the schedules, which the stack recreates.
    this.group = new scheduler.ScheduleGroup(this, 'Group', { scheduleGroupName: props.groupName, removalPolicy: RemovalPolicy.DESTROY });
    // One role for every schedule, allowed to invoke exactly the dispatcher (the default grant adds ":*" for versions).
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com').withConditions({
        StringEquals: { 'aws:SourceAccount': Stack.of(this).account },
      }),
      description: 'headless-workers schedules: invoke the dispatcher',
    });
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [props.dispatcher.functionArn] }));
    const schedules = new Map<string, scheduler.Schedule>();
    for (const worker of scheduledWorkers(props.catalog)) {
      if (worker.intervalMs % MINUTE_MS !== 0) {
        throw new Error(`Schedules: workers.${worker.type}.intervalMs must be a whole number of minutes (got ${worker.intervalMs})`);
      }
      schedules.set(
        worker.type,
        new scheduler.Schedule(this, `Worker-${worker.type}`, {
          description: `headless-workers: run "${worker.type}" (${worker.priority} priority) every ${worker.intervalMs / MINUTE_MS} minutes`,
          scheduleGroup: this.group,
          schedule: scheduler.ScheduleExpression.rate(Duration.minutes(worker.intervalMs / MINUTE_MS)),
          timeWindow: timeWindowOf(worker),
          // A tick older than the interval is superseded by the next one.
          target: new DispatcherInvoke(props.dispatcher, this.role, scheduleInput(worker.type), {
            attempts: 2,
            maxEventAge: Duration.minutes(Math.min(worker.intervalMs / MINUTE_MS, 60)),
          }),
        }),
      );
    }
    this.workerSchedules = schedules;

    this.reconcile = new scheduler.Schedule(this, 'Reconcile', {
      description: 'headless-workers: start tasks for messages left waiting (a failed or throttled RunTask)',
      scheduleGroup: this.group,
      schedule: scheduler.ScheduleExpression.rate(reconcileEvery),
      timeWindow: scheduler.TimeWindow.off(),
      target: new DispatcherInvoke(props.dispatcher, this.role, RECONCILE_INPUT, { attempts: 0, maxEventAge: reconcileEvery }),
    });
  }
}
