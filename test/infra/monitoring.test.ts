import { Match } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRIORITIES } from '../../workers/catalog/index.js';
import { METRICS, METRIC_NAMESPACE, STACK_OUTPUTS } from '../../workers/cloud/index.js';
import { buildStack, logicalIdOf, ONE_TARGET, resourcesOf, type BuiltStack } from './helpers/buildStack.js';

const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:team-alerts';

describe('monitoring and outputs', () => {
  let defaults: BuiltStack;
  let watched: BuiltStack;

  beforeAll(() => {
    defaults = buildStack();
    watched = buildStack({
      config: { ...ONE_TARGET, allowDisabledSandbox: true },
      deploy: { alarms: { topicArn: TOPIC, failureRate: 0.5 }, budget: { monthlyUsd: 120, emails: ['ops@example.com'] } },
    });
  });
  afterAll(() => [defaults, watched].forEach((built) => built?.dispose()));

  it('alarms when any dead-letter queue of a lane (a profile on a target) holds a message', () => {
    const { stack } = watched;
    for (const profile of ['local', 'strict', 'permissive', 'disabled'] as const) {
      const alarm = resourcesOf(watched.template(), 'AWS::CloudWatch::Alarm')[logicalIdOf(stack, stack.monitoring.deadLetterAlarms.get(`${profile}/api`)!)]!;
      const metrics = alarm.Properties.Metrics as Record<string, any>[];
      expect(metrics.find((m) => m.Expression)?.Expression).toBe(`MAX([${PRIORITIES.join(',')}])`);
      const watchedQueues = metrics.filter((m) => m.MetricStat).map((m) => m.MetricStat.Metric.Dimensions[0].Value['Fn::GetAtt'][0]);
      const deadLetters = stack.queues.laneOf(profile, 'api').deadLetterQueues;
      expect(watchedQueues.sort()).toEqual(PRIORITIES.map((p) => logicalIdOf(stack, deadLetters[p])).sort());
      expect(alarm.Properties).toMatchObject({ Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', TreatMissingData: 'notBreaching', AlarmActions: [TOPIC] });
    }
  });

  it('alarms on the failure rate and on any sandbox violation, from the runner metrics', () => {
    const template = watched.template();
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Threshold: 0.5,
      ComparisonOperator: 'GreaterThanThreshold',
      Metrics: [Match.objectLike({ Expression: `SELECT AVG(${METRICS.runFailed}) FROM "${METRIC_NAMESPACE}"`, Period: 3600 })],
      AlarmActions: [TOPIC],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Metrics: [Match.objectLike({ Expression: `SELECT SUM(${METRICS.sandboxViolations}) FROM "${METRIC_NAMESPACE}"`, Period: 300 })],
      AlarmActions: [TOPIC],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'Errors', Namespace: 'AWS/Lambda', AlarmActions: [TOPIC] });
  });

  it('has alarms without actions when no topic is configured', () => {
    const alarms = Object.values(resourcesOf(defaults.template(), 'AWS::CloudWatch::Alarm'));
    expect(alarms).toHaveLength(3 + 3);
    for (const alarm of alarms) expect(alarm.Properties.AlarmActions).toBeUndefined();
  });

  it('creates a monthly cost budget that notifies the topic and the e-mail addresses, only when configured', () => {
    const subscribers = [
      { SubscriptionType: 'SNS', Address: TOPIC },
      { SubscriptionType: 'EMAIL', Address: 'ops@example.com' },
    ];
    watched.template().hasResourceProperties('AWS::Budgets::Budget', {
      Budget: { BudgetType: 'COST', TimeUnit: 'MONTHLY', BudgetLimit: { Amount: 120, Unit: 'USD' } },
      NotificationsWithSubscribers: [
        { Notification: { NotificationType: 'ACTUAL', ComparisonOperator: 'GREATER_THAN', Threshold: 80, ThresholdType: 'PERCENTAGE' }, Subscribers: subscribers },
        { Notification: { NotificationType: 'FORECASTED', ComparisonOperator: 'GREATER_THAN', Threshold: 100, ThresholdType: 'PERCENTAGE' }, Subscribers: subscribers },
      ],
    });
    expect(Object.keys(defaults.template().findResources('AWS::Budgets::Budget'))).toHaveLength(0);
  });

  it('draws a dashboard of queue depth per priority, message age, tasks, outcomes, duration, tokens, cost and violations', () => {
    const dashboard = Object.values(resourcesOf(defaults.template(), 'AWS::CloudWatch::Dashboard'))[0]!;
    const body = JSON.stringify(dashboard.Properties.DashboardBody);
    for (const title of [...PRIORITIES.map((p) => `Queue depth: ${p}`), 'Oldest message age', 'Running tasks by profile', 'Run outcomes', 'Run duration', 'Tokens', 'Model cost', 'Sandbox violations']) {
      expect(body, title).toContain(title);
    }
    for (const metric of Object.values(METRICS)) expect(body, metric).toContain(metric);
    expect(body).toContain('ApproximateAgeOfOldestMessage');
    expect(body).toContain('CpuReserved');
  });

  it('outputs what `aws lambda invoke` and the CLI need', () => {
    const { stack } = defaults;
    const outputs = defaults.template().toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(outputs[STACK_OUTPUTS.dispatcherFunctionName]!.Value).toEqual({ Ref: logicalIdOf(stack, stack.dispatcher.function) });
    expect(outputs[STACK_OUTPUTS.tableName]!.Value).toEqual({ Ref: logicalIdOf(stack, stack.results.table) });
    expect(outputs[STACK_OUTPUTS.bucketName]!.Value).toEqual({ Ref: logicalIdOf(stack, stack.results.bucket) });
    expect(outputs[STACK_OUTPUTS.clusterName]!.Value).toEqual({ Ref: logicalIdOf(stack, stack.workers.cluster) });
    expect(outputs[STACK_OUTPUTS.clusterArn]!.Value).toEqual({ 'Fn::GetAtt': [logicalIdOf(stack, stack.workers.cluster), 'Arn'] });
    expect(outputs[STACK_OUTPUTS.dashboardName]!.Value).toEqual({ Ref: logicalIdOf(stack, stack.monitoring.dashboard) });
  });
});
