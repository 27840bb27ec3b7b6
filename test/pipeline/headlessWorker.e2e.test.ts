import { describe, expect, it } from 'vitest';
import { METRICS } from '../../workers/cloud/index.js';
import { DynamoResultStore, type DispatchResponse, type CloudRunResult } from '../../workers/cloudRuntime/index.js';
import { FAKE_API_KEY } from '../fake-model/claudeTestBed.js';
import { SAMPLE_AUDIT, startFakeModelServer, type FakeModelServer } from '../fake-model/index.js';
import { makeRepo, VULNERABLE_APP } from '../helpers/fixtureRepo.js';
import { runCloudCli } from '../helpers/motoCloudCli.js';
import { FargateAgent } from '../helpers/motoFargateAgent.js';
import { createTestPipeline, uploadSnapshot, laneFamily, type TestPipeline } from '../helpers/motoPipeline.js';
import { useMotoServer } from '../helpers/motoServer.js';

let model: FakeModelServer | undefined;
let agent: FargateAgent | undefined;
const moto = useMotoServer({
  beforeReset: async () => {
    await agent?.stop();
    await model?.close();
  },
});

/** What ECS would hand a headless task: the API key as a secret (here the fake model's), the model API's address. */
function headlessEnv(family: string, modelUrl: string): Record<string, string> {
  if (family === laneFamily('local')) return {};
  return { ANTHROPIC_API_KEY: FAKE_API_KEY, ANTHROPIC_BASE_URL: modelUrl, DISABLE_TELEMETRY: '1', CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1' };
}

describe('a headless worker through the whole pipeline (real Claude Code, fake model API)', () => {
  it('runs audit under the strict profile, stores the structured findings, counts the refused Bash call and emits its metrics', async () => {
    // prepare
    model = await startFakeModelServer({
      reply: [
        { kind: 'toolCall', name: 'Bash', input: { command: 'touch pwned-by-model' } },
        { kind: 'structuredOutput', value: SAMPLE_AUDIT },
      ],
    });
    const pipeline: TestPipeline = await createTestPipeline(moto.endpoint, { visibilityTimeoutSeconds: 9 });
    await uploadSnapshot(pipeline.clients.s3, await makeRepo(VULNERABLE_APP));
    agent = new FargateAgent({ endpoint: moto.endpoint, ecs: pipeline.clients.ecs, clusterArn: pipeline.clusterArn, extraEnv: (family) => headlessEnv(family, model!.url) });
    await agent.start();
    const store = new DynamoResultStore({ documentClient: pipeline.clients.documentClient, s3: pipeline.clients.s3, tableName: pipeline.tableName, bucketName: pipeline.bucketName, s3ThresholdBytes: 65_536, workers: ['audit'] });

    // act
    const response = (await pipeline.dispatch({ worker: 'audit', target: 'demo', model: 'haiku' }, { awsRequestId: 'req-headless-1' })) as DispatchResponse;
    const runId = response.runIds[0]!;
    await agent.waitForRunFinished(runId, 60_000);
    const run = (await store.getRun(runId, { consistent: true })) as CloudRunResult;

    // assess
    expect(response.tasksStarted).toBe(1);
    expect(run).toMatchObject({ status: 'SUCCEEDED', mode: 'headless', sandboxMode: 'strict', profile: 'strict', priority: 'critical', attempts: 1 });
    expect(run.model).toMatch(/haiku/);
    expect(run.parsedOutput).toEqual(SAMPLE_AUDIT);
    expect(run.violations).toEqual([expect.objectContaining({ tool: 'Bash' })]);
    expect(run.tokens.input).toBeGreaterThan(0);
    expect(run.costUsd).toBeGreaterThan(0);
    expect(model.mainRequests().length).toBe(2);
    // The result is stored first, then the task emits the run's metrics and deletes the message.
    const metrics = await agent.waitFor(() => agent!.logLines().find((l) => '_aws' in l), 10_000, 'the metrics line');
    expect(metrics).toMatchObject({ Worker: 'audit', Profile: 'strict', Outcome: 'SUCCEEDED', [METRICS.sandboxViolations]: 1, [METRICS.runFailed]: 0 });
    expect(Number(metrics?.[METRICS.inputTokens])).toBeGreaterThan(0);
    const shown = await runCloudCli(pipeline, ['results', 'audit', '--run', runId]);
    expect(shown.stdout).toMatch(/audit on demo · SUCCEEDED · headless, claude-haiku\S*, sandbox strict/);
    expect(shown.stdout).toContain('refused: Bash');
    expect(shown.stdout).toMatch(/high +src\/config\.ts:2 +hardcoded-secret/);
  });
});
