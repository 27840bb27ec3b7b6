import { describe, expect, it } from 'vitest';
import type { CloudRunResult, DispatchResponse, DynamoResultStore, ReconcileResponse } from '../../workers/cloudRuntime/index.js';
import { ABANDON_GRACE_MS } from '../../functions/dispatcher/closeAbandonedRuns.js';
import { countDeadLettered } from '../helpers/deadLetters.js';
import { useFaultInjection } from '../helpers/faultInjection.js';
import { AWS_FAULTS, type ProxiedCall } from '../helpers/faultProxy.js';
import { makeRepo } from '../helpers/fixtureRepo.js';
import { dynamoResultStore } from '../helpers/motoAuditFixture.js';
import { buildDispatcher, countQueuedMessages, createTestPipeline, uploadSnapshot, type TestPipeline } from '../helpers/motoPipeline.js';
import { reconcileUntil } from '../helpers/reconcileLoop.js';

const faults = useFaultInjection();

/** The runners' SDK user agent carries this app id: the outage hits their calls, not the test's or the dispatcher's. */
const RUNNER = 'runner';
const DYNAMO_WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);
const isRunnerDynamoWrite = (call: ProxiedCall) => call.client === RUNNER && call.service === 'dynamodb' && DYNAMO_WRITES.has(call.operation);
const isFinalSave = (call: ProxiedCall) => isRunnerDynamoWrite(call) && call.operation === 'UpdateItem' && call.body.includes('{"S":"SUCCEEDED"}');

/** The reconcile tick as the dispatcher would run it `aheadMs` from now. */
async function reconcileLater(pipeline: TestPipeline, aheadMs: number): Promise<ReconcileResponse> {
  const later = buildDispatcher(pipeline, { clock: () => new Date(Date.now() + aheadMs) });
  return (await later({ source: 'schedule', action: 'reconcile' })) as ReconcileResponse;
}

/**
 * A map run whose message SQS dead-letters while the runners' DynamoDB writes
 * are refused (from the first write that `opensOn` matches); returns once the
 * runners are idle, with the run's record as they left it.
 */
async function deadLetteredUnderOutage(opensOn: (call: ProxiedCall) => boolean): Promise<{ pipeline: TestPipeline; runId: string; store: DynamoResultStore }> {
  const proxy = await faults.startProxy();
  const pipeline = await createTestPipeline(proxy.endpoint, { profiles: ['local'], visibilityTimeoutSeconds: 4, maxReceiveCount: 2 });
  await uploadSnapshot(pipeline.clients.s3, await makeRepo({ 'src/a.ts': 'export const a = 1;\n' }));
  proxy.outage({ matches: isRunnerDynamoWrite, opensOn, fault: () => AWS_FAULTS.dynamoThrottled() });
  const agent = await faults.startAgent(pipeline, { extraEnv: () => ({ AWS_SDK_UA_APP_ID: RUNNER, HW_STORE_RETRY_SECONDS: '1' }) });
  const { runIds } = (await pipeline.dispatch({ worker: 'map', target: 'demo' }, { awsRequestId: 'abandoned' })) as DispatchResponse;
  // Deliveries until SQS dead-letters the message, reconcile starting tasks as needed.
  await reconcileUntil(pipeline, agent, async () => (await countDeadLettered(pipeline)) === 1, 90_000, 'the message to be dead-lettered');
  await agent.waitUntilIdle(30_000);
  return { pipeline, runId: runIds[0]!, store: dynamoResultStore(pipeline, ['map']) };
}

describe('runs no delivery can finish any more', { timeout: 150_000 }, () => {
  it('DynamoDB refusing the runner\'s writes through every delivery: the message is dead-lettered, and reconcile closes the RUNNING run as FAILED, saying why, once no delivery can come', async () => {
    // prepare: from the first final write on, every DynamoDB write of the runners is refused; two deliveries at most
    const { pipeline, runId, store } = await deadLetteredUnderOutage(isFinalSave);

    // act: reconcile now, and once no delivery can come any more
    const leftBehind = await store.getRun(runId, { consistent: true });
    const now = (await pipeline.dispatch({ source: 'schedule', action: 'reconcile' })) as ReconcileResponse;
    const later = await reconcileLater(pipeline, ABANDON_GRACE_MS + 60_000);
    const again = await reconcileLater(pipeline, ABANDON_GRACE_MS + 120_000);

    // assess
    const run = (await store.getRun(runId, { consistent: true })) as CloudRunResult;
    process.stdout.write(`abandoned run (RUNNING, message dead-lettered): ${run.error}\n`);
    expect(leftBehind).toMatchObject({ status: 'RUNNING', attempts: 1 });
    expect(now.closedRuns).toBeUndefined();
    expect(later.closedRuns).toEqual([expect.objectContaining({ runId, worker: 'map', was: 'RUNNING' })]);
    expect(again.closedRuns).toBeUndefined();
    expect(run).toMatchObject({ status: 'FAILED', success: false, attempts: 1, deadLetter: { receiveCount: 2, maxReceiveCount: 2 } });
    expect(run.error).toMatch(/^abandoned: no task has held this run since \S+Z \(its lease expired (1[5-9]|2\d) minutes ago\) and its queue holds no message for it: after 2 deliveries its message was dead-lettered/);
    expect(await store.listRuns('map', 10, { hydrate: false })).toHaveLength(1);
    expect(await countQueuedMessages(pipeline)).toBe(0);
  });

  it('DynamoDB refusing even the claim: the run stays QUEUED while its message is dead-lettered, and reconcile closes it as FAILED, saying why', async () => {
    // prepare: every DynamoDB write of the runners is refused from the first one (the claim)
    const { pipeline, runId, store } = await deadLetteredUnderOutage(() => true);

    // act
    const leftBehind = await store.getRun(runId, { consistent: true });
    const later = await reconcileLater(pipeline, ABANDON_GRACE_MS + 60_000);

    // assess
    const run = (await store.getRun(runId, { consistent: true })) as CloudRunResult;
    process.stdout.write(`abandoned run (QUEUED, message dead-lettered): ${run.error}\n`);
    expect(leftBehind).toMatchObject({ status: 'QUEUED', attempts: 0 });
    expect(later.closedRuns).toEqual([expect.objectContaining({ runId, was: 'QUEUED' })]);
    expect(run).toMatchObject({ status: 'FAILED', success: false, attempts: 0 });
    expect(run.error).toMatch(/^abandoned: no task has held this run since \S+Z \(\d+ minutes ago, still QUEUED\) and its queue holds no message for it: its message was dead-lettered \(see the dead-letter queue\) or never sent/);
  });

  it('a run whose message waits with no task to take it stays QUEUED, however long, until the queue can no longer hold its message', async () => {
    // prepare: no task may start (cap 0), as when Fargate has no capacity for days
    const proxy = await faults.startProxy();
    const pipeline = await createTestPipeline(proxy.endpoint, { profiles: ['local'], concurrency: { local: 0 } });
    const { runIds } = (await pipeline.dispatch({ worker: 'map', target: 'demo' }, { awsRequestId: 'abandoned-queued' })) as DispatchResponse;
    const runId = runIds[0]!;
    const store = dynamoResultStore(pipeline, ['map']);

    // act: a day later the message still waits; five days later it is past the queue's 4-day retention
    const dayLater = await reconcileLater(pipeline, 86_400_000);
    const stillQueued = await store.getRun(runId, { consistent: true });
    const fiveDaysLater = await reconcileLater(pipeline, 5 * 86_400_000);

    // assess
    const run = (await store.getRun(runId, { consistent: true, includeExpired: true })) as CloudRunResult;
    process.stdout.write(`abandoned run (QUEUED past retention): ${run.error}\n`);
    expect(dayLater.closedRuns).toBeUndefined();
    expect(stillQueued).toMatchObject({ status: 'QUEUED' });
    expect(fiveDaysLater.closedRuns).toEqual([expect.objectContaining({ runId, was: 'QUEUED' })]);
    expect(run).toMatchObject({ status: 'FAILED', success: false, attempts: 0 });
    expect(run.error).toMatch(/^abandoned: queued at \S+Z, 5(\.0)? days ago, longer than its queue keeps a message \(4 days\), and never finished/);
    expect(run.deadLetter).toBeUndefined();
  });
});
