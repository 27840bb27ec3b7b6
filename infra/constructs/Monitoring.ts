import { Duration, Stack } from 'aws-cdk-lib';
import * as budgets from 'aws-cdk-lib/aws-budgets';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { PRIORITIES } from '../../workers/catalog/index.js';
import type { ExecutionProfile } from '../../workers/catalog/index.js';
import { METRICS, METRIC_NAMESPACE } from '../../workers/cloud/index.js';
import type { QueueLane, WorkQueues } from './WorkQueues.js';

export interface MonitoringProps {
  readonly queues: WorkQueues;
  readonly cluster: ecs.ICluster;
  /** CPU units of each profile's task: running tasks = reserved CPU / task CPU. */
  readonly taskCpu: Readonly<Partial<Record<ExecutionProfile, number>>>;
  /** Task definition family of each profile (Container Insights dimension). */
  /** Task definition families of each profile, one per lane (target). */
  readonly taskFamilies: Readonly<Partial<Record<ExecutionProfile, readonly string[]>>>;
  readonly dispatcher: lambda.IFunction;
  readonly dashboardName: string;
  /** Share of failed runs in an hour that raises the failure-rate alarm (0-1]. */
  readonly failureRate: number;
  /** An existing SNS topic for every alarm and budget notification. Default: none (alarms only show in the console). */
  readonly alarmTopicArn?: string;
  /** A monthly AWS cost budget. Default: none. */
  readonly budget?: { readonly monthlyUsd: number; readonly emails: readonly string[] };
}

/** Metrics Insights over the runner's metrics, whatever dimension sets it emits them with. */
function runMetricQuery(fn: 'AVG' | 'SUM', metric: string, label: string, period: Duration): cloudwatch.MathExpression {
  return new cloudwatch.MathExpression({
    expression: `SELECT ${fn}(${metric}) FROM "${METRIC_NAMESPACE}"`,
    usingMetrics: {},
    label,
    period,
  });
}

/**
 * The CloudWatch dashboard (queue depth per priority, oldest message age,
 * running tasks, run outcomes, duration, tokens, cost, sandbox violations) and
 * the alarms (a dead-letter queue not empty, failure rate, sandbox violations,
 * dispatcher errors), optionally sent to an SNS topic; and an optional AWS
 * Budgets cost budget.
 *
 * @example
 * new Monitoring(this, 'Monitoring', { queues, cluster, dispatcher: fn, dashboardName: 'HeadlessWorkers', failureRate: 0.25, taskCpu, taskFamilies });
 */
export class Monitoring extends Construct {
  public readonly dashboard: cloudwatch.Dashboard;
  /** One per lane (`laneKey(profile, target)`): any message in any of its dead-letter queues. An alarm's math takes at most 10 metrics, so one per profile would cap the targets at two. */
  public readonly deadLetterAlarms: ReadonlyMap<string, cloudwatch.Alarm>;
  public readonly failureRateAlarm: cloudwatch.Alarm;
  public readonly sandboxViolationAlarm: cloudwatch.Alarm;
  public readonly dispatcherErrorAlarm: cloudwatch.Alarm;
  public readonly budget?: budgets.CfnBudget;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    if (!(props.failureRate > 0 && props.failureRate <= 1)) throw new Error(`Monitoring: failureRate must be in (0, 1] (got ${props.failureRate})`);
    if (props.budget && !props.alarmTopicArn && props.budget.emails.length === 0) {
      throw new Error('Monitoring: a budget needs someone to notify: give alarmTopicArn or budget emails');
    }
    const topic = props.alarmTopicArn ? sns.Topic.fromTopicArn(this, 'AlarmTopic', props.alarmTopicArn) : undefined;
    const notify = (alarm: cloudwatch.Alarm): cloudwatch.Alarm => {
      if (topic) alarm.addAlarmAction(new actions.SnsAction(topic));
      return alarm;
    };
    const queues = props.queues;
    const fiveMinutes = Duration.minutes(5);

    const deadLetterAlarms = new Map<string, cloudwatch.Alarm>();
    for (const [key, lane] of queues.lanes) {
      const { profile, target } = lane;
      const dead = lane.deadLetterQueues;
      const usingMetrics = Object.fromEntries(
        PRIORITIES.map((priority) => [priority, dead[priority].metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period: fiveMinutes })]),
      );
      deadLetterAlarms.set(
        key,
        notify(
          new cloudwatch.Alarm(this, `DeadLetters-${profile}-${target}`, {
            alarmDescription: `headless-workers: a ${profile} run on ${target} failed ${queues.maxReceiveCount} times and its message is in a dead-letter queue`,
            metric: new cloudwatch.MathExpression({ expression: `MAX([${PRIORITIES.join(',')}])`, usingMetrics, label: `${profile}/${target} dead letters`, period: fiveMinutes }),
            threshold: 1,
            evaluationPeriods: 1,
            comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
          }),
        ),
      );
    }
    this.deadLetterAlarms = deadLetterAlarms;

    const oneHour = Duration.hours(1);
    this.failureRateAlarm = notify(
      new cloudwatch.Alarm(this, 'FailureRate', {
        alarmDescription: `headless-workers: more than ${Math.round(props.failureRate * 100)} % of the runs in the last hour failed`,
        metric: runMetricQuery('AVG', METRICS.runFailed, 'failure rate', oneHour),
        threshold: props.failureRate,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    );
    this.sandboxViolationAlarm = notify(
      new cloudwatch.Alarm(this, 'SandboxViolations', {
        alarmDescription: 'headless-workers: Claude Code tried a tool its sandbox profile refuses',
        metric: runMetricQuery('SUM', METRICS.sandboxViolations, 'sandbox violations', fiveMinutes),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    );
    this.dispatcherErrorAlarm = notify(
      new cloudwatch.Alarm(this, 'DispatcherErrors', {
        alarmDescription: 'headless-workers: the dispatcher Lambda failed (an invocation threw or timed out)',
        metric: props.dispatcher.metricErrors({ period: fiveMinutes, statistic: 'Sum' }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    );

    if (props.budget) {
      const subscribers = [
        ...(props.alarmTopicArn ? [{ subscriptionType: 'SNS', address: props.alarmTopicArn }] : []),
        ...props.budget.emails.map((address) => ({ subscriptionType: 'EMAIL', address })),
      ];
      // Account-wide on purpose: Bedrock model calls carry no resource tags, so a
      // tag-filtered budget would miss the largest cost of this stack.
      this.budget = new budgets.CfnBudget(this, 'Budget', {
        budget: {
          budgetName: `${Stack.of(this).stackName}-monthly`,
          budgetType: 'COST',
          timeUnit: 'MONTHLY',
          budgetLimit: { amount: props.budget.monthlyUsd, unit: 'USD' },
        },
        notificationsWithSubscribers: [
          { notification: { notificationType: 'ACTUAL', comparisonOperator: 'GREATER_THAN', threshold: 80, thresholdType: 'PERCENTAGE' }, subscribers },
          { notification: { notificationType: 'FORECASTED', comparisonOperator: 'GREATER_THAN', threshold: 100, thresholdType: 'PERCENTAGE' }, subscribers },
        ],
      });
    }

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', { dashboardName: props.dashboardName, defaultInterval: Duration.days(1) });
    this.dashboard.addWidgets(
      new cloudwatch.TextWidget({
        markdown: `# headless-workers\nQueues by priority, tasks, and what the runs did. Alarms: dead letters, failure rate, sandbox violations, dispatcher errors.`,
        width: 24,
        height: 2,
      }),
    );
    this.dashboard.addWidgets(
      ...PRIORITIES.map(
        (priority) =>
          new cloudwatch.GraphWidget({
            title: `Queue depth: ${priority}`,
            width: 6,
            left: queues.profiles.flatMap((profile) =>
              laneMath(queues.lanesOf(profile), 'SUM', profile, (lane) => lane.queues[priority].metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period: Duration.minutes(1) })),
            ),
          }),
      ),
    );
    const runningTasks = queues.profiles.flatMap((profile) => {
      const cpu = props.taskCpu[profile];
      const families = props.taskFamilies[profile] ?? [];
      if (!cpu || families.length === 0) return [];
      const reserved = Object.fromEntries(
        families.map((family, i) => [
          `cpu${profile}${i}`,
          new cloudwatch.Metric({
            namespace: 'ECS/ContainerInsights',
            metricName: 'CpuReserved',
            dimensionsMap: { ClusterName: props.cluster.clusterName, TaskDefinitionFamily: family },
            statistic: 'Average',
            period: Duration.minutes(1),
          }),
        ]),
      );
      const sum = Object.keys(reserved).map((id) => `FILL(${id}, 0)`).join(' + ');
      return [new cloudwatch.MathExpression({ expression: `(${sum}) / ${cpu}`, usingMetrics: reserved, label: profile, period: Duration.minutes(1) })];
    });
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Oldest message age (s)',
        width: 12,
        left: queues.profiles.flatMap((profile) =>
          PRIORITIES.flatMap((priority) =>
            laneMath(queues.lanesOf(profile), 'MAX', `${profile}/${priority}`, (lane) => lane.queues[priority].metricApproximateAgeOfOldestMessage({ statistic: 'Maximum', period: Duration.minutes(1) })),
          ),
        ),
      }),
      new cloudwatch.GraphWidget({
        title: 'Running tasks by profile',
        width: 12,
        left: [
          new cloudwatch.Metric({
            namespace: 'ECS/ContainerInsights',
            metricName: 'TaskCount',
            dimensionsMap: { ClusterName: props.cluster.clusterName },
            statistic: 'Maximum',
            period: Duration.minutes(1),
            label: 'all profiles',
          }),
          ...runningTasks,
        ],
      }),
    );
    const hourly = Duration.hours(1);
    const byWorker = (fn: 'SUM' | 'AVG', metric: string): cloudwatch.MathExpression =>
      new cloudwatch.MathExpression({ expression: `SELECT ${fn}(${metric}) FROM "${METRIC_NAMESPACE}" GROUP BY Worker`, usingMetrics: {}, period: hourly });
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Run outcomes',
        width: 8,
        left: [new cloudwatch.MathExpression({ expression: `SELECT SUM(${METRICS.runOutcome}) FROM "${METRIC_NAMESPACE}" GROUP BY Outcome`, usingMetrics: {}, period: hourly })],
        right: [runMetricQuery('AVG', METRICS.runFailed, 'failure rate', hourly)],
      }),
      new cloudwatch.GraphWidget({ title: 'Run duration (ms, average)', width: 8, left: [byWorker('AVG', METRICS.durationMs)] }),
      new cloudwatch.GraphWidget({
        title: 'Tokens',
        width: 8,
        left: [runMetricQuery('SUM', METRICS.inputTokens, 'input', hourly), runMetricQuery('SUM', METRICS.outputTokens, 'output', hourly)],
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({ title: 'Model cost (USD per hour)', width: 12, left: [byWorker('SUM', METRICS.costUsd)] }),
      new cloudwatch.GraphWidget({ title: 'Sandbox violations', width: 12, left: [byWorker('SUM', METRICS.sandboxViolations)] }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.AlarmStatusWidget({
        title: 'Alarms',
        width: 24,
        alarms: [...deadLetterAlarms.values(), this.failureRateAlarm, this.sandboxViolationAlarm, this.dispatcherErrorAlarm],
      }),
    );
  }
}

/** One line per profile over its lanes (one per target): the SUM or MAX of a metric of each lane; none without lanes. */
function laneMath(lanes: readonly QueueLane[], fn: 'SUM' | 'MAX', label: string, metricOf: (lane: QueueLane) => cloudwatch.IMetric): cloudwatch.IMetric[] {
  if (lanes.length === 0) return [];
  // Ids are unique within a graph or alarm: derived from the line's label.
  const prefix = `${fn}_${label}`.toLowerCase().replace(/[^a-z0-9]/g, '_');
  const usingMetrics = Object.fromEntries(lanes.map((lane, i) => [`${prefix}_${i}`, metricOf(lane)]));
  return [new cloudwatch.MathExpression({ expression: `${fn}([${Object.keys(usingMetrics).join(',')}])`, usingMetrics, label, period: Duration.minutes(1) })];
}
