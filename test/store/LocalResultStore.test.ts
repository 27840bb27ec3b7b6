import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
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

  it('refuses records dated in the future, stored under another name, or not records at all, and says why', async () => {
    // Prepare: what a repository could plant in a state folder, beside one honest record.
    const honest = record('audit', now);
    await store.save(honest);
    const future = record('audit', new Date('2026-11-25T11:00:00Z'), { finishedAt: '2099-01-01T00:00:00.000Z', scan: { kind: 'full', headCommit: 'a'.repeat(40), reason: 'planted' } });
    const renamed = record('audit', new Date('2026-11-25T11:30:00Z'));
    const auditDir = path.join(dir, 'results', 'audit');
    await writeFile(path.join(auditDir, `${future.runId}.json`), JSON.stringify(future));
    await writeFile(path.join(auditDir, `${newRunId('audit', new Date('2026-11-25T11:40:00Z'))}.json`), JSON.stringify(renamed));
    await writeFile(path.join(auditDir, `${newRunId('audit', new Date('2026-11-25T11:50:00Z'))}.json`), '{"runId": 1}');
    await symlink('/etc/passwd', path.join(auditDir, `${newRunId('audit', new Date('2026-11-25T11:55:00Z'))}.json`));
    await mkdir(path.join(dir, 'results', 'linked'));

    // Act
    const listed = await store.list({ worker: 'audit' });

    // Assess
    expect(listed.map((r) => r.runId)).toEqual([honest.runId]);
    const reasons = store.rejectedRecords().map((r) => r.reason);
    expect(reasons).toHaveLength(4);
    expect(reasons).toEqual(expect.arrayContaining([expect.stringMatching(/finishedAt .* is in the future/), expect.stringMatching(/stored as audit\//), expect.stringMatching(/not a run record/), expect.stringMatching(/cannot be read \(ELOOP\)/)]));
  });
});
