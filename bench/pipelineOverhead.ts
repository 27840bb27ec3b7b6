// Issue 6, item 5: trigger to stored result for a local worker through the emulator, minus the worker's
// own time; and the runner's peak memory on the large corpus (what a Fargate task must be sized for).
import { readFileSync } from 'node:fs';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { BUILTIN_WORKERS } from '../workers/catalog/index.js';
import { isFinalRun, type CloudRunResult, type StoredRun } from '../workers/cloudRuntime/index.js';
import { runKey } from '../workers/cloudRuntime/runItem.js';
import { queueDepth } from '../functions/dispatcher/profileState.js';
import { FargateAgent, processTree } from '../test/helpers/motoFargateAgent.js';
import { awsTestClients, createTestPipeline, SNAPSHOT_BUCKET, uploadSnapshot, type AwsTestClients, type TestPipeline } from '../test/helpers/motoPipeline.js';
import { startMotoServer } from '../test/helpers/motoServer.js';
import { startCountingProxy, type CountingProxy } from './countingProxy.js';
import { fmtMiB, fmtMs, median, type SectionReport } from './row.js';

/** One triggered run, timed from the dispatcher call to its final record being readable. */
export interface TimedRun {
  readonly worker: string;
  readonly status: string;
  readonly triggerToStoredMs: number;
  /** The run's own time as it recorded it (workspace fetch excluded: the engine's time). */
  readonly durationMs: number;
  readonly overheadMs: number;
  /** The dispatcher call alone (what its Lambda would be billed for). */
  readonly dispatchMs: number;
  /** Whether a task started for it ran it, or one already running took it. */
  readonly cold: boolean;
  /** Highest sum of RSS over the task's processes while the run was in flight, MiB. */
  readonly peakTreeRssMiB: number;
  /** API calls the whole pipeline made for the run, by "service Action" (the runner's idle polling included). */
  readonly calls: Record<string, number>;
  /** Size of the stored record in DynamoDB (drives its write units). */
  readonly recordBytes: number;
}

export interface PipelineFigures {
  readonly small: readonly TimedRun[];
  /** Each built-in local worker once on the corpus, on one running task. */
  readonly corpus: readonly TimedRun[];
  readonly corpusSnapshotBytes: number;
  /** Tasks the dispatcher started for the small runs (one suffices: the rest find it idle). */
  readonly smallTasksStarted: number;
  /** Peak RSS of the runner's own node process over the corpus runs (VmHWM), MiB. */
  readonly runnerHwmMiB: number;
}

const SMALL = 'small';
const CORPUS = 'corpus';
const RUN_TIMEOUT_MS = 180_000;

function rssMiB(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** Samples the summed RSS of every runner process tree the agent runs, keeping the highest. */
class MemorySampler {
  peakMiB = 0;
  hwmMiB = 0;
  private readonly timer: NodeJS.Timeout;
  constructor(private readonly agent: FargateAgent) {
    this.timer = setInterval(() => this.sample(), 50);
  }
  sample(): void {
    for (const task of this.agent.alive()) {
      const pid = task.process.pid;
      if (!pid) continue;
      this.peakMiB = Math.max(this.peakMiB, processTree(pid).reduce((sum, p) => sum + rssMiB(p, 'VmRSS'), 0));
      this.hwmMiB = Math.max(this.hwmMiB, rssMiB(pid, 'VmHWM'));
    }
  }
  restart(): void {
    this.peakMiB = 0;
  }
  stop(): void {
    clearInterval(this.timer);
  }
}

/** Polls the record (straight at moto, so the polling is not counted) until it is final. */
async function waitForStored(direct: AwsTestClients, tableName: string, runId: string): Promise<{ run: CloudRunResult; at: number; bytes: number }> {
  const deadline = Date.now() + RUN_TIMEOUT_MS;
  for (;;) {
    const { Item } = await direct.documentClient.send(new GetCommand({ TableName: tableName, Key: runKey(runId), ConsistentRead: true }));
    const at = performance.now();
    const run = Item as StoredRun | undefined;
    if (run && isFinalRun(run)) return { run, at, bytes: Buffer.byteLength(JSON.stringify(Item)) };
    if (Date.now() > deadline) throw new Error(`run ${runId} was not stored within ${RUN_TIMEOUT_MS / 1000} s (status ${(Item as StoredRun | undefined)?.status ?? 'none'})`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function timeRun(ctx: { pipeline: TestPipeline; direct: AwsTestClients; agent: FargateAgent; proxy: CountingProxy; sampler: MemorySampler }, worker: string, target: string): Promise<TimedRun> {
  const { pipeline, direct, agent, proxy, sampler } = ctx;
  const tasksBefore = new Set(agent.tasks.keys());
  proxy.reset();
  sampler.restart();
  const started = performance.now();
  const response = (await pipeline.dispatch({ worker, target })) as { runIds?: string[]; error?: unknown };
  const dispatchMs = performance.now() - started;
  const runId = response.runIds?.[0];
  if (!runId) throw new Error(`dispatcher refused ${worker} on ${target}: ${JSON.stringify(response)}`);
  const stored = await waitForStored(direct, pipeline.tableName, runId);
  // The runner deletes the message after storing: wait for its log line so the counts are the run's whole.
  await agent.waitForRunFinished(runId, RUN_TIMEOUT_MS);
  // It logs before it deletes the message: until then a new dispatch sees it in flight and starts another task.
  await agent.waitFor(async () => (await queueDepth(direct.sqs, pipeline.queueUrls.local.normal)).inFlight === 0, RUN_TIMEOUT_MS, 'the message to be deleted');
  sampler.sample();
  const triggerToStoredMs = stored.at - started;
  const durationMs = stored.run.durationMs;
  return {
    worker,
    status: stored.run.status,
    triggerToStoredMs,
    durationMs,
    overheadMs: triggerToStoredMs - durationMs,
    dispatchMs,
    // Cold when the task that ran it was started for it.
    cold: [...agent.tasks.values()].some((t) => !tasksBefore.has(t.arn) && t.lines.some((l) => l.msg === 'run finished' && l.runId === runId)),
    peakTreeRssMiB: sampler.peakMiB,
    calls: proxy.counts(),
    recordBytes: stored.bytes,
  };
}

/**
 * Starts moto behind a counting proxy and the Fargate agent (real runner
 * processes), then: `map` on a small snapshot `repeats` times (the first
 * starts a task, the rest land on it while it idles), and every built-in
 * local worker once on the corpus snapshot, on a fresh task that a small
 * run started first, sampling the task's memory.
 *
 * @example const figures = await measurePipelineOverhead({ smallDir, corpusDir, repeats: 5 });
 */
export async function measurePipelineOverhead(options: { readonly smallDir: string; readonly corpusDir: string; readonly repeats?: number }): Promise<PipelineFigures> {
  const moto = await startMotoServer();
  const proxy = await startCountingProxy(moto.endpoint);
  const direct = awsTestClients(moto.endpoint);
  const agents: FargateAgent[] = [];
  try {
    const config = { targets: [SMALL, CORPUS].map((name) => ({ name, s3: { bucket: SNAPSHOT_BUCKET, key: `${name}.tar.gz` } })) };
    // A visibility timeout and idle exit long enough that a loaded machine neither redelivers nor lets the task go between runs.
    const pipeline = await createTestPipeline(proxy.endpoint, { config, profiles: ['local'], idleExitSeconds: 60, visibilityTimeoutSeconds: 120 });
    await uploadSnapshot(direct.s3, options.smallDir, `${SMALL}.tar.gz`);
    const corpusSnapshotBytes = await uploadCorpus(direct, options.corpusDir);

    const startAgent = async (): Promise<{ agent: FargateAgent; sampler: MemorySampler }> => {
      const agent = new FargateAgent({ endpoint: proxy.endpoint, ecs: direct.ecs, clusterArn: pipeline.clusterArn });
      agents.push(agent);
      await agent.start();
      return { agent, sampler: new MemorySampler(agent) };
    };

    const first = await startAgent();
    const small: TimedRun[] = [];
    for (let i = 0; i < (options.repeats ?? 5); i++) small.push(await timeRun({ pipeline, direct, proxy, ...first }, 'map', SMALL));
    first.sampler.stop();
    const smallTasksStarted = first.agent.tasks.size;
    await first.agent.stop();

    const second = await startAgent();
    // A first small run starts the task, so that every corpus run is timed on a running task.
    await timeRun({ pipeline, direct, proxy, ...second }, 'map', SMALL);
    const corpus: TimedRun[] = [];
    const localWorkers = BUILTIN_WORKERS.filter((w) => w.mode === 'local').map((w) => w.type);
    for (const worker of localWorkers) corpus.push(await timeRun({ pipeline, direct, proxy, ...second }, worker, CORPUS));
    second.sampler.stop();
    return { small, corpus, corpusSnapshotBytes, smallTasksStarted, runnerHwmMiB: second.sampler.hwmMiB };
  } finally {
    for (const agent of agents) await agent.stop();
    await proxy.stop();
    await moto.stop();
  }
}

async function uploadCorpus(direct: AwsTestClients, dir: string): Promise<number> {
  await uploadSnapshot(direct.s3, dir, `${CORPUS}.tar.gz`);
  const { HeadObjectCommand } = await import('@aws-sdk/client-s3');
  const head = await direct.s3.send(new HeadObjectCommand({ Bucket: SNAPSHOT_BUCKET, Key: `${CORPUS}.tar.gz` }));
  return head.ContentLength ?? 0;
}

/** Fargate memory sizes (MiB) a task can have at 0.25–1 vCPU, smallest first. */
const FARGATE_MEMORY_STEPS_MIB = [512, 1024, 2048, 3072, 4096, 5120, 6144, 7168, 8192];
/** Room above the measured peak: the heap grows with the repository, and an OOM kill loses the run. */
export const MEMORY_HEADROOM = 1.5;

/** The smallest Fargate memory size that holds `peakMiB` with headroom. */
export function fargateMemoryFor(peakMiB: number): number {
  return FARGATE_MEMORY_STEPS_MIB.find((m) => m >= peakMiB * MEMORY_HEADROOM) ?? FARGATE_MEMORY_STEPS_MIB.at(-1)!;
}

/** The section's rows; its figures feed the cost model. */
export async function benchPipelineOverhead(smallDir: string, corpusDir: string, localTaskMemoryMiB: number): Promise<{ report: SectionReport; figures: PipelineFigures }> {
  const figures = await measurePipelineOverhead({ smallDir, corpusDir });
  const warm = figures.small.filter((r) => !r.cold);
  const cold = figures.small.filter((r) => r.cold);
  const failed = [...figures.small, ...figures.corpus].filter((r) => r.status !== 'SUCCEEDED');
  const corpusMap = figures.corpus.find((r) => r.worker === 'map');
  const peak = Math.max(...figures.corpus.map((r) => r.peakTreeRssMiB));
  const sized = fargateMemoryFor(peak);
  const report: SectionReport = {
    rows: [
      {
        measure: `pipeline: trigger → stored SUCCEEDED minus the run's own time, map on a small snapshot (median of ${warm.length}, task already running)`,
        ours: fmtMs(median(warm.map((r) => r.overheadMs))),
        reference: `run's own time ${fmtMs(median(warm.map((r) => r.durationMs)))}; trigger → stored ${fmtMs(median(warm.map((r) => r.triggerToStoredMs)))}; dispatcher call ${fmtMs(median(warm.map((r) => r.dispatchMs)))}`,
        ratio: '—',
        bar: '— (reported)',
        verdict: failed.length ? `${failed.length} run(s) not SUCCEEDED: ${failed.map((r) => `${r.worker} ${r.status}`).join(', ')}` : '—',
      },
      {
        measure: 'pipeline: the same, first run (starts the task: node + runner start-up, no image pull)',
        ours: cold.length ? fmtMs(cold[0]!.overheadMs) : 'n/a',
        reference: cold.length ? `run's own time ${fmtMs(cold[0]!.durationMs)}` : 'n/a',
        ratio: '—',
        bar: '— (reported)',
        verdict: '—',
      },
      {
        measure: `pipeline: runner peak memory, local workers on the corpus (${(figures.corpusSnapshotBytes / 1e6).toFixed(1)} MB snapshot)`,
        ours: `${fmtMiB(peak)} task (all processes); runner node ${fmtMiB(figures.runnerHwmMiB)}`,
        reference: `local task size ${localTaskMemoryMiB} MiB`,
        ratio: `${(peak / localTaskMemoryMiB).toFixed(2)}x of the task`,
        bar: '— (sizes the task)',
        verdict: `fits in ${sized} MiB with ${MEMORY_HEADROOM}x headroom${sized <= localTaskMemoryMiB ? ` (default ${localTaskMemoryMiB} MiB suffices)` : ` (default ${localTaskMemoryMiB} MiB is too small)`}`,
      },
    ],
    notes: [
      `pipeline: moto + the Fargate agent of the tests (real runner processes, \`node --import tsx container/main.ts\`); timed from the dispatcher call to the final record being readable. Fargate itself adds provisioning and image pull (typically 20–60 s) to a cold start, not emulated here. Most of a warm run's overhead is the idle task's poll round: it long-polls its profile's four priority queues one after the other (HW_POLL_WAIT_SECONDS: 1 s here, 2 s deployed), so a normal-priority message waits behind the critical and high queues' long polls (about 2 s here, 4 s deployed). The dispatcher started ${figures.smallTasksStarted} task(s) for the ${figures.small.length} small runs. The runner runs under tsx here (the image runs compiled JavaScript), so its memory is an upper bound.${corpusMap ? ` map on the corpus: ${fmtMs(corpusMap.durationMs)} own time, ${fmtMs(corpusMap.overheadMs)} overhead (download + extract of the snapshot, and the pick-up).` : ''}`,
    ],
    details: [
      '',
      '### pipeline runs',
      '',
      '| worker | target | status | cold | trigger → stored | own time | overhead | peak task RSS | record bytes |',
      '| --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: |',
      ...[...figures.small.map((r) => ({ r, target: SMALL })), ...figures.corpus.map((r) => ({ r, target: CORPUS }))].map(
        ({ r, target }) => `| ${r.worker} | ${target} | ${r.status} | ${r.cold ? 'yes' : 'no'} | ${fmtMs(r.triggerToStoredMs)} | ${fmtMs(r.durationMs)} | ${fmtMs(r.overheadMs)} | ${fmtMiB(r.peakTreeRssMiB)} | ${r.recordBytes} |`,
      ),
    ],
  };
  return { report, figures };
}
