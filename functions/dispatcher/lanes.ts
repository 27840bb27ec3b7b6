import type { ExecutionProfile, Priority } from '../../workers/catalog/types.js';
import { laneNames } from '../../workers/cloud/index.js';
import type { ResolvedConfig } from '../../workers/config/index.js';
import type { DispatcherSettings } from './dispatcherSettings.js';

/**
 * Where the dispatcher finds a lane (one profile on one target): its queues
 * and its task family, derived from the stack's name prefix as the CDK app
 * names them (issue 11, case 8: each target has its own queues, task
 * definition and task role, per profile).
 */
export interface LaneLocator {
  /** URL of a lane's work queue of a priority. */
  queueUrl(profile: ExecutionProfile, target: string, priority: Priority): string;
  /** URL of that queue's dead-letter queue. */
  deadLetterUrl(profile: ExecutionProfile, target: string, priority: Priority): string;
  /** Task definition family of the lane (RunTask starts its latest revision). */
  taskFamily(profile: ExecutionProfile, target: string): string;
}

/**
 * The lane locator of a deployment.
 *
 * @example
 * lanesOf(settings).queueUrl('strict', 'api', 'critical') // 'https://sqs.eu-west-1.amazonaws.com/123456789012/HeadlessWorkers-strict-api-critical'
 */
export function lanesOf(settings: Pick<DispatcherSettings, 'namePrefix' | 'queueUrlBase'>): LaneLocator {
  const names = (profile: ExecutionProfile, target: string) => laneNames(settings.namePrefix, profile, target);
  return {
    queueUrl: (profile, target, priority) => `${settings.queueUrlBase}${names(profile, target).queue(priority)}`,
    deadLetterUrl: (profile, target, priority) => `${settings.queueUrlBase}${names(profile, target).deadLetterQueue(priority)}`,
    taskFamily: (profile, target) => names(profile, target).taskFamily,
  };
}

/** The targets the cloud analyses (those with a git or S3 source; local paths are for the CLI). */
export function cloudTargetsOf(config: Pick<ResolvedConfig, 'targets'>): string[] {
  return config.targets.filter((t) => t.repo === undefined).map((t) => t.name);
}
