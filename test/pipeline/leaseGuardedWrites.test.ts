import { describe, expect, it } from 'vitest';
import { DynamoResultStore, DynamoRunTable, LeaseLostError, RunRecords, type CloudRunResult, type QueuedRun } from '../../workers/cloudRuntime/index.js';
import { createTestPipeline, type TestPipeline } from '../helpers/motoPipeline.js';
import { useMotoServer } from '../helpers/motoServer.js';
import { runResultOf } from '../helpers/runResultFixture.js';

const moto = useMotoServer();
const RUN_ID = '20261125T190000000Z-map-1ea5e000';
const QUEUED: QueuedRun = { runId: RUN_ID, worker: 'map', target: 'demo', profile: 'local', priority: 'normal', source: 'manual', queuedAt: '2026-11-25T19:00:00.000Z' };

/** The pipeline's table through the runner's pieces, on a clock the test moves. */
async function tableAt(clock: { now: number }): Promise<{ pipeline: TestPipeline; records: RunRecords; store: DynamoResultStore; table: DynamoRunTable }> {
  const pipeline = await createTestPipeline(moto.endpoint, { profiles: ['local'] });
  const common = { documentClient: pipeline.clients.documentClient, tableName: pipeline.tableName, clock: () => new Date(clock.now) };
  return {
    pipeline,
    records: new RunRecords({ ...common, resultTtlDays: 30 }),
    store: new DynamoResultStore({ ...common, s3: pipeline.clients.s3, bucketName: pipeline.bucketName, s3ThresholdBytes: 1024, workers: ['map'] }),
    table: new DynamoRunTable({ ...common, workers: ['map'] }),
  };
}

/** A map result whose output is over the 1 KiB claim-check threshold, told apart by `by`. */
const bigResult = (by: string) => runResultOf({ by, padding: 'x'.repeat(2048) }, { runId: RUN_ID, worker: 'map', target: 'demo' });

describe('final writes under a lease (moto)', () => {
  it('only the task holding the lease stores the result; the one whose lease lapsed gets LeaseLostError, before and after the other finished', async () => {
    // prepare: task A claims, stalls past its lease; task B takes the run over
    const clock = { now: Date.parse('2026-11-25T19:00:01Z') };
    const { records, store } = await tableAt(clock);
    const a = await records.claim({ run: QUEUED, owner: 'task-a', leaseMs: 5_000 });
    clock.now += 6_000;
    const b = await records.claim({ run: QUEUED, owner: 'task-b', leaseMs: 5_000 });
    if (a.outcome !== 'claimed' || b.outcome !== 'claimed') throw new Error('both claims should succeed');

    // act
    const aWhileBRuns = await store.save(bigResult('a'), { lease: { owner: 'task-a', attempt: a.attempt } }).catch((e: unknown) => e);
    const bSaves = await store.save(bigResult('b'), { lease: { owner: 'task-b', attempt: b.attempt } });
    const bRetries = await store.save(bigResult('b'), { lease: { owner: 'task-b', attempt: b.attempt } });
    const aAfterBFinished = await store.save(bigResult('a'), { lease: { owner: 'task-a', attempt: a.attempt } }).catch((e: unknown) => e);

    // assess
    const stored = (await store.getRun(RUN_ID, { consistent: true })) as CloudRunResult;
    expect(aWhileBRuns).toBeInstanceOf(LeaseLostError);
    expect((aWhileBRuns as LeaseLostError).current).toMatchObject({ status: 'RUNNING' });
    expect((aWhileBRuns as Error).message).toBe(`lost the lease on run ${RUN_ID}: another task holds it now`);
    expect(bSaves).toEqual({ stored: true });
    // B's own write landing twice (an answer lost, then retried) is B's, not a lost lease.
    expect(bRetries).toEqual({ stored: true });
    expect(aAfterBFinished).toBeInstanceOf(LeaseLostError);
    expect((aAfterBFinished as Error).message).toBe(`lost the lease on run ${RUN_ID}: another task finished it (SUCCEEDED)`);
    expect(stored).toMatchObject({ status: 'SUCCEEDED', attempts: 2, parsedOutput: { by: 'b' }, outputLocation: { key: `outputs/map/${RUN_ID}.attempt-2.json` } });
    expect(Object.keys(stored)).not.toContain('writtenBy');
  });

  it('reconcile closes a pending run only if no task touched it since it was read', async () => {
    // prepare: a run claimed once, read by reconcile, then renewed by its task
    const clock = { now: Date.parse('2026-11-25T19:00:01Z') };
    const { records, table } = await tableAt(clock);
    await records.claim({ run: QUEUED, owner: 'task-a', leaseMs: 5_000 });
    const [seen] = await records.listPendingSince('RUNNING', '2026-11-25T19:00:01Z');
    clock.now += 2_000;
    await records.heartbeat(RUN_ID, 'task-a', 5_000);
    const failed = { ...runResultOf(null, { runId: RUN_ID, worker: 'map', target: 'demo', status: 'FAILED', success: false, error: 'abandoned' }) } as CloudRunResult;

    // act
    const afterHeartbeat = await table.closeIfUnchanged(failed, { status: 'RUNNING', attempts: seen!.run.attempts ?? 0, leaseUntil: seen!.leaseUntil });
    const [fresh] = await records.listPendingSince('RUNNING', '2026-11-25T19:00:01Z');
    const unchanged = await table.closeIfUnchanged(failed, { status: 'RUNNING', attempts: fresh!.run.attempts ?? 0, leaseUntil: fresh!.leaseUntil });

    // assess
    expect(seen).toMatchObject({ run: { runId: RUN_ID, status: 'RUNNING', attempts: 1 }, leaseUntil: Date.parse('2026-11-25T19:00:06Z') });
    expect(afterHeartbeat).toBe(false);
    expect(unchanged).toBe(true);
    expect(await table.getRun(RUN_ID, { consistent: true })).toMatchObject({ status: 'FAILED', error: 'abandoned', attempts: 1 });
    expect(await records.listPending('RUNNING')).toEqual([]);
  });
});
