import type { ECSClient } from '@aws-sdk/client-ecs';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ExecutionProfile } from '../../workers/catalog/types.js';
import type { CapacityOutcome, JsonLogger } from '../../workers/cloudRuntime/index.js';
import type { DispatcherSettings } from './dispatcherSettings.js';
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
  readonly owner: string;
  readonly clock: () => Date;
  readonly sleep: (ms: number) => Promise<void>;
  readonly log: JsonLogger;
}

/**
 * Makes sure enough tasks of a profile run for its waiting messages, never
 * more than the profile's cap: under the profile's launch lease, counts the
 * running tasks (ListTasks by family, plus launches of the last minute), the
 * waiting messages and those in flight, and starts one task per waiting
 * message that no idle task will take (running − in flight are idle), at
 * most cap − running. Tasks drain every queue of their profile one message
 * at a time, so one task per waiting message is the most that can help.
 *
 * @example
 * await ensureCapacity('strict', { justQueued: 3, reason: 'dispatch' }, deps);
 */
export async function ensureCapacity(
  profile: ExecutionProfile,
  options: { readonly justQueued: number; readonly reason: string },
  deps: CapacityDeps,
): Promise<CapacityOutcome> {
  const cap = deps.settings.concurrency[profile] ?? 0;
  const base = { profile, cap };
  // Cheap check without the lease: at the cap already, nothing to decide.
  const before = await listRunningTasks(deps.ecs, deps.settings, profile);
  if (before.length >= cap) return { ...base, running: before.length, waiting: options.justQueued, started: [], problems: [] };

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
    return { ...base, running: before.length, waiting: options.justQueued, started: [], problems: ['another dispatcher invocation is starting tasks; the reconcile schedule checks again'] };
  }
  let remembered: RecentLaunches = {};
  try {
    const now = deps.clock().getTime();
    const running = new Set(await listRunningTasks(deps.ecs, deps.settings, profile));
    const unlisted = Object.entries(recent).filter(([arn, at]) => now - at < RECENT_LAUNCH_MS && !running.has(arn));
    const starting = new Set(await tasksNotStopped(deps.ecs, deps.settings, unlisted.map(([arn]) => arn)));
    remembered = Object.fromEntries(unlisted.filter(([arn]) => starting.has(arn)));
    const counted = running.size + Object.keys(remembered).length;
    const depths = await queueDepths(deps.sqs, deps.settings, profile);
    const visible = Object.values(depths).reduce((sum, d) => sum + d.waiting, 0);
    const inFlight = Object.values(depths).reduce((sum, d) => sum + d.inFlight, 0);
    // SQS counts are approximate and lag: the messages this call just sent are waiting for sure.
    const waiting = Math.max(visible, options.justQueued);
    // A task holds one message while it works: tasks beyond the messages in flight are idle
    // (or just starting) and will take a waiting message each without help.
    const idle = Math.max(0, counted - inFlight);
    const wanted = Math.max(0, Math.min(cap - counted, waiting - idle));
    if (wanted === 0) return { ...base, running: counted, waiting, started: [], problems: [] };
    const result = await startTasks({ profile, count: wanted, reason: options.reason }, deps);
    for (const arn of result.taskArns) remembered[arn] = now;
    deps.log.info('tasks started', { profile, cap, running: counted, waiting, started: result.taskArns.length });
    return { ...base, running: counted, waiting, started: result.taskArns, problems: result.problems };
  } finally {
    await lock.release(remembered);
  }
}
