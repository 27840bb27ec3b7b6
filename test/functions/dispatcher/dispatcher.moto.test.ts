import { ListTasksCommand, RunTaskCommand, type ECSClient } from '@aws-sdk/client-ecs';
import { GetQueueAttributesCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { PRIORITIES } from '../../../workers/catalog/constants.js';
import type { DispatchResponse, ErrorResponse, ReconcileResponse, ResultsResponse, RunResponse, StatusResponse } from '../../../workers/cloudRuntime/index.js';
import { parseTaskMessage } from '../../../workers/cloudRuntime/index.js';
import { buildDispatcher, countQueuedMessages, createTestPipeline, SNAPSHOT_BUCKET, TWO_TARGETS_CONFIG, type TestPipeline } from '../../helpers/motoPipeline.js';
import { motoProcessEnv, useMotoServer } from '../../helpers/motoServer.js';

const CONFIG = TWO_TARGETS_CONFIG;

let pipeline: TestPipeline;
const moto = useMotoServer();

async function runItems(p: TestPipeline): Promise<Record<string, unknown>[]> {
  const { Items } = await p.clients.documentClient.send(new ScanCommand({ TableName: p.tableName }));
  return (Items ?? []).filter((item) => String(item.pk).startsWith('RUN#'));
}

async function tasks(p: TestPipeline): Promise<string[]> {
  return (await p.clients.ecs.send(new ListTasksCommand({ cluster: p.clusterArn }))).taskArns ?? [];
}

describe('the dispatcher against the emulated stack', () => {
  it.each([
    [{ worker: 'nope' }, 'worker', ['map', 'audit']],
    [{ worker: 'audit', target: 'elsewhere' }, 'target', ['demo', 'api']],
    [{ worker: 'audit', sandbox: 'permissive' }, 'sandbox', ['strict']],
    [{ worker: 'optimize', sandbox: 'disabled' }, 'sandbox', ['strict', 'permissive']],
    [{ worker: 'map', model: 'haiku' }, 'model', undefined],
    [{ worker: 'map', sandbox: 'strict' }, 'sandbox', undefined],
    [{ source: 'schedule', worker: 'predict' }, 'worker', undefined],
    [{ worker: 'audit', priority: 'urgent' }, 'priority', ['critical', 'high', 'normal', 'low']],
    [{ worker: 'audit', extra: true }, 'extra', undefined],
    [{ action: 'results', worker: 'nope' }, 'worker', ['map', 'audit']],
    [{ action: 'results', runId: '20261125T160102123Z-audit-3fa9c2e1' }, 'runId', undefined],
    ['[]', '(payload)', undefined],
  ])('answers %j with an error naming %s, queues nothing and starts nothing', async (payload, field, allowed) => {
    // prepare
    pipeline = await createTestPipeline(moto.endpoint, { config: CONFIG });

    // act
    const response = (await pipeline.dispatch(payload, { awsRequestId: 'bad-1' })) as ErrorResponse;

    // assess
    expect(Object.keys(response)).toEqual(['error']);
    expect(response.error.field).toBe(field);
    expect(response.error.message).not.toMatch(/\n\s+at |Error:/);
    if (allowed) expect(response.error.allowed).toEqual(expect.arrayContaining(allowed));
    expect(await countQueuedMessages(pipeline)).toBe(0);
    expect(await runItems(pipeline)).toEqual([]);
    expect(await tasks(pipeline)).toEqual([]);
  });

  it('queues one message per target into its own target\'s queue of the worker\'s profile and priority, records QUEUED, starts a task per target', async () => {
    // prepare
    pipeline = await createTestPipeline(moto.endpoint, { config: CONFIG });

    // act
    const response = (await pipeline.dispatch({ worker: 'optimize', sandbox: 'strict', model: 'haiku' }, { awsRequestId: 'manual-1' })) as DispatchResponse;

    // assess: a tightened sandbox moves the runs to the strict queues
    expect(response).toMatchObject({ queued: 2, tasksStarted: 2 });
    const receive = async (target: string) => {
      const received = await pipeline!.clients.sqs.send(new ReceiveMessageCommand({ QueueUrl: pipeline!.laneQueueUrls.strict[target]!.normal, MaxNumberOfMessages: 10 }));
      return (received.Messages ?? []).map((m) => parseTaskMessage(m.Body!)).map((p) => (p.ok ? p.message : null));
    };
    const [api, demo] = [await receive('api'), await receive('demo')];
    expect(api.map((m) => m?.target)).toEqual(['api']);
    expect(demo.map((m) => m?.target)).toEqual(['demo']);
    const messages = [...demo, ...api];
    expect(messages.map((m) => m?.runId.split('~')[0])).toEqual(['demo', 'api']);
    expect(messages[0]).toMatchObject({ v: 1, worker: 'optimize', profile: 'strict', priority: 'normal', source: 'manual', model: 'haiku', sandbox: 'strict' });
    const items = await runItems(pipeline);
    expect(items.map((i) => i.status)).toEqual(['QUEUED', 'QUEUED']);
    expect(items[0]).toMatchObject({ statusKey: 'QUEUED', gsi1pk: 'WORKER#optimize', attempts: 0, profile: 'strict' });
    expect(Number(items[0]!.expiresAt)).toBeGreaterThan(Date.now() / 1000 + 29 * 86_400);
    expect(await tasks(pipeline)).toHaveLength(2);
  });

  it('queues a retried schedule tick once (idempotency key), and the next tick again', async () => {
    // prepare
    pipeline = await createTestPipeline(moto.endpoint, { config: CONFIG });
    const tick = { source: 'schedule', worker: 'audit', scheduledTime: '2026-11-25T16:00:00Z' };

    // act: Scheduler retries the same tick (new request ids), then the next tick fires; Lambda retries an async invoke (same request id)
    const first = (await pipeline.dispatch(tick, { awsRequestId: 'a' })) as DispatchResponse;
    const retried = (await pipeline.dispatch(tick, { awsRequestId: 'b' })) as DispatchResponse;
    const next = (await pipeline.dispatch({ ...tick, scheduledTime: '2026-11-25T16:30:00Z' }, { awsRequestId: 'c' })) as DispatchResponse;
    const noTime = (await pipeline.dispatch({ source: 'schedule', worker: 'audit' }, { awsRequestId: 'd' })) as DispatchResponse;
    const lambdaRetry = (await pipeline.dispatch({ source: 'schedule', worker: 'audit' }, { awsRequestId: 'd' })) as DispatchResponse;

    // assess
    expect(first).toMatchObject({ queued: 2 });
    expect(retried).toMatchObject({ queued: 0, tasksStarted: 0, alreadyQueued: first.runIds });
    expect(retried.runIds).toEqual(first.runIds);
    expect(next).toMatchObject({ queued: 2 });
    expect(noTime).toMatchObject({ queued: 2 });
    expect(lambdaRetry).toMatchObject({ queued: 0, alreadyQueued: noTime.runIds });
    for (const target of ['api', 'demo']) {
      const { Attributes } = await pipeline.clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl: pipeline.laneQueueUrls.strict[target]!.critical, AttributeNames: ['ApproximateNumberOfMessages'] }));
      expect(Attributes?.ApproximateNumberOfMessages, target).toBe('3');
    }
    expect(await runItems(pipeline)).toHaveLength(6);
  });

  it('retries RunTask on throttling and capacity failures with backoff, leaves the rest to reconcile', async () => {
    // prepare: ECS refuses twice (throttled, then no capacity), then works; later it refuses for good
    pipeline = await createTestPipeline(moto.endpoint, { config: CONFIG });
    let failures = ['ThrottlingException', 'capacity'];
    const sleeps: number[] = [];
    const flakyEcs = {
      send: async (command: unknown) => {
        if (command instanceof RunTaskCommand) {
          const next = failures.shift();
          if (next === 'ThrottlingException') throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
          if (next === 'capacity') return { tasks: [], failures: [{ reason: 'Capacity is unavailable at this time. Please try again later or in a different availability zone' }] };
        }
        return pipeline.clients.ecs.send(command as never);
      },
    } as unknown as ECSClient;
    const dispatch = buildDispatcher(pipeline, { ecs: flakyEcs, sleep: async (ms) => void sleeps.push(ms) });

    // act
    const recovered = (await dispatch({ worker: 'map', target: 'demo' }, { awsRequestId: 'x' })) as DispatchResponse;
    failures = Array(20).fill('capacity');
    const refused = (await dispatch({ worker: 'audit', target: 'demo' }, { awsRequestId: 'y' })) as DispatchResponse;
    const reconciled = (await pipeline.dispatch({ source: 'schedule', action: 'reconcile' })) as ReconcileResponse;

    // assess
    expect(recovered).toMatchObject({ queued: 1, tasksStarted: 1 });
    expect(sleeps.length).toBe(5);
    expect(refused).toMatchObject({ queued: 1, tasksStarted: 0 });
    expect(refused.taskWarnings?.[0]).toMatch(/^strict: demo: Capacity is unavailable/);
    expect(reconciled.tasksStarted).toBe(1);
    expect(reconciled.reconciled.find((r) => r.profile === 'strict')).toMatchObject({ waiting: 1, running: 0, started: [expect.stringContaining(':task/')] });
    expect(reconciled.reconciled.find((r) => r.profile === 'local')).toMatchObject({ running: 1, started: [] });
  });

  it('answers status with the pipeline summary and the worker table, and results with queued runs', async () => {
    // prepare
    pipeline = await createTestPipeline(moto.endpoint, { config: CONFIG });
    const triggered = (await pipeline.dispatch({ worker: 'map' }, { awsRequestId: 's1' })) as DispatchResponse;

    // act
    const status = (await pipeline.dispatch({ action: 'status' })) as StatusResponse;
    const results = (await pipeline.dispatch({ action: 'results', worker: 'map', last: 5 })) as ResultsResponse;
    const one = (await pipeline.dispatch({ action: 'results', runId: triggered.runIds[0] })) as RunResponse;

    // assess
    expect(status.pipeline).toMatchObject({ authMode: 'api-key', targets: ['demo', 'api'], totals: { runningTasks: 2, waiting: 2, queuedRuns: 2, runningRuns: 0, deadLettered: 0 } });
    expect(status.pipeline.profiles.map((p) => p.profile)).toEqual(['local', 'strict', 'permissive']);
    expect(Object.keys(status.pipeline.profiles[0]!.queues)).toEqual([...PRIORITIES]);
    expect(status.pipeline.profiles[0]).toMatchObject({ cap: 2, runningTasks: 2, queues: { normal: { waiting: 2, inFlight: 0, deadLettered: 0 } } });
    expect(status.workers.find((w) => w.worker === 'map')).toMatchObject({ mode: 'local', sandbox: null, status: 'queued', queued: 2, running: 0, lastRun: null });
    expect(status.workers.find((w) => w.worker === 'predict')).toMatchObject({ status: 'disabled', enabled: false });
    expect(results.runs.map((r) => r.status)).toEqual(['QUEUED', 'QUEUED']);
    expect(one.run.status).toBe('QUEUED');
  });

  it('runs as the Lambda handler module: environment read at load, `aws lambda invoke` payloads in, JSON out', async () => {
    // prepare
    pipeline = await createTestPipeline(moto.endpoint, { config: CONFIG });
    const saved = { ...process.env };
    Object.assign(process.env, pipeline.dispatcherEnv, motoProcessEnv(moto.endpoint));
    try {
      const { handler } = await import('../../../functions/dispatcher/handler.js');

      // act
      const status = (await handler({ action: 'status' })) as StatusResponse;
      const bad = (await handler({ worker: 'audit', sandbox: 'disabled' })) as ErrorResponse;

      // assess
      expect(status.workers).toHaveLength(12);
      expect(bad).toEqual({ error: { field: 'sandbox', message: expect.stringContaining('would loosen audit\'s sandbox (strict)'), allowed: ['strict'] } });
    } finally {
      process.env = saved;
    }
  });
});
