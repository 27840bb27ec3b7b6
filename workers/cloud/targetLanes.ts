import { createHash } from 'node:crypto';
import type { ExecutionProfile, Priority } from '../catalog/types.js';

/**
 * A lane is what one task serves: one execution profile on one target. Each
 * lane has its own queues (one per priority, each with a dead-letter queue),
 * task definition and task role, so a task that ran on hostile target A holds
 * nothing of target B: not its queue messages, token, snapshot, run records,
 * findings or outputs (issue 11, case 8).
 *
 * The names are derived here from the stack name, profile and target, so the
 * CDK app (which creates them) and the dispatcher (which sends to the queues
 * and starts the tasks by family) agree without a list of every lane in the
 * dispatcher's environment (4 KB in all).
 */

/** SQS's limit on a queue name. */
const QUEUE_NAME_LIMIT = 80;
/** The longest suffix a lane adds after the slug: `-critical-dlq`. */
const LONGEST_QUEUE_SUFFIX = '-critical-dlq'.length;
/** Characters of the target's hash that keep a shortened or rewritten slug unique. */
const HASH_LENGTH = 8;

/** Names of one lane's resources. */
export interface LaneNames {
  /** Work queue of a priority: `<prefix>-<profile>-<slug>-<priority>`. */
  readonly queue: (priority: Priority) => string;
  /** Its dead-letter queue: the work queue's name plus `-dlq`. */
  readonly deadLetterQueue: (priority: Priority) => string;
  /** Task definition family: `<prefix>-<profile>-<slug>`. */
  readonly taskFamily: string;
}

/**
 * The target as it appears in queue names and task families: the name itself
 * when it fits and holds only letters, digits, "_" and "-"; otherwise as much
 * of it as fits ("." as "_") and a hash of the whole name, so two targets never
 * share a slug.
 */
export function targetSlug(target: string, room: number): string {
  if (room < HASH_LENGTH) throw new Error(`no room for target "${target}" in queue names (${room} characters left): use a shorter stack name`);
  if (/^[A-Za-z0-9_-]+$/.test(target) && target.length <= room && !/-[0-9a-f]{8}$/.test(target)) return target;
  const hash = createHash('sha256').update(target).digest('hex').slice(0, HASH_LENGTH);
  const head = target.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, Math.max(0, room - HASH_LENGTH - 1));
  return head ? `${head}-${hash}` : hash;
}

/**
 * The names of a lane's resources under `prefix` (the stack name).
 *
 * @example
 * laneNames('HeadlessWorkers', 'strict', 'api').queue('critical') // 'HeadlessWorkers-strict-api-critical'
 */
export function laneNames(prefix: string, profile: ExecutionProfile, target: string): LaneNames {
  const room = QUEUE_NAME_LIMIT - `${prefix}-${profile}-`.length - LONGEST_QUEUE_SUFFIX;
  const base = `${prefix}-${profile}-${targetSlug(target, room)}`;
  return {
    queue: (priority) => `${base}-${priority}`,
    deadLetterQueue: (priority) => `${base}-${priority}-dlq`,
    taskFamily: base,
  };
}

/** A lane's key in maps: `<profile>/<target>` (a target name holds no "/"). */
export function laneKey(profile: ExecutionProfile, target: string): string {
  return `${profile}/${target}`;
}
