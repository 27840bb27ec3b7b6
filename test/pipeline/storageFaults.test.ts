import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { DynamoResultStore, type CloudRunResult, type DispatchResponse } from '../../workers/cloudRuntime/index.js';
import { countDeadLettered } from '../helpers/deadLetters.js';
import { useFaultInjection } from '../helpers/faultInjection.js';
import { AWS_FAULTS, type FaultProxy, type ProxiedCall } from '../helpers/faultProxy.js';
import { makeRepo } from '../helpers/fixtureRepo.js';
import type { FargateAgent } from '../helpers/motoFargateAgent.js';
import { countQueuedMessages, createTestPipeline, uploadSnapshot, type TestPipeline } from '../helpers/motoPipeline.js';
import { reconcileUntil } from '../helpers/reconcileLoop.js';

const faults = useFaultInjection();
let agent: FargateAgent | undefined;
let proxy: FaultProxy | undefined;

/** The runners' SDK user agent carries this app id: the outages hit the runners' calls, not the test's own. */
const RUNNER = 'runner';
const DYNAMO_WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);
const RETRY_LINE = 'storing the result was refused; retrying';
const GAVE_UP_LINE = 'could not store the FAILED record; the message will be delivered again';

const isRunnerDynamoWrite = (call: ProxiedCall) => call.client === RUNNER && call.service === 'dynamodb' && DYNAMO_WRITES.has(call.operation);
/** The write of a run's final record (its update sets the final status). */
const isFinalSave = (call: ProxiedCall, status: 'SUCCEEDED' | 'FAILED') => isRunnerDynamoWrite(call) && call.operation === 'UpdateItem' && call.body.includes(`{"S":"${status}"}`);

/** A tree whose map output is a few kilobytes (over a 1 KiB claim-check threshold). */
function manyFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  for (let dir = 0; dir < 8; dir++) for (let file = 0; file < 6; file++) files[`pkg${dir}/module_${file}/source_${dir}_${file}.ts`] = `export const v${dir}_${file} = ${dir * file};\n`.repeat(file + 1);
  return files;
}

async function startRun(options: { readonly storeRetrySeconds: number; readonly s3ThresholdBytes?: number; readonly maxReceiveCount?: number }): Promise<{ pipeline: TestPipeline; store: DynamoResultStore; runId: string }> {
  proxy = await faults.startProxy();
  const pipeline = await createTestPipeline(proxy.endpoint, {
    profiles: ['local'],
    visibilityTimeoutSeconds: 4,
    maxReceiveCount: options.maxReceiveCount ?? 3,
    ...(options.s3ThresholdBytes ? { s3ThresholdBytes: options.s3ThresholdBytes } : {}),
  });
  await uploadSnapshot(pipeline.clients.s3, await makeRepo(manyFiles()));
  agent = await faults.startAgent(pipeline, { extraEnv: () => ({ AWS_SDK_UA_APP_ID: RUNNER, HW_STORE_RETRY_SECONDS: String(options.storeRetrySeconds) }) });
  const store = new DynamoResultStore({ documentClient: pipeline.clients.documentClient, s3: pipeline.clients.s3, tableName: pipeline.tableName, bucketName: pipeline.bucketName, s3ThresholdBytes: 65_536, workers: ['map'] });
  const { runIds } = (await pipeline.dispatch({ worker: 'map', target: 'demo' }, { awsRequestId: 'storage-faults' })) as DispatchResponse;
  return { pipeline, store, runId: runIds[0]! };
}

/** Waits until the run's message is gone (reconcile bringing tasks up as needed), then for the runners to exit. */
async function drain(pipeline: TestPipeline): Promise<void> {
  await reconcileUntil(pipeline, agent!, async () => (await countQueuedMessages(pipeline)) === 0, 60_000, 'the message to be deleted');
  await agent!.waitUntilIdle(30_000);
}

/** Every DeleteMessage of a runner came after the call that stored the final record, and that call succeeded. */
function deletedOnlyAfter(stored: ProxiedCall | undefined): boolean {
  const deletes = proxy!.seen({ service: 'sqs', operation: 'DeleteMessage', client: RUNNER });
  return stored !== undefined && stored.status === 200 && deletes.length === 1 && deletes.every((d) => d.seq > stored.seq);
}

describe('storage refusing writes for a while', { timeout: 150_000 }, () => {
  it('DynamoDB throttling the final write for a few seconds: retried with backoff, stored, and only then the message is deleted', async () => {
    // prepare: from the first write of the final record, every DynamoDB write of the runner is refused
    const { pipeline, store, runId } = await startRun({ storeRetrySeconds: 120 });
    let turn = 0;
    const outage = proxy!.outage({
      matches: isRunnerDynamoWrite,
      opensOn: (call) => isFinalSave(call, 'SUCCEEDED'),
      fault: () => (turn++ % 2 === 0 ? AWS_FAULTS.dynamoThrottled() : AWS_FAULTS.dynamoInternalError()),
    });

    // act: the outage lasts until the runner has backed off twice (several seconds: each try includes the SDK's own retries)
    await agent!.waitFor(() => agent!.logLines().filter((l) => l.msg === RETRY_LINE).length >= 2, 60_000, 'two store retries');
    const inFlightDuringOutage = await countQueuedMessages(pipeline);
    outage.end();
    await drain(pipeline);

    // assess
    const run = (await store.getRun(runId, { consistent: true })) as CloudRunResult;
    const lines = agent!.logLines();
    const retries = lines.filter((l) => l.msg === RETRY_LINE);
    const stored = proxy!.calls.find((c) => isFinalSave(c, 'SUCCEEDED') && c.fault === undefined);
    const saveTries = proxy!.calls.filter((c) => isFinalSave(c, 'SUCCEEDED') && c.sdkAttempt === 1);
    process.stdout.write(
      `storage faults (DynamoDB, ${((outage.endedAt! - outage.openedAt!) / 1000).toFixed(1)} s): ${outage.refused.length} writes refused, ` +
        `${saveTries.length} tries of the final write (${retries.length} after backoff), result SUCCEEDED\n`,
    );
    expect(inFlightDuringOutage).toBe(1);
    expect(run).toMatchObject({ status: 'SUCCEEDED', success: true });
    expect(outage.refused.filter((c) => isFinalSave(c, 'SUCCEEDED')).length).toBeGreaterThanOrEqual(2);
    expect(retries.length).toBeGreaterThanOrEqual(2);
    expect(retries.map((l) => l.tries)).toEqual(retries.map((_, i) => i + 1));
    expect(saveTries).toHaveLength(retries.length + 1);
    expect(deletedOnlyAfter(stored)).toBe(true);
    expect(lines.filter((l) => l.msg === 'run finished')).toEqual([expect.objectContaining({ runId, status: 'SUCCEEDED' })]);
    expect(await countDeadLettered(pipeline)).toBe(0);
  });

  it('S3 refusing the output for longer than the retry window: a FAILED record that says why, stored before the message is deleted', async () => {
    // prepare: the map output goes to S3 (over the 1 KiB threshold), and S3 answers SlowDown to every PutObject of the runner
    const { pipeline, store, runId } = await startRun({ storeRetrySeconds: 4, s3ThresholdBytes: 1024 });
    const outage = proxy!.outage({
      matches: (call) => call.client === RUNNER && call.service === 's3' && call.operation === 'PutObject' && call.path.startsWith(`/${pipeline.bucketName}/`),
      fault: () => AWS_FAULTS.s3SlowDown(),
    });

    // act
    await drain(pipeline);

    // assess
    const run = (await store.getRun(runId, { consistent: true })) as CloudRunResult;
    const lines = agent!.logLines();
    const retries = lines.filter((l) => l.msg === RETRY_LINE);
    const stored = proxy!.calls.find((c) => isFinalSave(c, 'FAILED') && c.fault === undefined);
    const objects = await pipeline.clients.s3.send(new ListObjectsV2Command({ Bucket: pipeline.bucketName }));
    process.stdout.write(`storage faults (S3, beyond the 4 s window): ${outage.refused.length} PutObject refused, ${retries.length} store retries, record FAILED: ${run.error}\n`);
    expect(run).toMatchObject({ status: 'FAILED', success: false, worker: 'map', mode: 'local', attempts: 1 });
    // Tries are counted when the store retries past the SDK's own quick retries (one or more within the window).
    expect(run.error).toMatch(/^the result could not be stored( after \d+ tries over \d+\.\d s)?: SlowDown: Please reduce your request rate\.$/);
    expect(run.outputLocation).toBeUndefined();
    expect(objects.KeyCount ?? 0).toBe(0);
    expect(outage.refused.length).toBeGreaterThan(retries.length + 1);
    expect(deletedOnlyAfter(stored)).toBe(true);
    expect(lines.filter((l) => l.msg === 'run finished')).toEqual([expect.objectContaining({ runId, status: 'FAILED' })]);
    expect(await countDeadLettered(pipeline)).toBe(0);
  });

  it('DynamoDB refusing writes for longer than one delivery can wait: the message is kept, and a later delivery stores the result', async () => {
    // prepare: from the first final write, every DynamoDB write of the runners is refused; one delivery retries for 1 s
    const { pipeline, store, runId } = await startRun({ storeRetrySeconds: 1, maxReceiveCount: 6 });
    const outage = proxy!.outage({ matches: isRunnerDynamoWrite, opensOn: (call) => isFinalSave(call, 'SUCCEEDED'), fault: () => AWS_FAULTS.dynamoThrottled() });

    // act: the outage lasts until the first delivery has given up (its result and its FAILED record both refused)
    await agent!.waitFor(() => agent!.logLines().some((l) => l.msg === GAVE_UP_LINE), 60_000, 'the first delivery to give the message up');
    const inFlightAfterGivingUp = await countQueuedMessages(pipeline);
    outage.end();
    await drain(pipeline);

    // assess
    const run = (await store.getRun(runId, { consistent: true })) as CloudRunResult;
    const lines = agent!.logLines();
    const stored = proxy!.calls.find((c) => isFinalSave(c, 'SUCCEEDED') && c.fault === undefined);
    const failedWrites = outage.refused.filter((c) => isFinalSave(c, 'FAILED'));
    process.stdout.write(
      `storage faults (DynamoDB until the first delivery gave up, ${((outage.endedAt! - outage.openedAt!) / 1000).toFixed(1)} s, 1 s window): ${outage.refused.length} writes refused, ${lines.filter((l) => l.msg === RETRY_LINE).length} store retries, ` +
        `${failedWrites.length} FAILED-record writes refused, result SUCCEEDED on attempt ${run.attempts}\n`,
    );
    expect(inFlightAfterGivingUp).toBe(1);
    expect(run).toMatchObject({ status: 'SUCCEEDED', success: true });
    expect(run.attempts).toBeGreaterThanOrEqual(2);
    expect(failedWrites.length).toBeGreaterThanOrEqual(1);
    expect(deletedOnlyAfter(stored)).toBe(true);
    expect(lines.filter((l) => l.msg === 'run finished')).toEqual([expect.objectContaining({ runId, status: 'SUCCEEDED' })]);
    expect(await countDeadLettered(pipeline)).toBe(0);
  });
});
