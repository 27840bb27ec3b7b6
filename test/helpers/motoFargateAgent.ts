import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { DescribeTaskDefinitionCommand, DescribeTasksCommand, ListTasksCommand, StopTaskCommand, type ECSClient } from '@aws-sdk/client-ecs';
import { PROJECT_ROOT } from './cliProcess.js';
import { motoProcessEnv } from './motoServer.js';

const RUNNER_ENTRY = path.join(PROJECT_ROOT, 'container', 'main.ts');

/** A task the agent runs: the container entrypoint as a process. */
export interface AgentTask {
  readonly arn: string;
  readonly family: string;
  readonly process: ChildProcess;
  readonly startedAt: number;
  exitedAt?: number;
  exitCode?: number | null;
  /** JSON log lines the runner wrote. */
  readonly lines: Record<string, unknown>[];
  readonly exited: Promise<void>;
}

export interface FargateAgentOptions {
  readonly endpoint: string;
  readonly ecs: ECSClient;
  readonly clusterArn: string;
  /** Extra environment per task family (e.g. the fake model's URL for headless profiles), or per task. */
  readonly extraEnv?: (family: string, taskArn: string) => Record<string, string>;
  readonly pollMs?: number;
}

/**
 * Plays the Fargate agent for moto, which records RunTask but runs nothing:
 * it watches the cluster for RUNNING tasks, starts the container entrypoint
 * (`node --import tsx container/main.ts`) for each with the task
 * definition's environment plus the RunTask overrides, serves the ECS
 * metadata endpoint (task ARN), and stops the task in ECS when the process
 * exits. It also measures how many tasks of a family ran at once.
 *
 * @example
 * const agent = new FargateAgent({ endpoint, ecs, clusterArn });
 * agent.start();
 * await agent.waitUntilIdle();
 * await agent.stop();
 */
export class FargateAgent {
  readonly tasks = new Map<string, AgentTask>();
  /** Most processes alive at once, per family. */
  readonly peakAlive = new Map<string, number>();
  /** Most tasks ECS listed as RUNNING at once, per family (sampled each poll). */
  readonly peakListed = new Map<string, number>();
  /** Most tasks ECS listed as RUNNING at once, per profile (all its lanes' families: `<stack>-<profile>-<target>`). */
  readonly peakListedByProfile = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private polling = false;
  private metadata: Server | undefined;
  private metadataUrl = '';
  private readonly scratchRoot = mkdtempSync(path.join(os.tmpdir(), 'hw-agent-'));

  constructor(private readonly options: FargateAgentOptions) {}

  async start(): Promise<void> {
    this.metadata = createServer((req, res) => {
      const taskId = (req.url ?? '').split('/')[1] ?? '';
      const task = [...this.tasks.values()].find((t) => t.arn.endsWith(`/${taskId}`));
      res.writeHead(task ? 200 : 404, { 'content-type': 'application/json' });
      res.end(JSON.stringify(task ? { TaskARN: task.arn, Family: task.family } : {}));
    });
    await new Promise<void>((resolve) => this.metadata!.listen(0, '127.0.0.1', resolve));
    const address = this.metadata.address();
    this.metadataUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    this.timer = setInterval(() => void this.poll(), this.options.pollMs ?? 150);
  }

  /** Kills every runner still alive and stops polling. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    for (const task of this.tasks.values()) if (task.exitedAt === undefined) killTree(task.process.pid!, 'SIGKILL');
    await Promise.all([...this.tasks.values()].map((t) => t.exited));
    await new Promise<void>((resolve) => (this.metadata ? this.metadata.close(() => resolve()) : resolve()));
  }

  /** The container dying (out of memory, host failure): the runner and everything it started, at once. */
  kill(arn: string): void {
    const task = this.tasks.get(arn);
    if (task?.process.pid) killTree(task.process.pid, 'SIGKILL');
  }

  /** Fargate stopping the task (StopTask, Spot interruption): SIGTERM to the entrypoint. */
  terminate(arn: string): void {
    this.tasks.get(arn)?.process.kill('SIGTERM');
  }

  /** Tasks whose process is alive. */
  alive(): AgentTask[] {
    return [...this.tasks.values()].filter((t) => t.exitedAt === undefined);
  }

  /** Waits until a condition holds, polling. */
  async waitFor<T>(check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 30_000, what = 'condition'): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await check();
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${this.describe()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /**
   * Waits until a task logged that it finished a run (after its record was
   * stored). Read records after this, not as soon as their status is final:
   * moto applies an UpdateItem attribute by attribute, so a concurrent read
   * can see it half done (DynamoDB itself is atomic).
   */
  async waitForRunFinished(runId: string, timeoutMs = 30_000): Promise<Record<string, unknown>> {
    return this.waitFor(() => this.logLines().find((l) => l.msg === 'run finished' && l.runId === runId), timeoutMs, `run ${runId} to finish`);
  }

  /** Waits until every task started so far has exited. */
  async waitUntilIdle(timeoutMs = 30_000): Promise<void> {
    await this.waitFor(() => this.alive().length === 0 && !this.polling, timeoutMs, 'all tasks to exit');
  }

  /** The runners' log lines, for assertions and failure messages. */
  logLines(): Record<string, unknown>[] {
    return [...this.tasks.values()].flatMap((t) => t.lines);
  }

  describe(): string {
    return [...this.tasks.values()]
      .map((t) => `task ${t.arn.split('/').pop()} (${t.family}) exit=${t.exitCode ?? 'alive'}\n${t.lines.map((l) => `  ${JSON.stringify(l)}`).join('\n')}`)
      .join('\n');
  }

  private async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      const { ecs, clusterArn } = this.options;
      const listed = await ecs.send(new ListTasksCommand({ cluster: clusterArn, desiredStatus: 'RUNNING' }));
      const arns = listed.taskArns ?? [];
      const fresh = arns.filter((arn) => !this.tasks.has(arn));
      if (fresh.length > 0) {
        const described = await ecs.send(new DescribeTasksCommand({ cluster: clusterArn, tasks: fresh }));
        for (const task of described.tasks ?? []) await this.launch(task.taskArn!, task.taskDefinitionArn!, task.overrides?.containerOverrides ?? []);
      }
      const byFamily = new Map<string, number>();
      for (const arn of arns) {
        const family = this.tasks.get(arn)?.family ?? 'unknown';
        byFamily.set(family, (byFamily.get(family) ?? 0) + 1);
      }
      for (const [family, count] of byFamily) this.peakListed.set(family, Math.max(this.peakListed.get(family) ?? 0, count));
      const byProfile = new Map<string, number>();
      for (const [family, count] of byFamily) {
        const profile = family.split('-')[1] ?? 'unknown';
        byProfile.set(profile, (byProfile.get(profile) ?? 0) + count);
      }
      for (const [profile, count] of byProfile) this.peakListedByProfile.set(profile, Math.max(this.peakListedByProfile.get(profile) ?? 0, count));
    } catch {
      // moto reset between tests or stopping: try again next tick
    } finally {
      this.polling = false;
    }
  }

  private async launch(arn: string, taskDefinitionArn: string, overrides: { name?: string; environment?: { name?: string; value?: string }[] }[]): Promise<void> {
    const { taskDefinition } = await this.options.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: taskDefinitionArn }));
    const container = taskDefinition!.containerDefinitions![0]!;
    const family = taskDefinition!.family!;
    const env: Record<string, string> = {};
    for (const { name, value } of container.environment ?? []) if (name) env[name] = value ?? '';
    for (const override of overrides) {
      if (override.name !== container.name) continue;
      for (const { name, value } of override.environment ?? []) if (name) env[name] = value ?? '';
    }
    const taskId = arn.split('/').pop()!;
    const scratch = mkdtempSync(path.join(this.scratchRoot, `${taskId.slice(0, 8)}-`));
    const child = spawn(process.execPath, ['--import', 'tsx', RUNNER_ENTRY], {
      cwd: PROJECT_ROOT,
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        LANG: 'C.UTF-8',
        HOME: scratch,
        TMPDIR: os.tmpdir(),
        ...env,
        ...motoProcessEnv(this.options.endpoint),
        HW_SCRATCH_DIR: path.join(scratch, 'scratch'),
        HW_POLL_WAIT_SECONDS: '1',
        HW_GIT_PROTOCOLS: 'https,file',
        ECS_CONTAINER_METADATA_URI_V4: `${this.metadataUrl}/${taskId}`,
        ...this.options.extraEnv?.(family, arn),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: Record<string, unknown>[] = [];
    let partial = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      partial += chunk.toString('utf8');
      const parts = partial.split('\n');
      partial = parts.pop() ?? '';
      for (const line of parts) {
        try {
          lines.push(JSON.parse(line) as Record<string, unknown>);
        } catch {
          lines.push({ raw: line });
        }
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => lines.push({ stderr: chunk.toString('utf8') }));
    const task: AgentTask = {
      arn,
      family,
      process: child,
      startedAt: Date.now(),
      lines,
      exited: new Promise<void>((resolve) => {
        child.once('exit', (code) => {
          task.exitedAt = Date.now();
          task.exitCode = code;
          this.options.ecs.send(new StopTaskCommand({ cluster: this.options.clusterArn, task: arn, reason: `essential container exited (${code})` })).catch(() => undefined).finally(resolve);
        });
      }),
    };
    this.tasks.set(arn, task);
    const alive = this.alive().filter((t) => t.family === family).length;
    this.peakAlive.set(family, Math.max(this.peakAlive.get(family) ?? 0, alive));
  }
}

/** A process and all its descendants (found through /proc), parents first. */
export function processTree(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // the process ended meanwhile
    }
  }
  const all: number[] = [];
  const visit = (p: number) => {
    all.push(p);
    for (const child of children.get(p) ?? []) visit(child);
  };
  visit(pid);
  return all;
}

/** True while a process exists (a zombie counts as gone). */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** Sends `signal` to a process and all its descendants, as a container's death would. */
export function killTree(pid: number, signal: NodeJS.Signals): void {
  for (const p of processTree(pid)) {
    try {
      process.kill(p, signal);
    } catch {
      // already gone
    }
  }
}
