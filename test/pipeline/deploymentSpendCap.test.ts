import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoResultStore, DynamoSpendLedger, type CloudRunResult, type DispatchResponse } from '../../workers/cloudRuntime/index.js';
import { FAKE_API_KEY } from '../fake-model/claudeTestBed.js';
import { SAMPLE_AUDIT, startFakeModelServer, type FakeModelServer } from '../fake-model/index.js';
import { AtomicDynamoProxy } from '../helpers/atomicDynamoProxy.js';
import { makeRepo, VULNERABLE_APP } from '../helpers/fixtureRepo.js';
import { FargateAgent } from '../helpers/motoFargateAgent.js';
import { createTestPipeline, SNAPSHOT_BUCKET, uploadSnapshot, type TestPipeline } from '../helpers/motoPipeline.js';
import { useMotoServer } from '../helpers/motoServer.js';

// Issue 14: limits.dailyUsd, launchesPerHour and the rate-limit pause hold for the deployment,
// not per Fargate task. Real runner processes (the FargateAgent plays Fargate), the real Claude
// Code CLI against the fake model API, moto for AWS. Every AWS call goes through a proxy that
// hands moto one DynamoDB call at a time: moto applies concurrent UpdateItems without a lock,
// DynamoDB applies each item write atomically (see AtomicDynamoProxy).

let model: FakeModelServer | undefined;
let agent: FargateAgent | undefined;
let proxy: AtomicDynamoProxy | undefined;
const moto = useMotoServer({
  beforeReset: async () => {
    await agent?.stop();
    await model?.close();
    await proxy?.stop();
    agent = undefined;
    model = undefined;
    proxy = undefined;
  },
});

/** What ECS would hand a task: the API key (here the fake model's) and the model API's address. */
const headlessEnv = (modelUrl: string): Record<string, string> => ({
  ANTHROPIC_API_KEY: FAKE_API_KEY,
  ANTHROPIC_BASE_URL: modelUrl,
  DISABLE_TELEMETRY: '1',
  CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
});

const AUDIT_BUDGET_USD = 0.5;

async function startPipeline(config: Record<string, unknown>, concurrency: number): Promise<{ pipeline: TestPipeline; store: DynamoResultStore }> {
  proxy = await AtomicDynamoProxy.start(moto.endpoint);
  const pipeline = await createTestPipeline(proxy.endpoint, { config, concurrency: { strict: concurrency }, visibilityTimeoutSeconds: 30 });
  await uploadSnapshot(pipeline.clients.s3, await makeRepo(VULNERABLE_APP));
  agent = new FargateAgent({ endpoint: proxy.endpoint, ecs: pipeline.clients.ecs, clusterArn: pipeline.clusterArn, extraEnv: () => headlessEnv(model!.url), pollMs: 50 });
  await agent.start();
  const store = new DynamoResultStore({ documentClient: pipeline.clients.documentClient, s3: pipeline.clients.s3, tableName: pipeline.tableName, bucketName: pipeline.bucketName, s3ThresholdBytes: 65_536, workers: ['audit'] });
  return { pipeline, store };
}

const TARGET = { name: 'demo', s3: { bucket: SNAPSHOT_BUCKET, key: 'demo.tar.gz' } };

describe('one spend ledger and one pause for the whole deployment (issue 14)', () => {
  it('4 runners started at once under a daily cap of 3 runs\' budget start at most 3 model runs; the ledger never passes the cap plus one reservation', async () => {
    // prepare: a slow model keeps the runs that start in flight together, so no run settles before the last one asks
    model = await startFakeModelServer({ reply: () => ({ kind: 'structuredOutput', value: SAMPLE_AUDIT }), replyDelayMs: 8_000 });
    const dailyUsd = 3 * AUDIT_BUDGET_USD;
    const { pipeline, store } = await startPipeline({ targets: [TARGET], limits: { dailyUsd }, workers: { audit: { maxBudgetUsd: AUDIT_BUDGET_USD } } }, 4);
    const ledger = new DynamoSpendLedger({ documentClient: pipeline.clients.documentClient, tableName: pipeline.tableName });
    const day = new Date().toISOString().slice(0, 10);
    let highestCommitted = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const { Item } = await pipeline.clients.documentClient.send(new GetCommand({ TableName: pipeline.tableName, Key: { pk: `SPEND#${day}`, sk: 'DAY' }, ConsistentRead: true }));
        highestCommitted = Math.max(highestCommitted, Number(Item?.committedUsd ?? 0));
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();

    // act
    const responses = (await Promise.all(
      Array.from({ length: 4 }, (_, i) => pipeline.dispatch({ worker: 'audit', target: 'demo', model: 'haiku' }, { awsRequestId: `spend-cap-${i}` })),
    )) as DispatchResponse[];
    const runIds = responses.flatMap((r) => r.runIds);
    for (const runId of runIds) await agent!.waitForRunFinished(runId, 120_000);
    sampling = false;
    await sampler;
    const runs = (await Promise.all(runIds.map((runId) => store.getRun(runId, { consistent: true })))) as CloudRunResult[];

    // assess
    const runners = new Set(agent!.logLines().filter((l) => l.msg === 'run finished').map((l) => l.task));
    expect(responses.reduce((sum, r) => sum + r.tasksStarted, 0)).toBe(4);
    expect(runners.size).toBe(4);
    const headless = runs.filter((r) => r.mode === 'headless');
    const refused = runs.filter((r) => r.mode === 'local');
    expect(headless).toHaveLength(3);
    expect(headless.every((r) => r.status === 'SUCCEEDED')).toBe(true);
    expect(refused).toHaveLength(1);
    expect(refused[0]!.fallbackReason).toMatch(/^audit ran its local analysis: daily spend cap reached: .*\(set limits\.dailyUsd to raise it/);
    expect(model.mainRequests()).toHaveLength(3);
    expect(highestCommitted).toBeGreaterThan(0);
    expect(highestCommitted).toBeLessThanOrEqual(dailyUsd + AUDIT_BUDGET_USD);
    const summary = await ledger.summary(day);
    expect(summary).toMatchObject({ runs: 3, launches: 3, reservedUsd: 0 });
    expect(summary.costUsd).toBeCloseTo(headless.reduce((sum, r) => sum + r.costUsd, 0), 6);
  }, 180_000);

  it('a 429 seen by one runner pauses the others: the next task falls back to local and says why, and the model is not called', async () => {
    // prepare: a retry-after longer than the CLI waits, so the run fails at once and the pause takes its first backoff step
    model = await startFakeModelServer({ reply: () => ({ kind: 'httpError', status: 429, retryAfterSeconds: 600 }) });
    const { pipeline, store } = await startPipeline({ targets: [TARGET] }, 2);
    const first = (await pipeline.dispatch({ worker: 'audit', target: 'demo', model: 'haiku' }, { awsRequestId: 'rate-limited-1' })) as DispatchResponse;
    await agent!.waitForRunFinished(first.runIds[0]!, 60_000);
    const firstTask = agent!.logLines().find((l) => l.msg === 'run finished')?.task;
    await agent!.waitUntilIdle(30_000);
    const modelCalls = model.mainRequests().length;

    // act: the next run lands on a task started after the first one exited (its own scratch directory)
    const second = (await pipeline.dispatch({ worker: 'audit', target: 'demo', model: 'haiku' }, { awsRequestId: 'rate-limited-2' })) as DispatchResponse;
    await agent!.waitForRunFinished(second.runIds[0]!, 60_000);
    const [rateLimited, paused] = (await Promise.all([first, second].map((r) => store.getRun(r.runIds[0]!, { consistent: true })))) as CloudRunResult[];

    // assess
    const secondTask = agent!.logLines().filter((l) => l.msg === 'run finished').at(-1)?.task;
    expect(secondTask).not.toBe(firstTask);
    expect(rateLimited).toMatchObject({ mode: 'headless', status: 'FAILED' });
    expect(rateLimited!.error).toMatch(/429 rate_limit_error/);
    expect(paused).toMatchObject({ mode: 'local', status: 'SUCCEEDED' });
    expect(paused!.fallbackReason).toMatch(/headless runs are paused until \S+: the API answered with a rate limit, quota or overload error \(backoff 60 s after 1 in a row\)/);
    expect(model.mainRequests()).toHaveLength(modelCalls);
  }, 120_000);
});
