import type { ECSClient } from '@aws-sdk/client-ecs';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { PRIORITIES } from '../../workers/catalog/constants.js';
import type { ExecutionProfile, Priority } from '../../workers/catalog/types.js';
import type { CapacityOutcome, JsonLogger, QueueDepth } from '../../workers/cloudRuntime/index.js';
import type { DispatcherSettings } from './dispatcherSettings.js';
import { lanesOf } from './lanes.js';
import { LaunchLock, type RecentLaunches } from './LaunchLock.js';
import { listRunningTasks, queueDepths, tasksNotStopped } from './profileState.js';
import { startTasks } from './startTasks.js';

/** A task started this recently counts as running even if ListTasks does not show it yet. */
const RECENT_LAUNCH_MS = 60_000;
/** How long an invocation waits for another one to finish starting tasks. */
const LOCK_WAIT_MS = 8_000;

export interface CapacityDeps {
  readonly ecs: ECSClient;
  readonly sqs: SQSClient;
  readonly documentClient: DynamoDBDocumentClient;
  readonly settings: DispatcherSettings;
  /** The configured targets: each has its own lane (queues, task family) in every profile. */
  readonly targets: readonly string[];
  readonly owner: string;
  readonly clock: () => Date;
  readonly sleep: (ms: number) => Promise<void>;
  readonly log: JsonLogger;
}

/** What one lane needs: its waiting messages, those in flight, its tasks, and the most urgent priority waiting. */
interface LaneNeed {
  readonly target: string;
  readonly waiting: number;
  readonly wanted: number;
  readonly topPriority: number;
}

/**
 * Makes sure enough tasks of a profile run for its waiting messages, never
 * more than the profile's cap, which all its lanes (one per target) share:
 * under the profile's launch lease, counts each lane's running tasks
 * (ListTasks by family, plus launches of the last minute), waiting messages
 * and those in flight, and wants one task per waiting message that no idle
 * task of the same lane will take (a task serves one target). The cap left
 * goes to the lanes with the most urgent waiting priority first, then those
 * with more waiting. Tasks drain their lane's queues one message at a time,
 * so one task per waiting message is the most that can help.
 *
 * @example
 * await ensureCapacity('strict', { justQueued: new Map([['api', 3]]), reason: 'dispatch' }, deps);
 */
export async function ensureCapacity(
  profile: ExecutionProfile,
  options: { readonly justQueued: ReadonlyMap<string, number>; readonly reason: string },
  deps: CapacityDeps,
): Promise<CapacityOutcome> {
  const cap = deps.settings.concurrency[profile] ?? 0;
  const base = { profile, cap };
  const justQueued = [...options.justQueued.values()].reduce((sum, n) => sum + n, 0);
  // Cheap check without the lease: at the cap already, nothing to decide.
  const before = countTasks(await listRunningTasks(deps.ecs, deps.settings, profile, deps.targets));
  if (before >= cap) return { ...base, running: before, waiting: justQueued, started: [], problems: [] };

  const lock = new LaunchLock({
    documentClient: deps.documentClient,
    tableName: deps.settings.tableName,
    profile,
    owner: deps.owner,
    clock: () => deps.clock().getTime(),
    sleep: deps.sleep,
  });
  const recent = await lock.acquire(LOCK_WAIT_MS);
  if (!recent) {
    return { ...base, running: before, waiting: justQueued, started: [], problems: ['another dispatcher invocation is starting tasks; the reconcile schedule checks again'] };
  }
  let remembered: RecentLaunches = {};
  try {
    const now = deps.clock().getTime();
    const running = await listRunningTasks(deps.ecs, deps.settings, profile, deps.targets);
    const listed = new Set([...running.values()].flat());
    const unlisted = Object.entries(recent).filter(([arn, at]) => now - at < RECENT_LAUNCH_MS && !listed.has(arn));
    const starting = await tasksNotStopped(deps.ecs, deps.settings, unlisted.map(([arn]) => arn));
    const startingArns = new Set(starting.map((t) => t.arn));
    remembered = Object.fromEntries(unlisted.filter(([arn]) => startingArns.has(arn)));
    const counted = listed.size + starting.length;
    const lanes = lanesOf(deps.settings);
    const needs = await Promise.all(
      deps.targets.map(async (target): Promise<LaneNeed> => {
        const family = lanes.taskFamily(profile, target);
        const tasks = (running.get(target)?.length ?? 0) + starting.filter((t) => t.family === family).length;
        return laneNeed(target, tasks, await queueDepths(deps.sqs, deps.settings, profile, target), options.justQueued.get(target) ?? 0);
      }),
    );
    const waiting = needs.reduce((sum, n) => sum + n.waiting, 0);
    let room = Math.max(0, cap - counted);
    const started: string[] = [];
    const problems: string[] = [];
    for (const need of [...needs].sort((a, b) => a.topPriority - b.topPriority || b.waiting - a.waiting)) {
      const count = Math.min(room, need.wanted);
      if (count === 0) continue;
      const result = await startTasks({ profile, target: need.target, count, reason: options.reason }, deps);
      for (const arn of result.taskArns) remembered[arn] = now;
      started.push(...result.taskArns);
      problems.push(...result.problems.map((p) => `${need.target}: ${p}`));
      room -= result.taskArns.length;
      // ECS refused after the retries (throttling, no capacity): the next lanes would meet the same; reconcile tries again.
      if (result.taskArns.length < count) break;
    }
    if (started.length > 0) deps.log.info('tasks started', { profile, cap, running: counted, waiting, started: started.length });
    return { ...base, running: counted, waiting, started, problems };
  } finally {
    await lock.release(remembered);
  }
}

function countTasks(byTarget: ReadonlyMap<string, readonly string[]>): number {
  return [...byTarget.values()].reduce((sum, arns) => sum + arns.length, 0);
}

/** A lane's need for new tasks: its waiting messages that its idle tasks will not take. */
function laneNeed(target: string, tasks: number, depths: Record<Priority, QueueDepth>, justQueued: number): LaneNeed {
  const visible = Object.values(depths).reduce((sum, d) => sum + d.waiting, 0);
  const inFlight = Object.values(depths).reduce((sum, d) => sum + d.inFlight, 0);
  // SQS counts are approximate and lag: the messages this call just sent are waiting for sure.
  const waiting = Math.max(visible, justQueued);
  // A task holds one message while it works: tasks beyond the messages in flight are idle
  // (or just starting) and will take a waiting message each without help.
  const idle = Math.max(0, tasks - inFlight);
  const top = PRIORITIES.findIndex((p) => depths[p].waiting > 0);
  return { target, waiting, wanted: Math.max(0, waiting - idle), topPriority: top === -1 ? PRIORITIES.length : top };
}
