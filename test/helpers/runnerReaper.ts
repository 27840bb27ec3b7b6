import type { AgentTask, FargateAgent } from './motoFargateAgent.js';
import type { FaultAction, FaultProxy, ProxiedCall } from './faultProxy.js';
import { seededRandom } from './secretFixtures.js';

/**
 * Where a runner is killed:
 * - `fetch`: it asked S3 for the target's snapshot (claimed, workspace not fetched);
 * - `run`: it logged `workspace ready` (the worker is running; its result is not stored);
 * - `afterStore`: it sent DeleteMessage (the result is stored, the message not deleted).
 */
export const KILL_POINTS = ['fetch', 'run', 'afterStore'] as const;
export type KillPoint = (typeof KILL_POINTS)[number];

/** A kill that happened. */
export interface Kill {
  readonly point: KillPoint;
  readonly task: AgentTask;
}

/** The log lines of a run's steps, in order: a kill at `fetch` lands after the first, at `run` after the second, at `afterStore` after the third or fourth. */
export const RUN_STEPS = ['run started', 'workspace ready', 'run finished', 'duplicate delivery of a finished run: deleting the message'] as const;

/** The last run step a task logged, and its run: for a killed task, where the kill landed (read its lines once it has exited). */
export function lastStepOf(task: AgentTask): { msg: string; runId: string } | undefined {
  const line = [...task.lines].reverse().find((l) => (RUN_STEPS as readonly unknown[]).includes(l.msg) && typeof l.runId === 'string');
  return line ? { msg: String(line.msg), runId: String(line.runId) } : undefined;
}

/** When a task dies: at the `nth` time it reaches `point`; `settled` once it died or exited. */
interface Fate {
  readonly point: KillPoint;
  readonly nth: number;
  settled: boolean;
}

/** The task id a runner's AWS calls carry (set it as AWS_SDK_UA_APP_ID through the agent's `extraEnv`). */
export function taskIdOf(taskArn: string): string {
  return taskArn.split('/').pop() ?? taskArn;
}

/**
 * Kills runner processes with SIGKILL at chosen points, from outside: the
 * fault proxy shows which task sends which AWS call (each runner's SDK user
 * agent carries its task id), and the runners' log lines show when a
 * workspace is ready. Each new task is given a fate drawn from a seeded
 * random sequence: a point, and after how many arrivals at it (1 to
 * `maxNth`) it dies. Points are dealt from a shuffled bag so that every
 * point comes up; a task that exits before meeting its fate hands it to
 * the next task. After `maxKills`, tasks live.
 *
 * A task doomed at `run` has its later AWS calls held by the proxy until
 * the kill lands, so the kill always falls before its result is stored.
 *
 * @example
 * const reaper = new RunnerReaper({ agent, proxy, snapshotBucket, seed: 42, maxKills: 20, maxNth: 3 });
 * reaper.start();
 */
export class RunnerReaper {
  readonly kills: Kill[] = [];
  private readonly random: () => number;
  private readonly fates = new Map<string, Fate | null>();
  private readonly arrivals = new Map<string, Record<KillPoint, number>>();
  private readonly doomed = new Set<string>();
  private readonly killing = new Map<string, Promise<void>>();
  private bag: KillPoint[] = [];
  private timer: NodeJS.Timeout | undefined;
  private removeRule: (() => void) | undefined;

  constructor(
    private readonly options: {
      readonly agent: FargateAgent;
      readonly proxy: FaultProxy;
      readonly snapshotBucket: string;
      readonly seed: number;
      readonly maxKills: number;
      readonly maxNth: number;
    },
  ) {
    this.random = seededRandom(options.seed);
  }

  start(): void {
    this.removeRule = this.options.proxy.addRule((call) => this.onCall(call));
    this.timer = setInterval(() => this.watchLogs(), 20).unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.removeRule?.();
  }

  /** Kills so far, per point. */
  perPoint(): Record<KillPoint, number> {
    const counts = { fetch: 0, run: 0, afterStore: 0 };
    for (const kill of this.kills) counts[kill.point]++;
    return counts;
  }

  private async onCall(call: ProxiedCall): Promise<FaultAction | undefined> {
    const task = call.client ? this.taskById(call.client) : undefined;
    if (!task) return undefined;
    const id = taskIdOf(task.arn);
    if (this.doomed.has(id)) {
      // Doomed at `run`: hold the call until the log watcher's kill lands, then drop it.
      await this.waitForKill(task);
      return { kind: 'drop' };
    }
    const point: KillPoint | undefined =
      call.service === 's3' && call.operation === 'GetObject' && call.path.startsWith(`/${this.options.snapshotBucket}/`)
        ? 'fetch'
        : call.service === 'sqs' && call.operation === 'DeleteMessage'
          ? 'afterStore'
          : undefined;
    if (!point) return undefined;
    const fate = this.fateOf(id);
    const arrivals = this.arrivalsOf(id);
    arrivals[point]++;
    if (point === 'fetch') arrivals.run++;
    if (!fate) return undefined;
    if (fate.point === point && arrivals[point] === fate.nth) {
      await this.kill(task, point);
      return { kind: 'drop' };
    }
    // The nth fetch of a task doomed at `run`: its next workspace is the one it dies in.
    if (fate.point === 'run' && point === 'fetch' && arrivals.run === fate.nth) this.doomed.add(id);
    return undefined;
  }

  /** Kills doomed tasks whose workspace is ready; gives the fates of tasks that exited unharmed to the next ones. */
  private watchLogs(): void {
    for (const task of this.options.agent.tasks.values()) {
      const id = taskIdOf(task.arn);
      const fate = this.fates.get(id);
      if (!fate) continue;
      if (this.doomed.has(id) && !this.killing.has(id)) {
        const ready = task.lines.filter((l) => l.msg === 'workspace ready').length;
        if (ready >= fate.nth) this.killing.set(id, this.kill(task, 'run'));
      } else if (task.exitedAt !== undefined && !fate.settled) {
        // Exited on its own (idle) before its fate: the next task inherits the point.
        fate.settled = true;
        this.bag.unshift(fate.point);
      }
    }
  }

  private async waitForKill(task: AgentTask): Promise<void> {
    const id = taskIdOf(task.arn);
    for (let i = 0; i < 600 && !this.killing.has(id); i++) await new Promise((resolve) => setTimeout(resolve, 25));
    // No `workspace ready` line within 15 s (it should come within milliseconds): kill at the held call.
    if (!this.killing.has(id)) this.killing.set(id, this.kill(task, 'run'));
    await this.killing.get(id);
  }

  private async kill(task: AgentTask, point: KillPoint): Promise<void> {
    const fate = this.fates.get(taskIdOf(task.arn));
    if (fate) fate.settled = true;
    this.kills.push({ point, task });
    this.options.agent.kill(task.arn);
    await task.exited;
  }

  /** The task's fate, drawn when it is first seen; null: it lives. */
  private fateOf(id: string): Fate | null {
    const known = this.fates.get(id);
    if (known !== undefined) return known;
    const pending = [...this.fates.values()].filter((f) => f && !f.settled).length;
    let fate: Fate | null = null;
    if (this.kills.length + pending < this.options.maxKills) {
      if (this.bag.length === 0) this.bag = shuffle([...KILL_POINTS], this.random);
      fate = { point: this.bag.shift()!, nth: 1 + Math.floor(this.random() * this.options.maxNth), settled: false };
    }
    this.fates.set(id, fate);
    return fate;
  }

  private arrivalsOf(id: string): Record<KillPoint, number> {
    let arrivals = this.arrivals.get(id);
    if (!arrivals) this.arrivals.set(id, (arrivals = { fetch: 0, run: 0, afterStore: 0 }));
    return arrivals;
  }

  private taskById(id: string): AgentTask | undefined {
    return [...this.options.agent.tasks.values()].find((t) => taskIdOf(t.arn) === id);
  }
}

function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}
