import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DynamoResultStore, type CloudRunResult, type DispatchResponse } from '../../workers/cloudRuntime/index.js';
import { FAKE_API_KEY } from '../fake-model/claudeTestBed.js';
import { startFakeModelServer, type FakeModelServer } from '../fake-model/index.js';
import { runCli } from '../helpers/cliProcess.js';
import { makeRepo } from '../helpers/fixtureRepo.js';
import { runCloudCli } from '../helpers/motoCloudCli.js';
import { FargateAgent } from '../helpers/motoFargateAgent.js';
import { createTestPipeline, uploadSnapshot, laneFamily, type TestPipeline } from '../helpers/motoPipeline.js';
import { motoProcessEnv, useMotoServer } from '../helpers/motoServer.js';
import { findLeaks, plantedSecretRepo, secretQuotingModel, type Exhibit } from '../helpers/secretLeakHunt.js';

const planted = plantedSecretRepo();
const SECRET_FILE = 'src/aws.ts';

let model: FakeModelServer | undefined;
let agent: FargateAgent | undefined;
const moto = useMotoServer({
  beforeReset: async () => {
    await agent?.stop();
    await model?.close();
  },
});

/** Everything the results table and bucket hold, one exhibit per item or object. */
async function storedExhibits(pipeline: TestPipeline): Promise<Exhibit[]> {
  const { Items = [] } = await pipeline.clients.documentClient.send(new ScanCommand({ TableName: pipeline.tableName }));
  const exhibits: Exhibit[] = Items.map((item) => ({ where: `table item ${String(item.pk)} ${String(item.sk)}`, text: JSON.stringify(item) }));
  const { Contents = [] } = await pipeline.clients.s3.send(new ListObjectsV2Command({ Bucket: pipeline.bucketName }));
  for (const { Key } of Contents) {
    const object = await pipeline.clients.s3.send(new GetObjectCommand({ Bucket: pipeline.bucketName, Key }));
    exhibits.push({ where: `s3://${pipeline.bucketName}/${Key}`, text: await object.Body!.transformToString() });
  }
  return exhibits;
}

describe('planted secrets never reach a log line, a metric or a stored record (container runner under moto)', () => {
  it('a headless audit whose model quotes every planted value: none in the JSON logs, metric lines, table, bucket or what the CLI shows', async () => {
    // prepare
    model = await startFakeModelServer({ reply: secretQuotingModel(planted, SECRET_FILE) });
    const pipeline = await createTestPipeline(moto.endpoint, { profiles: ['strict'] });
    await uploadSnapshot(pipeline.clients.s3, await makeRepo(planted.files));
    agent = new FargateAgent({
      endpoint: moto.endpoint,
      ecs: pipeline.clients.ecs,
      clusterArn: pipeline.clusterArn,
      extraEnv: (family): Record<string, string> => (family === laneFamily('local') ? {} : { ANTHROPIC_API_KEY: FAKE_API_KEY, ANTHROPIC_BASE_URL: model!.url }),
    });
    await agent.start();
    const store = new DynamoResultStore({ documentClient: pipeline.clients.documentClient, s3: pipeline.clients.s3, tableName: pipeline.tableName, bucketName: pipeline.bucketName, s3ThresholdBytes: 65_536, workers: ['audit'] });

    // act
    const response = (await pipeline.dispatch({ worker: 'audit', target: 'demo' }, { awsRequestId: 'req-secrets-1' })) as DispatchResponse;
    const runId = response.runIds[0]!;
    await agent.waitForRunFinished(runId, 90_000);
    const run = (await store.getRun(runId, { consistent: true })) as CloudRunResult;
    await agent.waitFor(() => agent!.logLines().find((line) => '_aws' in line), 15_000, 'the metrics line');

    // assess: the run went as meant (raw values went to the model), then nothing of them came back out
    expect(run).toMatchObject({ status: 'SUCCEEDED', mode: 'headless', sandboxMode: 'strict' });
    expect(run.violations).toEqual([expect.objectContaining({ tool: 'Bash' })]);
    expect(findLeaks([{ where: 'model requests', text: model.mainRequests().map((r) => r.rawBody).join('\n') }], planted).length).toBeGreaterThan(0);
    const logs: Exhibit[] = [...agent.tasks.values()].flatMap((task) => task.lines.map((line, index) => ({ where: `${task.family} line ${index}`, text: JSON.stringify(line) })));
    expect(logs.some((line) => line.text.includes('"_aws"'))).toBe(true);
    const stored = await storedExhibits(pipeline);
    expect(stored.some((item) => item.text.includes(runId))).toBe(true);
    // What an operator reads back: the run in full, the tracked findings as SARIF.
    const shown = await runCloudCli(pipeline, ['results', 'audit', '--run', runId, '--json']);
    const sarifFile = path.join(await mkdtemp(path.join(os.tmpdir(), 'hw-leaks-')), 'cloud.sarif');
    const findings = await runCli(['findings', '--cloud', '--table', pipeline.tableName, '--sarif', sarifFile], { env: motoProcessEnv(moto.endpoint) });
    expect(shown.code, shown.stderr).toBe(0);
    expect(findings.code, findings.stderr).toBe(0);
    const operator: Exhibit[] = [
      { where: 'results --run --json', text: shown.stdout + shown.stderr },
      { where: 'findings --cloud', text: findings.stdout + findings.stderr },
      { where: 'findings --cloud --sarif', text: await readFile(sarifFile, 'utf8') },
    ];
    await rm(path.dirname(sarifFile), { recursive: true, force: true });
    expect(findLeaks([...logs, ...stored, ...operator], planted)).toEqual([]);
  }, 180_000);
});
