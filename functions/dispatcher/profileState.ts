import { DescribeTasksCommand, ListTasksCommand, type ECSClient } from '@aws-sdk/client-ecs';
import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { PRIORITIES } from '../../workers/catalog/constants.js';
import type { ExecutionProfile, Priority } from '../../workers/catalog/types.js';
import type { QueueDepth } from '../../workers/cloudRuntime/index.js';
import type { DispatcherSettings } from './dispatcherSettings.js';

/** The family of a task definition ARN (`arn:...:task-definition/<family>:<revision>`). */
export function familyOf(taskDefinitionArn: string): string {
  const name = taskDefinitionArn.split('/').pop() ?? taskDefinitionArn;
  return name.replace(/:\d+$/, '');
}

/**
 * ARNs of the profile's tasks that are running or about to (desired status
 * RUNNING: provisioning and pending included), found by task family.
 */
export async function listRunningTasks(ecs: ECSClient, settings: DispatcherSettings, profile: ExecutionProfile): Promise<string[]> {
  const taskDefinition = settings.taskDefinitions[profile];
  if (!taskDefinition) return [];
  const arns: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await ecs.send(
      new ListTasksCommand({ cluster: settings.clusterArn, family: familyOf(taskDefinition), desiredStatus: 'RUNNING', ...(nextToken ? { nextToken } : {}) }),
    );
    arns.push(...(page.taskArns ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return arns;
}


/** Approximate depth of each of a profile's queues. */
export async function queueDepths(sqs: SQSClient, settings: DispatcherSettings, profile: ExecutionProfile): Promise<Record<Priority, QueueDepth>> {
  const urls = settings.queueUrls[profile];
  const entries = await Promise.all(
    PRIORITIES.map(async (priority) => [priority, urls?.[priority] ? await queueDepth(sqs, urls[priority]) : { waiting: 0, inFlight: 0 }] as const),
  );
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
 * be starting: ECS lists a new task only after a moment, while a task that
 * already stopped (it found nothing to do, or failed to start) is STOPPED
 * in DescribeTasks. Unknown tasks count as starting.
 */
export async function tasksNotStopped(ecs: ECSClient, settings: DispatcherSettings, taskArns: readonly string[]): Promise<string[]> {
  if (taskArns.length === 0) return [];
  const stopped = new Set<string>();
  for (let i = 0; i < taskArns.length; i += 100) {
    const { tasks } = await ecs.send(new DescribeTasksCommand({ cluster: settings.clusterArn, tasks: taskArns.slice(i, i + 100) }));
    for (const task of tasks ?? []) if (task.taskArn && (task.lastStatus === 'STOPPED' || task.desiredStatus === 'STOPPED')) stopped.add(task.taskArn);
  }
  return taskArns.filter((arn) => !stopped.has(arn));
}
