import { GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { DynamoResultStore, isFinalRun, type DispatchResponse, type CloudRunResult, type StoredRun } from '../../workers/cloudRuntime/index.js';
import { makeRepo } from '../helpers/fixtureRepo.js';
import { runCloudCli } from '../helpers/motoCloudCli.js';
import { FargateAgent } from '../helpers/motoFargateAgent.js';
import { createTestPipeline, uploadSnapshot, type TestPipeline } from '../helpers/motoPipeline.js';
import { useMotoServer } from '../helpers/motoServer.js';

let agent: FargateAgent | undefined;
const moto = useMotoServer({
  beforeReset: async () => {
    await agent?.stop();
    agent = undefined;
  },
});

function storeOf(pipeline: TestPipeline): DynamoResultStore {
  return new DynamoResultStore({ documentClient: pipeline.clients.documentClient, s3: pipeline.clients.s3, tableName: pipeline.tableName, bucketName: pipeline.bucketName, s3ThresholdBytes: 65_536, workers: ['map', 'unknown'] });
}

async function depth(pipeline: TestPipeline, url: string): Promise<number> {
  const { Attributes } = await pipeline.clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
  return Number(Attributes?.ApproximateNumberOfMessages) + Number(Attributes?.ApproximateNumberOfMessagesNotVisible);
}

describe('at-least-once delivery made safe', () => {
  it('stores one result when the same task message is delivered twice, to two tasks at once', async () => {
    // prepare: the dispatcher queues the run; a copy of its message stands for SQS delivering it twice
    const pipeline = await createTestPipeline(moto.endpoint, { concurrency: { local: 2 } });
    await uploadSnapshot(pipeline.clients.s3, await makeRepo({ 'src/a.ts': 'export const a = 1;\n' }));
    const { runIds } = (await pipeline.dispatch({ worker: 'map', target: 'demo' })) as DispatchResponse;
    const queueUrl = pipeline.queueUrls.local.normal;
    const peek = await pipeline.clients.sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 1, VisibilityTimeout: 0 }));
    await pipeline.clients.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: peek.Messages![0]!.Body! }));
    await pipeline.dispatch({ source: 'schedule', action: 'reconcile' });
    const store = storeOf(pipeline);

    // act
    agent = new FargateAgent({ endpoint: moto.endpoint, ecs: pipeline.clients.ecs, clusterArn: pipeline.clusterArn });
    await agent.start();
    await agent.waitFor(async () => {
      // The copy that met the other task's lease waits out the lease, possibly after both tasks went idle:
      // the reconcile schedule then starts a task for it.
      if (agent!.alive().length === 0) await pipeline.dispatch({ source: 'schedule', action: 'reconcile' });
      return (await depth(pipeline, queueUrl)) === 0;
    }, 40_000, 'both copies to be consumed');

    // assess
    const runs = await store.listRuns('map', 10, { hydrate: false });
    expect(runs.map((r) => r.runId)).toEqual([runIds[0]]);
    expect(runs[0]).toMatchObject({ status: 'SUCCEEDED' });
    // One claim normally; two when the first attempt lost its lease or gave the run back on a
    // busy machine and the copy claimed it. Either way there is exactly one record and one finish.
    expect([1, 2]).toContain((runs[0] as CloudRunResult).attempts);
    const lines = agent.logLines();
    expect(lines.filter((l) => l.msg === 'run finished')).toHaveLength(1);
    expect(lines.some((l) => l.msg === 'duplicate delivery of a finished run: deleting the message' || l.msg === 'run is leased by another task: leaving the message for later')).toBe(true);
  });

  it('records unreadable messages as FAILED with their body, and they end in the dead-letter queue with the record saying so', async () => {
    // prepare
    const pipeline = await createTestPipeline(moto.endpoint, { maxReceiveCount: 3 });
    const queueUrl = pipeline.queueUrls.local.high;
    const bodies = ['this is not json', JSON.stringify({ v: 1, runId: 'demo~20261125T160102Z-map-0badc0de', worker: 'map', target: 'demo', profile: 'local', priority: 'high', source: 'manual' })];
    for (const body of bodies) await pipeline.clients.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
    const reconcile = (await pipeline.dispatch({ source: 'schedule', action: 'reconcile' })) as { tasksStarted: number };
    const store = storeOf(pipeline);

    // act
    agent = new FargateAgent({ endpoint: moto.endpoint, ecs: pipeline.clients.ecs, clusterArn: pipeline.clusterArn });
    await agent.start();
    await agent.waitFor(async () => (await depth(pipeline, pipeline.deadLetterUrls.local.high)) === 2, 30_000, 'both messages in the DLQ');
    await agent.waitUntilIdle(20_000);

    // assess
    expect(reconcile.tasksStarted).toBe(2);
    expect(await depth(pipeline, queueUrl)).toBe(0);
    const withRunId = (await store.getRun('demo~20261125T160102Z-map-0badc0de', { consistent: true })) as CloudRunResult;
    expect(withRunId).toMatchObject({ status: 'FAILED', worker: 'map', target: 'demo' });
    expect(withRunId.error).toMatch(/unreadable task message: queuedAt: /);
    expect(withRunId.poison?.body).toBe(bodies[1]);
    expect(withRunId.deadLetter).toMatchObject({ receiveCount: 3, maxReceiveCount: 3 });
    const unknown = (await store.listRuns('unknown', 5, { hydrate: false })) as StoredRun[];
    expect(unknown).toHaveLength(1);
    expect(unknown[0]).toMatchObject({ status: 'FAILED', poison: { body: 'this is not json' }, deadLetter: { receiveCount: 3 } });
    expect((unknown[0] as CloudRunResult).error).toMatch(/body is not JSON/);
    const shown = await runCloudCli(pipeline, ['results', 'map', '--run', 'demo~20261125T160102Z-map-0badc0de']);
    expect(shown.code).toBe(1);
    expect(shown.stdout).toContain('dead-lettered after 3 deliveries');
    const status = await runCloudCli(pipeline, ['status']);
    expect(status.stdout).toMatch(/Queues: +0 waiting, 0 in flight, 2 dead-lettered/);
    expect(isFinalRun(withRunId)).toBe(true);
  });
});
