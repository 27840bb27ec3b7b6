import { RunTaskCommand, type ECSClient } from '@aws-sdk/client-ecs';
import type { ExecutionProfile } from '../../workers/catalog/types.js';
import type { JsonLogger } from '../../workers/cloudRuntime/index.js';
import type { DispatcherSettings } from './dispatcherSettings.js';
import { lanesOf } from './lanes.js';

/** ECS starts at most 10 tasks per RunTask call. */
const MAX_PER_CALL = 10;
/** Waits before the 2nd, 3rd and 4th try (jittered): the whole retry fits well inside the Lambda timeout. */
const BACKOFF_MS = [250, 1_000, 3_000];
/** `startedBy` of the tasks the dispatcher starts (ListTasks can filter on it). */
export const STARTED_BY = 'hw-dispatcher';
/** Environment variable through which RunTask tells a task why it was started. */
export const LAUNCH_REASON_VARIABLE = 'HW_LAUNCH_REASON';

/** RunTask failures worth another try: no capacity right now, throttling, a service hiccup. */
export function isRetryableLaunchFailure(reason: string): boolean {
  return /capacity|throttl|rate exceeded|RESOURCE:|AGENT|ServerException|ServiceUnavailable|InternalError|timeout/i.test(reason);
}

export interface StartTasksResult {
  readonly taskArns: readonly string[];
  /** Why some tasks did not start (after the retries). */
  readonly problems: readonly string[];
}

/**
 * Starts `count` Fargate tasks of a lane (a profile on one target: the lane's
 * task definition carries its target, queues and task role) with RunTask, retrying capacity
 * and throttling failures with jittered backoff; other failures, and the
 * tasks still missing after the last try, are reported, not thrown: the
 * messages wait in their queue for the reconcile schedule.
 */
export async function startTasks(
  input: { readonly profile: ExecutionProfile; readonly target: string; readonly count: number; readonly reason: string },
  deps: { readonly ecs: ECSClient; readonly settings: DispatcherSettings; readonly sleep: (ms: number) => Promise<void>; readonly log: JsonLogger },
): Promise<StartTasksResult> {
  const { settings } = deps;
  // The family alone starts its latest revision: the one the last deploy registered.
  const taskDefinition = lanesOf(settings).taskFamily(input.profile, input.target);
  const securityGroup = settings.securityGroups[input.profile];
  const started: string[] = [];
  let problems: string[] = [];
  for (let attempt = 0; attempt <= BACKOFF_MS.length && started.length < input.count; attempt++) {
    if (attempt > 0) await deps.sleep(BACKOFF_MS[attempt - 1]! * (0.75 + Math.random() / 2));
    problems = [];
    let retryable = false;
    while (started.length < input.count) {
      const count = Math.min(MAX_PER_CALL, input.count - started.length);
      try {
        const response = await deps.ecs.send(
          new RunTaskCommand({
            cluster: settings.clusterArn,
            taskDefinition,
            count,
            launchType: 'FARGATE',
            startedBy: STARTED_BY,
            enableExecuteCommand: false,
            networkConfiguration: {
              awsvpcConfiguration: {
                subnets: [...settings.subnets],
                ...(securityGroup ? { securityGroups: [securityGroup] } : {}),
                assignPublicIp: settings.assignPublicIp,
              },
            },
            overrides: {
              containerOverrides: [{ name: settings.containerName, environment: [{ name: LAUNCH_REASON_VARIABLE, value: input.reason }] }],
            },
          }),
        );
        const arns = (response.tasks ?? []).map((t) => t.taskArn).filter((arn): arn is string => Boolean(arn));
        started.push(...arns);
        const failures = (response.failures ?? []).map((f) => `${f.reason ?? 'failure'}${f.detail ? ` (${f.detail})` : ''}`);
        problems.push(...failures);
        if (arns.length < count) {
          retryable = failures.length === 0 || failures.some(isRetryableLaunchFailure);
          break;
        }
      } catch (error) {
        const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        problems.push(reason);
        retryable = isRetryableLaunchFailure(reason);
        deps.log.warn('RunTask failed', { profile: input.profile, target: input.target, attempt, error });
        break;
      }
    }
    if (!retryable) break;
  }
  if (started.length < input.count) deps.log.warn('fewer tasks started than needed', { profile: input.profile, target: input.target, wanted: input.count, started: started.length, problems });
  return { taskArns: started, problems: started.length < input.count ? problems : [] };
}
