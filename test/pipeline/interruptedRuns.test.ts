import { describe, expect, it } from 'vitest';
import { DynamoResultStore, isFinalRun, type DispatchResponse, type CloudRunResult } from '../../workers/cloudRuntime/index.js';
import { FAKE_API_KEY } from '../fake-model/claudeTestBed.js';
import { SAMPLE_AUDIT, startFakeModelServer, type FakeModelServer, type FakeReply } from '../fake-model/index.js';
import { makeRepo, VULNERABLE_APP } from '../helpers/fixtureRepo.js';
import { FargateAgent, isAlive, processTree } from '../helpers/motoFargateAgent.js';
import { createTestPipeline, laneFamily, uploadSnapshot, type TestPipeline } from '../helpers/motoPipeline.js';
import { useMotoServer } from '../helpers/motoServer.js';

let model: FakeModelServer | undefined;
let agent: FargateAgent | undefined;
const moto = useMotoServer({
  beforeReset: async () => {
    await agent?.stop();
    agent = undefined;
    await model?.close();
  },
});

/** The model hangs on the first conversation (the run is mid-way when the task dies) and answers the next one. */
const hangThenAnswer = (_request: unknown, context: { turn: number }): FakeReply =>
  context.turn === 0 ? { kind: 'neverEnding', intervalMs: 200 } : { kind: 'structuredOutput', value: SAMPLE_AUDIT };

async function startAuditRun(): Promise<{ pipeline: TestPipeline; store: DynamoResultStore; runId: string; firstTask: string }> {
  model = await startFakeModelServer({ reply: hangThenAnswer });
  const pipeline = await createTestPipeline(moto.endpoint, { visibilityTimeoutSeconds: 6 });
  await uploadSnapshot(pipeline.clients.s3, await makeRepo(VULNERABLE_APP));
  agent = new FargateAgent({
    endpoint: moto.endpoint,
    ecs: pipeline.clients.ecs,
    clusterArn: pipeline.clusterArn,
    extraEnv: (family): Record<string, string> => (family === laneFamily('local') ? {} : { ANTHROPIC_API_KEY: FAKE_API_KEY, ANTHROPIC_BASE_URL: model!.url, HW_STOP_GRACE_SECONDS: '20' }),
  });
  await agent.start();
  const store = new DynamoResultStore({ documentClient: pipeline.clients.documentClient, s3: pipeline.clients.s3, tableName: pipeline.tableName, bucketName: pipeline.bucketName, s3ThresholdBytes: 65_536, workers: ['audit'] });
  const { runIds } = (await pipeline.dispatch({ worker: 'audit', target: 'demo' }, { awsRequestId: 'req-audit' })) as DispatchResponse;
  // Mid-run: Claude Code is streaming the first answer.
  await agent.waitFor(() => model!.mainRequests().length >= 1, 30_000, 'Claude Code to call the model');
  const firstTask = [...agent.tasks.keys()][0]!;
  return { pipeline, store, runId: runIds[0]!, firstTask };
}

/** Calls the reconcile tick until it starts a task: what the reconcile schedule does every few minutes. */
async function reconcileUntilStarted(pipeline: TestPipeline): Promise<void> {
  await agent!.waitFor(async () => ((await pipeline.dispatch({ source: 'schedule', action: 'reconcile' })) as { tasksStarted: number }).tasksStarted > 0, 30_000, 'reconcile to start a task');
}

async function finalRun(store: DynamoResultStore, runId: string): Promise<CloudRunResult> {
  await agent!.waitForRunFinished(runId, 60_000);
  const run = await store.getRun(runId, { consistent: true });
  if (!run || !isFinalRun(run)) throw new Error(`run ${runId} finished but its record is ${run?.status}`);
  return run;
}

describe('runs interrupted by the death or stop of their task', () => {
  it('a task killed mid-run leaves its message to come back; the next task runs it to the end, once', async () => {
    // prepare
    const { pipeline, store, runId, firstTask } = await startAuditRun();

    // act: the container dies (SIGKILL to the runner and Claude Code alike)
    agent!.kill(firstTask);
    await agent!.tasks.get(firstTask)!.exited;
    const during = await store.getRun(runId, { consistent: true });
    await reconcileUntilStarted(pipeline);
    const run = await finalRun(store, runId);

    // assess
    expect(during).toMatchObject({ status: 'RUNNING', attempts: 1 });
    expect(run).toMatchObject({ status: 'SUCCEEDED', attempts: 2, parsedOutput: SAMPLE_AUDIT });
    expect(agent!.tasks.size).toBe(2);
    // The result is stored before the task logs it and deletes the message.
    const finished = await agent!.waitFor(() => {
      const lines = agent!.logLines().filter((l) => l.msg === 'run finished');
      return lines.length > 0 && lines;
    }, 10_000, 'the run finished line');
    expect(finished).toHaveLength(1);
    expect(finished[0]).toMatchObject({ runId, receiveCount: 2 });
    expect(await store.listRuns('audit', 10, { hydrate: false })).toHaveLength(1);
  });

  it('on SIGTERM a task stops the Claude process group, gives the message back at once and exits in time; the run then finishes once', async () => {
    // prepare
    const { pipeline, store, runId, firstTask } = await startAuditRun();
    const runnerAndClaude = processTree(agent!.tasks.get(firstTask)!.process.pid!);
    const stoppedAt = Date.now();

    // act: Fargate stops the task
    agent!.terminate(firstTask);
    await agent!.tasks.get(firstTask)!.exited;
    const exitedAfterMs = Date.now() - stoppedAt;
    const requeued = await store.getRun(runId, { consistent: true });
    await reconcileUntilStarted(pipeline);
    const run = await finalRun(store, runId);

    // assess
    const first = agent!.tasks.get(firstTask)!;
    expect(first.exitCode).toBe(0);
    expect(exitedAfterMs).toBeLessThan(10_000);
    expect(runnerAndClaude.length).toBeGreaterThan(1);
    expect(runnerAndClaude.filter(isAlive)).toEqual([]);
    expect(first.lines.some((l) => l.msg === 'task stopping: run given back to the queue')).toBe(true);
    expect(requeued).toMatchObject({ status: 'QUEUED', interruption: expect.stringContaining('SIGTERM') });
    expect(run).toMatchObject({ status: 'SUCCEEDED', attempts: 2 });
    expect(run.interruption).toBeUndefined();
    // No CANCELLED record was kept for the stopped attempt, and the run finished exactly once.
    expect(await store.listRuns('audit', 10, { hydrate: false })).toHaveLength(1);
    await agent!.waitUntilIdle(20_000);
    expect(agent!.logLines().filter((l) => l.msg === 'run finished')).toHaveLength(1);
  });
});
