import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoResultStore, IdempotencyKeys, RunRecords, type CloudRunResult, type QueuedRun } from '../../workers/cloudRuntime/index.js';
import { expiresAtFor } from '../../workers/run/expiry.js';
import type { RunResult } from '../../workers/run/types.js';
import { createTestPipeline, type TestPipeline } from '../helpers/motoPipeline.js';
import { useMotoServer } from '../helpers/motoServer.js';
import { runResultOf } from '../helpers/runResultFixture.js';

let pipeline: TestPipeline;
let now: Date;

beforeEach(async () => {
  pipeline = await createTestPipeline(moto.endpoint, { profiles: ['local'] });
  now = new Date('2026-11-25T16:00:00Z');
});

function store(threshold = 65_536): DynamoResultStore {
  return new DynamoResultStore({
    documentClient: pipeline.clients.documentClient,
    s3: pipeline.clients.s3,
    tableName: pipeline.tableName,
    bucketName: pipeline.bucketName,
    s3ThresholdBytes: threshold,
    workers: ['map', 'audit'],
    clock: () => now,
  });
}

function records(): RunRecords {
  return new RunRecords({ documentClient: pipeline.clients.documentClient, tableName: pipeline.tableName, resultTtlDays: 30, clock: () => now });
}

let counter = 0;
const moto = useMotoServer();
function result(overrides: Partial<RunResult> = {}): RunResult {
  counter++;
  const worker = overrides.worker ?? 'map';
  const startedAt = new Date(now.getTime() + counter * 1000).toISOString();
  return runResultOf({ ok: true, '': 'empty key', nested: [{ deep: null }] }, {
    runId: `20261125T16${String(counter).padStart(4, '0')}Z-${worker}-${String(counter).padStart(8, '0')}`,
    worker,
    target: 'demo',
    output: '{"ok":true}',
    startedAt,
    finishedAt: startedAt,
    durationMs: 5,
    expiresAt: expiresAtFor(now, 30),
    ...overrides,
  });
}

function queued(run: RunResult): QueuedRun {
  return { runId: run.runId, worker: run.worker, target: run.target, profile: 'local', priority: 'normal', source: 'manual', queuedAt: now.toISOString() };
}

describe('DynamoResultStore', () => {
  it('stores a final record once per run id: a second save gets the first back', async () => {
    // prepare
    const first = result();
    const second = { ...first, status: 'FAILED' as const, success: false, output: 'other' };

    // act
    const a = await store().save(first);
    const b = await store().save(second);

    // assess
    expect(a).toEqual({ stored: true });
    expect(b.stored).toBe(false);
    expect(!b.stored && b.existing).toMatchObject({ runId: first.runId, status: 'SUCCEEDED', output: '{"ok":true}', parsedOutput: first.parsedOutput });
    expect(await store().get(first.runId)).toMatchObject({ status: 'SUCCEEDED' });
  });

  it('finishes a QUEUED or RUNNING record, keeping what the pipeline recorded', async () => {
    // prepare
    const run = result();
    await records().putQueued(queued(run));
    await records().claim({ run: queued(run), owner: 'task-1', leaseMs: 60_000, taskArn: 'arn:task/1' });

    // act
    const saved = await store().save(run);
    const stored = (await store().get(run.runId)) as CloudRunResult;

    // assess
    expect(saved).toEqual({ stored: true });
    expect(stored).toMatchObject({ status: 'SUCCEEDED', queuedAt: now.toISOString(), attempts: 1, taskArn: 'arn:task/1', source: 'manual', priority: 'normal' });
    expect(await records().listPending('RUNNING')).toEqual([]);
  });

  it('hides expired records from every read (TTL deletion is lazy; moto never deletes)', async () => {
    // prepare
    const old = result({ expiresAt: Math.floor(now.getTime() / 1000) - 1 });
    const fresh = result();
    await store().save(old);
    await store().save(fresh);
    const expiredQueued = result();
    await new RunRecords({ documentClient: pipeline.clients.documentClient, tableName: pipeline.tableName, resultTtlDays: 1, clock: () => new Date(now.getTime() - 2 * 86_400_000) }).putQueued({ ...queued(expiredQueued), queuedAt: new Date(now.getTime() - 2 * 86_400_000).toISOString() });

    // act / assess
    expect(await store().get(old.runId)).toBeNull();
    expect(await store().getRun(old.runId, { includeExpired: true })).toMatchObject({ runId: old.runId });
    expect(await store().getRun(expiredQueued.runId)).toBeNull();
    expect((await store().list({ worker: 'map' })).map((r) => r.runId)).toEqual([fresh.runId]);
    expect((await store().listRuns('map', 10)).map((r) => r.runId)).toEqual([fresh.runId]);
    expect(await records().listPending('QUEUED')).toEqual([]);
  });

  it('lists newest first across workers, by target and success', async () => {
    // prepare
    const a = result({ worker: 'map' });
    const b = result({ worker: 'audit', status: 'FAILED', success: false });
    const c = result({ worker: 'map', target: 'other' });
    for (const r of [a, b, c]) await store().save(r);

    // act / assess
    expect((await store().list()).map((r) => r.runId)).toEqual([c.runId, b.runId, a.runId]);
    expect((await store().list({ successfulOnly: true })).map((r) => r.runId)).toEqual([c.runId, a.runId]);
    expect((await store().list({ worker: 'map', target: 'demo' })).map((r) => r.runId)).toEqual([a.runId]);
    expect((await store().list({ limit: 1 })).map((r) => r.runId)).toEqual([c.runId]);
  });

  it('claim-checks a large output, and the context too when the item would still be too big', async () => {
    // prepare
    const files = Array.from({ length: 60 }, (_, i) => ({ path: `src/some/long/path/file-${i}.ts`, chars: 100, truncated: false, redactions: 0 }));
    const run = result({ output: 'x'.repeat(5000), parsedOutput: { big: 'y'.repeat(3000) }, context: { files, excluded: [], budgetChars: 1000, usedChars: 500, redactions: 0 } });

    // act
    await store(2048).save(run);
    const raw = (await store(2048).getRun(run.runId, { hydrate: false })) as CloudRunResult;
    const full = (await store(2048).get(run.runId)) as CloudRunResult;

    // assess
    expect(raw.output).toBe('');
    expect(raw.context).toBeUndefined();
    expect(raw.outputLocation).toMatchObject({ bucket: pipeline.bucketName, key: `outputs/map/${run.runId}.json` });
    expect(full.output).toBe(run.output);
    expect(full.parsedOutput).toEqual(run.parsedOutput);
    expect(full.context?.files).toHaveLength(60);
  });
});

describe('RunRecords', () => {
  it('leases a run to one task at a time; a lapsed lease can be taken over; a finished run is final', async () => {
    // prepare
    const run = result();
    await records().putQueued(queued(run));

    // act
    const first = await records().claim({ run: queued(run), owner: 'task-1', leaseMs: 10_000 });
    const concurrent = await records().claim({ run: queued(run), owner: 'task-2', leaseMs: 10_000 });
    const beatByOther = await records().heartbeat(run.runId, 'task-2', 10_000);
    now = new Date(now.getTime() + 11_000);
    const takeover = await records().claim({ run: queued(run), owner: 'task-2', leaseMs: 10_000 });
    const beatByLoser = await records().heartbeat(run.runId, 'task-1', 10_000);
    await store().save(run);
    const afterFinish = await records().claim({ run: queued(run), owner: 'task-3', leaseMs: 10_000 });

    // assess
    expect(first).toEqual({ outcome: 'claimed', attempt: 1 });
    expect(concurrent).toMatchObject({ outcome: 'leased', owner: 'task-1' });
    expect(beatByOther).toBe(false);
    expect(takeover).toEqual({ outcome: 'claimed', attempt: 2 });
    expect(beatByLoser).toBe(false);
    expect(afterFinish).toMatchObject({ outcome: 'final', existing: { runId: run.runId, status: 'SUCCEEDED' } });
  });

  it('gives a run back to the queue only for its owner, and creates the record if the QUEUED write never landed', async () => {
    // prepare
    const run = result();

    // act
    const claimed = await records().claim({ run: queued(run), owner: 'task-1', leaseMs: 10_000 });
    const byOther = await records().release(run.runId, 'task-2', 'x');
    const byOwner = await records().release(run.runId, 'task-1', 'stopped (SIGTERM)');
    const pending = await records().listPending('QUEUED');

    // assess
    expect(claimed).toEqual({ outcome: 'claimed', attempt: 1 });
    expect(byOther).toBe(false);
    expect(byOwner).toBe(true);
    expect(pending).toEqual([expect.objectContaining({ runId: run.runId, status: 'QUEUED', attempts: 1, interruption: 'stopped (SIGTERM)' })]);
  });
});

describe('IdempotencyKeys', () => {
  it('claims a key once until it is released or expires', async () => {
    // prepare
    const keys = new IdempotencyKeys({ documentClient: pipeline.clients.documentClient, tableName: pipeline.tableName, clock: () => now });
    const expiresAt = Math.floor(now.getTime() / 1000) + 60;

    // act
    const first = await keys.claim('k', 'run-1', expiresAt);
    const again = await keys.claim('k', 'run-2', expiresAt);
    await keys.markSent('k');
    const sent = await keys.claim('k', 'run-3', expiresAt);
    await keys.release('k');
    const afterRelease = await keys.claim('k', 'run-4', expiresAt);
    now = new Date(now.getTime() + 61_000);
    const afterExpiry = await keys.claim('k', 'run-5', expiresAt + 600);

    // assess
    expect(first).toEqual({ claimed: true });
    expect(again).toEqual({ claimed: false, runId: 'run-1', state: 'CLAIMED' });
    expect(sent).toEqual({ claimed: false, runId: 'run-1', state: 'SENT' });
    expect(afterRelease).toEqual({ claimed: true });
    expect(afterExpiry).toEqual({ claimed: true });
  });
});
