import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { DynamoResultStore, isFinalRun, type StoredRun } from '../../workers/cloudRuntime/index.js';
import { METRICS } from '../../workers/cloud/index.js';
import { makeRepo, VULNERABLE_APP } from '../helpers/fixtureRepo.js';
import { runCloudCli } from '../helpers/motoCloudCli.js';
import { FargateAgent } from '../helpers/motoFargateAgent.js';
import { createTestPipeline, uploadSnapshot, type TestPipeline } from '../helpers/motoPipeline.js';
import { useMotoServer } from '../helpers/motoServer.js';

let pipeline: TestPipeline;
let agent: FargateAgent;
const moto = useMotoServer({
  beforeReset: async () => {
    await agent?.stop();
  },
});

function storeOf(p: TestPipeline): DynamoResultStore {
  return new DynamoResultStore({
    documentClient: p.clients.documentClient,
    s3: p.clients.s3,
    tableName: p.tableName,
    bucketName: p.bucketName,
    s3ThresholdBytes: 65_536,
    workers: ['map'],
  });
}

async function waitForFinal(store: DynamoResultStore, runId: string, timeoutMs = 30_000): Promise<StoredRun> {
  await agent.waitForRunFinished(runId, timeoutMs);
  const run = await store.getRun(runId, { consistent: true });
  if (!run || !isFinalRun(run)) throw new Error(`run ${runId} finished but its record is ${run?.status}`);
  return run;
}

describe('a local worker through the whole pipeline', () => {
  it('queues, starts a task, runs map on the S3 snapshot, stores the result and exits when idle', async () => {
    // prepare
    pipeline = await createTestPipeline(moto.endpoint);
    await uploadSnapshot(pipeline.clients.s3, await makeRepo(VULNERABLE_APP));
    agent = new FargateAgent({ endpoint: moto.endpoint, ecs: pipeline.clients.ecs, clusterArn: pipeline.clusterArn });
    await agent.start();
    const store = storeOf(pipeline);

    // act
    const response = (await pipeline.dispatch({ worker: 'map', target: 'demo' }, { awsRequestId: 'req-local-1' })) as { runIds: string[]; queued: number; tasksStarted: number };

    // assess
    expect(response).toEqual({ runIds: [expect.stringMatching(/-map-[0-9a-f]{8}$/)], queued: 1, tasksStarted: 1 });
    const runId = response.runIds[0]!;
    const run = await waitForFinal(store, runId);
    expect(run).toMatchObject({ runId, worker: 'map', target: 'demo', status: 'SUCCEEDED', mode: 'local', attempts: 1, source: 'manual', priority: 'normal', profile: 'local' });
    expect((run as { parsedOutput?: { languages?: unknown[] } }).parsedOutput?.languages?.length).toBeGreaterThan(0);
    expect(run.expiresAt).toBeGreaterThan(Date.now() / 1000 + 29 * 86_400);

    await agent.waitUntilIdle(20_000);
    const [task] = [...agent.tasks.values()];
    expect(task?.exitCode).toBe(0);
    const { Attributes } = await pipeline.clients.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: pipeline.queueUrls.local.normal, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
    );
    expect(Attributes).toMatchObject({ ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '0' });
    const lines = agent.logLines();
    expect(lines.some((l) => l.msg === 'idle: exiting')).toBe(true);
    const metrics = lines.find((l) => '_aws' in l) as Record<string, unknown> | undefined;
    expect(metrics).toMatchObject({ Worker: 'map', Profile: 'local', Outcome: 'SUCCEEDED', [METRICS.runOutcome]: 1, [METRICS.runFailed]: 0 });
  });

  it('shows the run in the CLI: status (summary and worker table) and results (table and the run in full)', async () => {
    // prepare
    pipeline = await createTestPipeline(moto.endpoint);
    await uploadSnapshot(pipeline.clients.s3, await makeRepo(VULNERABLE_APP));
    agent = new FargateAgent({ endpoint: moto.endpoint, ecs: pipeline.clients.ecs, clusterArn: pipeline.clusterArn });
    await agent.start();
    const triggered = await runCloudCli(pipeline, ['trigger', 'map', '--target', 'demo']);
    const runId = /(demo~\d{8}T\d{9}Z-map-[0-9a-f]{8})/.exec(triggered.stdout)?.[1];
    expect(triggered).toMatchObject({ code: 0, stderr: '' });
    await waitForFinal(storeOf(pipeline), runId!);
    await agent.waitUntilIdle(20_000);

    // act
    const status = await runCloudCli(pipeline, ['status', '--show-modes']);
    const daemonStatus = await runCloudCli(pipeline, ['daemon', 'status', '--cloud', '--show-modes']);
    const results = await runCloudCli(pipeline, ['results', 'map', '--last', '3']);
    const one = await runCloudCli(pipeline, ['results', 'map', '--run', runId!, '--json']);

    // assess
    expect(triggered.stdout).toContain('queued 1 run(s) of map on demo; 1 task(s) started');
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/Pipeline: +idle \(no task running\)/);
    expect(status.stdout).toMatch(/local: +0\/2 tasks · critical 0 · high 0 · normal 0 · low 0 · dead letters: 0/);
    expect(status.stdout).toMatch(/map +local +- +normal +15 min +idle +just now +SUCCEEDED +\d+ ms +\$0/);
    expect(status.stdout).toMatch(/audit +headless +strict +critical +30 min +idle +never +- +- +-/);
    const withoutCheckTime = (text: string) => text.replace(/^Checked:.*$/m, '');
    expect(daemonStatus.code).toBe(0);
    expect(withoutCheckTime(daemonStatus.stdout)).toBe(withoutCheckTime(status.stdout));
    // main() turns this InputError into exit 2 (test/cli/usage.test.ts runs main itself)
    await expect(runCloudCli(pipeline, ['daemon', 'status', '--endpoint-url', 'http://127.0.0.1:1'])).rejects.toThrow('--endpoint-url is for the deployed stack: add --cloud');
    expect(results.stdout).toContain(runId);
    expect(results.stdout).toMatch(/SUCCEEDED +local/);
    expect(results.stdout).toContain('latest finished run:');
    expect(results.stdout).toMatch(/LANGUAGE +FILES/);
    expect(JSON.parse(one.stdout)).toMatchObject({ runId, status: 'SUCCEEDED', attempts: 1 });
  });
});
