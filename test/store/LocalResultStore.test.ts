import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expiresAtFor } from '../../workers/run/expiry.js';
import { newRunId } from '../../workers/run/runId.js';
import type { RunResult } from '../../workers/run/types.js';
import { LocalResultStore } from '../../workers/store/index.js';
import { runResultOf } from '../helpers/runResultFixture.js';

function record(worker: string, at: Date, overrides: Partial<RunResult> = {}): RunResult {
  return runResultOf({}, {
    runId: newRunId(worker, at),
    worker,
    target: 'api',
    startedAt: at.toISOString(),
    finishedAt: at.toISOString(),
    durationMs: 1,
    expiresAt: expiresAtFor(at, 30),
    ...overrides,
  });
}

describe('LocalResultStore', () => {
  let dir: string;
  let now: Date;
  let store: LocalResultStore;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'hw-store-'));
    now = new Date('2026-11-25T12:00:00Z');
    store = new LocalResultStore(dir, () => now);
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('lists runs of a worker newest first and filters by target and success', async () => {
    const older = record('map', new Date('2026-11-25T10:00:00Z'));
    const newer = record('map', new Date('2026-11-25T11:00:00Z'), { target: 'web' });
    const failed = record('map', new Date('2026-11-25T11:30:00Z'), { status: 'FAILED', success: false });
    for (const r of [older, newer, failed]) await store.save(r);
    expect((await store.list({ worker: 'map' })).map((r) => r.runId)).toEqual([failed.runId, newer.runId, older.runId]);
    expect((await store.list({ worker: 'map', target: 'api', successfulOnly: true })).map((r) => r.runId)).toEqual([older.runId]);
    expect(await store.get(newer.runId)).toEqual(newer);
  });

  it('stores a run id once: a second save returns the first record', async () => {
    const first = record('audit', now);
    const duplicate = { ...first, output: 'second delivery' };
    expect(await store.save(first)).toEqual({ stored: true });
    const second = await store.save(duplicate);
    expect(second.stored).toBe(false);
    expect(second.stored === false && second.existing.output).toBe('{}');
  });

  it('hides expired records from readers before they are pruned, then prunes them', async () => {
    const expired = record('map', new Date('2026-10-01T00:00:00Z'), { expiresAt: expiresAtFor(new Date('2026-10-01T00:00:00Z'), 30) });
    const live = record('map', now);
    await store.save(expired);
    await store.save(live);
    expect((await store.list()).map((r) => r.runId)).toEqual([live.runId]);
    expect(await store.get(expired.runId)).toBeNull();
    expect(await store.pruneExpired()).toBe(1);
    expect(await store.pruneExpired()).toBe(0);
  });

  it('refuses run ids that could escape the results folder', async () => {
    expect(await store.get('../../etc/passwd')).toBeNull();
    await expect(store.save(record('map', now, { runId: '../x' }))).rejects.toThrow(/invalid run id/);
  });
});
