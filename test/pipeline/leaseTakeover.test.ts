import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { startTasks } from '../../functions/dispatcher/startTasks.js';
import { readDispatcherSettings } from '../../functions/dispatcher/dispatcherSettings.js';
import { outputObjectKey } from '../../workers/cloud/index.js';
import { createJsonLogger, type CloudRunResult, type DispatchResponse } from '../../workers/cloudRuntime/index.js';
import { countDeadLettered } from '../helpers/deadLetters.js';
import { useFaultInjection } from '../helpers/faultInjection.js';
import { makeRepo, VULNERABLE_APP } from '../helpers/fixtureRepo.js';
import { dynamoResultStore } from '../helpers/motoAuditFixture.js';
import { killTree, type AgentTask, type FargateAgent } from '../helpers/motoFargateAgent.js';
import { countQueuedMessages, createTestPipeline, SNAPSHOT_BUCKET, uploadSnapshot, type TestPipeline } from '../helpers/motoPipeline.js';
import { taskIdOf } from '../helpers/runnerReaper.js';

const faults = useFaultInjection();

const LOST_LEASE = /^lost the lease: /;
const LOST_TO_FINISHED = 'lost the lease: another task finished this run; its record stands and this copy of the message is deleted';
const LOST_TO_RUNNING = 'lost the lease: another task runs this run now; its message is left to it';

/** The EMF metrics lines of a worker's runs that tasks wrote. */
const metricsLines = (tasks: readonly AgentTask[], worker: string) => tasks.flatMap((t) => t.lines).filter((l) => l._aws !== undefined && l.Worker === worker);
const finishedLines = (tasks: readonly AgentTask[], runId: string) => tasks.flatMap((t) => t.lines).filter((l) => l.msg === 'run finished' && l.runId === runId);

interface Takeover {
  readonly pipeline: TestPipeline;
  readonly agent: FargateAgent;
  readonly runId: string;
  /** Tasks frozen so far, in order: each was SIGSTOPped as it asked for the snapshot (its claim made, its heartbeat stopped with it). */
  readonly frozen: AgentTask[];
  /** Starts one more task of the local profile. */
  startTask(): Promise<void>;
}

/**
 * A map run whose first `freezes` tasks are frozen at the fetch; every runner
 * call goes through the proxy, tagged with its task id, and outputs over 1 KiB
 * go to S3. The run is dispatched and its first task frozen on return.
 */
async function takeover(freezes: number): Promise<Takeover> {
  const proxy = await faults.startProxy();
  const pipeline = await createTestPipeline(proxy.endpoint, { profiles: ['local'], concurrency: { local: 2 }, visibilityTimeoutSeconds: 6, maxReceiveCount: 5, s3ThresholdBytes: 1024, idleExitSeconds: 20 });
  await uploadSnapshot(pipeline.clients.s3, await makeRepo(VULNERABLE_APP));
  const agent = await faults.startAgent(pipeline, { extraEnv: (_family, taskArn) => ({ AWS_SDK_UA_APP_ID: taskIdOf(taskArn) }) });
  const frozen: AgentTask[] = [];
  proxy.addRule((call) => {
    if (frozen.length >= freezes || call.service !== 's3' || call.operation !== 'GetObject' || !call.path.startsWith(`/${SNAPSHOT_BUCKET}/`)) return undefined;
    const task = [...agent.tasks.values()].find((t) => taskIdOf(t.arn) === call.client);
    if (task && !frozen.includes(task)) {
      killTree(task.process.pid!, 'SIGSTOP');
      frozen.push(task);
    }
    return undefined;
  });
  const { runIds } = (await pipeline.dispatch({ worker: 'map', target: 'demo' }, { awsRequestId: 'lease-takeover' })) as DispatchResponse;
  await agent.waitFor(() => frozen.length >= 1, 30_000, 'the first task to be frozen at the fetch');
  const quiet = createJsonLogger({ write: () => undefined });
  const startTask = async () => {
    await startTasks({ profile: 'local', target: 'demo', count: 1, reason: 'test: another task' }, { ecs: pipeline.clients.ecs, settings: readDispatcherSettings(pipeline.dispatcherEnv), sleep: async () => undefined, log: quiet });
  };
  return { pipeline, agent, runId: runIds[0]!, frozen, startTask };
}

const lostLine = (task: AgentTask) => task.lines.find((l) => LOST_LEASE.test(String(l.msg)));

describe('a task that stalls past its lease while another task takes the run over', () => {
  it('frozen (SIGSTOP) after claiming, resumed after the other task finished: one final record, one finish, one metrics line; its output never replaces the winner\'s', async () => {
    // prepare
    const { pipeline, agent, runId, frozen, startTask } = await takeover(1);
    const [first] = frozen;

    // act: a second task; the message comes back once the frozen task's visibility lapses, and its lease with it
    await startTask();
    await agent.waitForRunFinished(runId, 60_000);
    killTree(first!.process.pid!, 'SIGCONT');
    await agent.waitFor(() => lostLine(first!), 60_000, 'the resumed task to find its lease lost');

    // assess
    const winner = [...agent.tasks.values()].find((t) => t !== first)!;
    const store = dynamoResultStore(pipeline, ['map']);
    const records = await store.listRuns('map', 10, { hydrate: false });
    const run = (await store.getRun(runId, { consistent: true, hydrate: false })) as CloudRunResult;
    const objects = await pipeline.clients.s3.send(new ListObjectsV2Command({ Bucket: pipeline.bucketName }));
    const pointed = JSON.parse(await (await pipeline.clients.s3.send(new GetObjectCommand({ Bucket: pipeline.bucketName, Key: run.outputLocation!.key }))).Body!.transformToString()) as { runId: string };
    process.stdout.write(`lease takeover (resumed after the winner finished): ${String(lostLine(first!)!.msg)}; objects ${(objects.Contents ?? []).map((o) => o.Key).join(', ')}\n`);
    expect(records.map((r) => r.runId)).toEqual([runId]);
    expect(run).toMatchObject({ status: 'SUCCEEDED', attempts: 2 });
    expect(finishedLines([winner], runId)).toHaveLength(1);
    expect(finishedLines([first!], runId)).toEqual([]);
    expect(metricsLines([winner], 'map')).toHaveLength(1);
    expect(metricsLines([first!], 'map')).toEqual([]);
    expect(lostLine(first!)).toMatchObject({ msg: LOST_TO_FINISHED, runId, level: 'warn' });
    // The record points at the winner's own object (its attempt), whatever the frozen task wrote after resuming.
    expect(run.outputLocation!.key).toBe(outputObjectKey('map', runId, 2));
    expect(pointed.runId).toBe(runId);
    expect((objects.Contents ?? []).map((o) => o.Key).filter((key) => key !== outputObjectKey('map', runId, 1))).toEqual([outputObjectKey('map', runId, 2)]);
    expect(await countQueuedMessages(pipeline)).toBe(0);
    expect(await countDeadLettered(pipeline)).toBe(0);
  }, 150_000);

  it('resumed while the other task still works on the run: it drops its result, leaves the message to that task, and the run finishes once', async () => {
    // prepare: the second task is frozen at its fetch too, after its claim took the run over
    const { pipeline, agent, runId, frozen, startTask } = await takeover(2);
    await startTask();
    await agent.waitFor(() => frozen.length === 2, 60_000, 'the second task to claim the run and be frozen at the fetch');
    const [first, second] = frozen;

    // act: the first task resumes while the run is the second's; then the second resumes
    killTree(first!.process.pid!, 'SIGCONT');
    await agent.waitFor(() => lostLine(first!), 60_000, 'the resumed task to find its lease lost');
    killTree(second!.process.pid!, 'SIGCONT');
    await agent.waitForRunFinished(runId, 60_000);

    // assess
    const all = [...agent.tasks.values()];
    const store = dynamoResultStore(pipeline, ['map']);
    const run = (await store.getRun(runId, { consistent: true, hydrate: false })) as CloudRunResult;
    process.stdout.write(`lease takeover (resumed while the other task runs): ${String(lostLine(first!)!.msg)}; record ${run.status}, attempt ${run.attempts}\n`);
    expect(lostLine(first!)).toMatchObject({ msg: LOST_TO_RUNNING, runId, status: 'RUNNING' });
    expect(await store.listRuns('map', 10, { hydrate: false })).toHaveLength(1);
    expect(run.status).toBe('SUCCEEDED');
    expect(run.attempts).toBeGreaterThanOrEqual(2);
    await agent.waitFor(async () => (await countQueuedMessages(pipeline)) === 0, 30_000, 'the message to be deleted');
    expect(finishedLines(all, runId)).toHaveLength(1);
    expect(metricsLines(all, 'map')).toHaveLength(1);
    expect(await countDeadLettered(pipeline)).toBe(0);
  }, 150_000);
});
