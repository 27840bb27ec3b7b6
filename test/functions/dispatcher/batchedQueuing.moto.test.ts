import { ReceiveMessageCommand, SendMessageBatchCommand, type SendMessageBatchCommandOutput, type SQSClient } from '@aws-sdk/client-sqs';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { idempotencyBaseOf } from '../../../functions/dispatcher/createDispatcher.js';
import { parseRequest } from '../../../functions/dispatcher/parseRequest.js';
import { planRuns, type PlannedRun } from '../../../functions/dispatcher/planRuns.js';
import { idempotencyKeyOf, recordQueuedRuns, requestKeyOf } from '../../../functions/dispatcher/recordQueuedRuns.js';
import { IdempotencyKeys, parseTaskMessage, RunRecords, type DispatchResponse, type TaskMessage } from '../../../workers/cloudRuntime/index.js';
import { parseConfig } from '../../../workers/config/loadConfig.js';
import { expiresAtFor } from '../../../workers/run/expiry.js';
import { newTargetRunId } from '../../../workers/run/runId.js';
import { useFaultInjection } from '../../helpers/faultInjection.js';
import type { FaultProxy } from '../../helpers/faultProxy.js';
import { buildDispatcher, createTestPipeline, SNAPSHOT_BUCKET, type TestPipeline } from '../../helpers/motoPipeline.js';

const TARGETS = 120;
const CONFIG = { targets: Array.from({ length: TARGETS }, (_, i) => ({ name: `t${String(i).padStart(3, '0')}`, s3: { bucket: SNAPSHOT_BUCKET, key: `t${i}.tar.gz` } })) };
const TICK = { source: 'schedule', worker: 'map', scheduledTime: '2026-11-25T16:00:00Z' };

const faults = useFaultInjection();

async function setUp(): Promise<{ pipeline: TestPipeline; proxy: FaultProxy }> {
  const proxy = await faults.startProxy();
  const pipeline = await createTestPipeline(proxy.endpoint, { config: CONFIG, profiles: ['local'] });
  return { pipeline, proxy };
}

async function itemsUnder(pipeline: TestPipeline, prefix: 'RUN#' | 'IDEMPOTENCY#'): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await pipeline.clients.documentClient.send(new ScanCommand({ TableName: pipeline.tableName, ExclusiveStartKey: startKey }));
    items.push(...(page.Items ?? []).filter((item) => String(item.pk).startsWith(prefix)));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

/** The tick's run keys (not the key of the request as a whole). */
async function runKeyItems(pipeline: TestPipeline): Promise<Record<string, unknown>[]> {
  const requestKey = requestKeyOf(plannedTick().base, 'map');
  return (await itemsUnder(pipeline, 'IDEMPOTENCY#')).filter((k) => k.idempotencyKey !== requestKey);
}

/** Every message in the map worker's queues, one per target (kept invisible while the test reads on). */
async function drainMessages(pipeline: TestPipeline): Promise<TaskMessage[]> {
  const messages: TaskMessage[] = [];
  for (const [target, urls] of Object.entries(pipeline.laneQueueUrls.local)) {
    for (;;) {
      const { Messages } = await pipeline.clients.sqs.send(
        new ReceiveMessageCommand({ QueueUrl: urls.normal, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, VisibilityTimeout: 600 }),
      );
      if (!Messages?.length) break;
      for (const m of Messages) {
        const parsed = parseTaskMessage(m.Body!);
        if (!parsed.ok) throw new Error(`unreadable task message: ${m.Body}`);
        if (parsed.message.target !== target) throw new Error(`a message of ${parsed.message.target} in the queue of ${target}`);
        messages.push(parsed.message);
      }
    }
  }
  return messages;
}

/** The tick's key base and planned runs, as the dispatcher computes them. */
function plannedTick(): { base: string; runs: PlannedRun[] } {
  const parsed = parseRequest(TICK);
  if (!parsed.ok || parsed.request.kind !== 'schedule') throw new Error('the test tick does not parse');
  const config = parseConfig(CONFIG, 'test');
  const plan = planRuns(parsed.request, config, ['local']);
  if ('problem' in plan) throw new Error(plan.problem.message);
  return { base: idempotencyBaseOf(parsed.request, {}, config, new Date())!, runs: plan.runs };
}

function stores(pipeline: TestPipeline): { keys: IdempotencyKeys; records: RunRecords } {
  const { documentClient } = pipeline.clients;
  return {
    keys: new IdempotencyKeys({ documentClient, tableName: pipeline.tableName }),
    records: new RunRecords({ documentClient, tableName: pipeline.tableName, resultTtlDays: 30 }),
  };
}

function expectOneRecordAndMessagePerRun(records: Record<string, unknown>[], messages: TaskMessage[], runIds: readonly string[]): void {
  expect(new Set(runIds).size).toBe(runIds.length);
  expect(records.map((r) => r.runId).sort()).toEqual([...runIds].sort());
  expect(messages.map((m) => m.runId).sort()).toEqual([...runIds].sort());
}

describe('queuing a tick over many targets in batches', () => {
  it('queues 120 targets with one record and one message each, in a handful of batches', async () => {
    // prepare
    const { pipeline, proxy } = await setUp();
    const callsBefore = proxy.seen().length;

    // act
    const response = (await pipeline.dispatch(TICK, { awsRequestId: 'tick-1' })) as DispatchResponse;

    // assess
    expect(response).toMatchObject({ queued: TARGETS });
    const records = await itemsUnder(pipeline, 'RUN#');
    const messages = await drainMessages(pipeline);
    expectOneRecordAndMessagePerRun(records, messages, response.runIds);
    expect(new Set(messages.map((m) => m.target)).size).toBe(TARGETS);
    expect(records.every((r) => r.status === 'QUEUED' && r.statusKey === 'QUEUED' && r.attempts === 0 && r.gsi1pk === 'WORKER#map')).toBe(true);
    const runKeys = await runKeyItems(pipeline);
    expect(runKeys).toHaveLength(TARGETS);
    expect(runKeys.every((k) => k.state === 'SENT' && response.runIds.includes(String(k.runId)) && typeof k.claimedAt === 'string' && typeof k.expiresAt === 'number')).toBe(true);
    const calls = proxy.seen().slice(callsBefore);
    const count = (operation: string) => calls.filter((c) => c.operation === operation).length;
    // Run keys, then records, then keys marked SENT: 25 items a BatchWriteItem call each time.
    expect(count('BatchWriteItem')).toBe(3 * Math.ceil(TARGETS / 25));
    // Each target has its own queue (a task serves one target): one SendMessageBatch per target's queue.
    expect(count('SendMessageBatch')).toBe(TARGETS);
    // One item at a time only for the request's own key: claimed, then marked once the run keys are written.
    const oneByOne = calls.filter((c) => /"(IDEMPOTENCY|RUN)#/.test(c.body) && c.operation !== 'BatchWriteItem');
    expect(oneByOne.map((c) => c.operation)).toEqual(['PutItem', 'UpdateItem']);
  });

  it('queues nothing new when the same tick is retried', async () => {
    // prepare
    const { pipeline } = await setUp();
    const first = (await pipeline.dispatch(TICK, { awsRequestId: 'tick-1' })) as DispatchResponse;

    // act
    const retried = (await pipeline.dispatch(TICK, { awsRequestId: 'tick-1-retry' })) as DispatchResponse;

    // assess
    expect(retried).toMatchObject({ queued: 0, tasksStarted: 0, alreadyQueued: first.runIds });
    expectOneRecordAndMessagePerRun(await itemsUnder(pipeline, 'RUN#'), await drainMessages(pipeline), first.runIds);
  });

  it('finishes the job of a try that died before sending: its claimed keys keep their run ids', async () => {
    // prepare: a try recorded the first 30 runs (keys CLAIMED, records QUEUED) and died before sending;
    // an older one claimed two more keys and died before writing their records
    const { pipeline } = await setUp();
    const { base, runs } = plannedTick();
    const { keys, records } = stores(pipeline);
    const deadTry = await recordQueuedRuns(runs.slice(0, 30), { source: 'schedule', idempotencyBase: base }, { keys, records, clock: () => new Date(), sleep: async () => {} });
    const claimedOnly = runs.slice(30, 32).map((run) => ({ target: run.target, runId: newTargetRunId(run.target, run.worker, new Date()) }));
    for (const { target, runId } of claimedOnly) await keys.claim(idempotencyKeyOf(base, { worker: 'map', target }), runId, expiresAtFor(new Date(), 1));
    const inherited = [...deadTry.toSend.map((r) => r.run.runId), ...claimedOnly.map((c) => c.runId)];

    // act
    const response = (await pipeline.dispatch(TICK, { awsRequestId: 'tick-1-retry' })) as DispatchResponse;

    // assess
    expect(response.queued).toBe(TARGETS);
    expect(response.runIds.slice(0, 32)).toEqual(inherited);
    const queuedRecords = await itemsUnder(pipeline, 'RUN#');
    expectOneRecordAndMessagePerRun(queuedRecords, await drainMessages(pipeline), response.runIds);
    expect(queuedRecords.find((r) => r.runId === claimedOnly[0]!.runId)).toMatchObject({ status: 'QUEUED', target: claimedOnly[0]!.target });
    const keyItems = await runKeyItems(pipeline);
    expect(keyItems).toHaveLength(TARGETS);
    expect(keyItems.every((k) => k.state === 'SENT')).toBe(true);
  });

  it('leaves a request alone while an earlier try may still be writing its keys, and finishes it once that try is past its lease', async () => {
    // prepare: a try claimed the request and wrote 10 of its run keys, then died (or is still at it)
    const { pipeline } = await setUp();
    const { base, runs } = plannedTick();
    const { keys } = stores(pipeline);
    const now = new Date();
    const expiresAt = expiresAtFor(now, 1);
    await keys.claim(requestKeyOf(base, 'map'), `${runs.length} runs`, expiresAt);
    const written = runs.slice(0, 10).map((run) => ({ key: idempotencyKeyOf(base, run), runId: newTargetRunId(run.target, run.worker, now), claimedAt: now.toISOString(), expiresAt }));
    await keys.putClaimedMany(written);
    const waits: number[] = [];
    const soon = buildDispatcher(pipeline, { sleep: async (ms) => void waits.push(ms) });
    // Two minutes on, a Lambda invocation with a minute left knows the holder (started as long as it, at most) is dead.
    const later = buildDispatcher(pipeline, { clock: () => new Date(now.getTime() + 2 * 60_000) });

    // act
    const refused = await soon(TICK, { awsRequestId: 'tick-1-retry', getRemainingTimeInMillis: () => 60_000 }).then(
      () => null,
      (error: Error) => error,
    );
    const recordsWhileHeld = await itemsUnder(pipeline, 'RUN#');
    const response = (await later(TICK, { awsRequestId: 'tick-1-retry-2', getRemainingTimeInMillis: () => 60_000 })) as DispatchResponse;

    // assess
    expect(refused?.message).toMatch(/another try of this request .* is still recording its runs; nothing was queued/);
    expect(waits.length).toBeGreaterThan(0);
    expect(recordsWhileHeld).toEqual([]);
    expect(response.queued).toBe(TARGETS);
    expect(response.runIds.slice(0, 10)).toEqual(written.map((w) => w.runId));
    expectOneRecordAndMessagePerRun(await itemsUnder(pipeline, 'RUN#'), await drainMessages(pipeline), response.runIds);
  });

  it('records runs SQS refused as FAILED with the reason and releases their keys, so a retried tick queues them', async () => {
    // prepare: SQS refuses the entries of three targets, every time (moto never refuses single
    // entries of a batch, so this wrapper answers as SQS does then: the others in, those in Failed)
    const { pipeline } = await setUp();
    const refusedTargets = new Set(['t005', 't042', 't101']);
    const refusingSqs = {
      send: async (command: unknown) => {
        if (!(command instanceof SendMessageBatchCommand)) return pipeline.clients.sqs.send(command as never);
        const entries = command.input.Entries ?? [];
        const refused = entries.filter((e) => refusedTargets.has(JSON.parse(e.MessageBody!).target));
        const passed = entries.filter((e) => !refused.includes(e));
        const forwarded = passed.length > 0 ? await pipeline.clients.sqs.send(new SendMessageBatchCommand({ ...command.input, Entries: passed })) : { Successful: [], Failed: [] };
        const failed = refused.map((e) => ({ Id: e.Id!, Code: 'KMS.ThrottlingException', Message: 'Rate exceeded', SenderFault: false }));
        return { ...forwarded, Failed: [...(forwarded.Failed ?? []), ...failed] } as SendMessageBatchCommandOutput;
      },
    } as unknown as SQSClient;
    const sleeps: number[] = [];
    const dispatch = buildDispatcher(pipeline, { sqs: refusingSqs, sleep: async (ms) => void sleeps.push(ms) });

    // act: the tick, then its retry with SQS taking everything
    const response = (await dispatch(TICK, { awsRequestId: 'tick-1' })) as DispatchResponse;
    const keysBetween = await runKeyItems(pipeline);
    const retried = (await pipeline.dispatch(TICK, { awsRequestId: 'tick-1-retry' })) as DispatchResponse;

    // assess: refused entries were tried three times, then given up
    expect(response.queued).toBe(TARGETS - 3);
    expect(response.failed?.map((f) => f.target).sort()).toEqual([...refusedTargets].sort());
    expect(response.failed?.every((f) => f.reason === 'KMS.ThrottlingException: Rate exceeded')).toBe(true);
    expect(sleeps.length).toBeGreaterThanOrEqual(2);
    const failedIds = response.failed!.map((f) => f.runId);
    const recordsAfter = await itemsUnder(pipeline, 'RUN#');
    for (const runId of failedIds) {
      expect(recordsAfter.find((r) => r.runId === runId)).toMatchObject({ status: 'FAILED', success: false, error: 'the task message could not be queued: KMS.ThrottlingException: Rate exceeded' });
      expect(recordsAfter.find((r) => r.runId === runId)).not.toHaveProperty('statusKey');
    }
    const released = keysBetween.filter((k) => k.state === 'RELEASED');
    expect(released.map((k) => k.runId).sort()).toEqual([...failedIds].sort());
    expect(keysBetween.filter((k) => k.state === 'SENT')).toHaveLength(TARGETS - 3);
    // the retried tick takes the released keys afresh (new run ids) and leaves the sent ones alone
    expect(retried.queued).toBe(3);
    expect(retried.alreadyQueued).toEqual(response.runIds);
    expect(retried.runIds.filter((id) => failedIds.includes(id))).toEqual([]);
    const messages = await drainMessages(pipeline);
    expect(messages.map((m) => m.runId).sort()).toEqual([...response.runIds, ...retried.runIds.slice(0, 3)].sort());
    expect((await runKeyItems(pipeline)).every((k) => k.state === 'SENT')).toBe(true);
    expect(recordsAfter.filter((r) => r.status === 'QUEUED')).toHaveLength(TARGETS);
  });
});
