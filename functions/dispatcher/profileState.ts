import { DescribeTasksCommand, ListTasksCommand, type ECSClient } from '@aws-sdk/client-ecs';
import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { PRIORITIES } from '../../workers/catalog/constants.js';
import type { ExecutionProfile, Priority } from '../../workers/catalog/types.js';
import type { QueueDepth } from '../../workers/cloudRuntime/index.js';
import type { DispatcherSettings } from './dispatcherSettings.js';
import { lanesOf } from './lanes.js';

/** The family of a task definition ARN (`arn:...:task-definition/<family>:<revision>`). */
export function familyOf(taskDefinitionArn: string): string {
  const name = taskDefinitionArn.split('/').pop() ?? taskDefinitionArn;
  return name.replace(/:\d+$/, '');
}

/**
 * ARNs of the tasks of one lane (a profile on a target) that are running or
 * about to (desired status RUNNING: provisioning and pending included), found
 * by the lane's task family.
 */
export async function listLaneTasks(ecs: ECSClient, settings: DispatcherSettings, profile: ExecutionProfile, target: string): Promise<string[]> {
  const family = lanesOf(settings).taskFamily(profile, target);
  const arns: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await ecs.send(new ListTasksCommand({ cluster: settings.clusterArn, family, desiredStatus: 'RUNNING', ...(nextToken ? { nextToken } : {}) }));
    arns.push(...(page.taskArns ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return arns;
}

/** The running tasks of a profile, by target (one ListTasks per lane, in parallel). */
export async function listRunningTasks(ecs: ECSClient, settings: DispatcherSettings, profile: ExecutionProfile, targets: readonly string[]): Promise<Map<string, string[]>> {
  const lists = await Promise.all(targets.map((target) => listLaneTasks(ecs, settings, profile, target)));
  return new Map(targets.map((target, i) => [target, lists[i]!]));
}

/** Approximate depth of each of a lane's queues. */
export async function queueDepths(sqs: SQSClient, settings: DispatcherSettings, profile: ExecutionProfile, target: string): Promise<Record<Priority, QueueDepth>> {
  const lanes = lanesOf(settings);
  const entries = await Promise.all(PRIORITIES.map(async (priority) => [priority, await queueDepth(sqs, lanes.queueUrl(profile, target, priority))] as const));
  return Object.fromEntries(entries) as Record<Priority, QueueDepth>;
}

export async function queueDepth(sqs: SQSClient, queueUrl: string): Promise<QueueDepth> {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
  );
  return { waiting: Number(Attributes?.ApproximateNumberOfMessages ?? 0), inFlight: Number(Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0) };
}

/**
 * Of tasks started recently but missing from ListTasks, those that may still
 * be starting, with their family: ECS lists a new task only after a moment,
 * while a task that already stopped (it found nothing to do, or failed to
 * start) is STOPPED in DescribeTasks. Unknown tasks count as starting (family
 * unknown).
 */
export async function tasksNotStopped(ecs: ECSClient, settings: DispatcherSettings, taskArns: readonly string[]): Promise<{ readonly arn: string; readonly family?: string }[]> {
  if (taskArns.length === 0) return [];
  const stopped = new Set<string>();
  const families = new Map<string, string>();
  for (let i = 0; i < taskArns.length; i += 100) {
    const { tasks } = await ecs.send(new DescribeTasksCommand({ cluster: settings.clusterArn, tasks: taskArns.slice(i, i + 100) }));
    for (const task of tasks ?? []) {
      if (!task.taskArn) continue;
      if (task.lastStatus === 'STOPPED' || task.desiredStatus === 'STOPPED') stopped.add(task.taskArn);
      if (task.taskDefinitionArn) families.set(task.taskArn, familyOf(task.taskDefinitionArn));
    }
  }
  return taskArns.filter((arn) => !stopped.has(arn)).map((arn) => (families.has(arn) ? { arn, family: families.get(arn)! } : { arn }));
}
