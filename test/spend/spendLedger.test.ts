import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileSpendLedger } from '../../workers/spend/FileSpendLedger.js';

const usage = (input: number, costUsd: number) => ({ tokens: { input, output: 0, cacheRead: 0, cacheCreation: 0 }, costUsd });

/** A clock the test moves by hand. */
function fakeClock(iso: string): { now: () => Date; set: (next: string) => void } {
  let current = new Date(iso);
  return { now: () => current, set: (next) => (current = new Date(next)) };
}

function runChild(script: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: process.cwd(), stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`child exited ${code}: ${stderr}`))));
  });
}

describe('FileSpendLedger', () => {
  let stateDir: string;

  beforeEach(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'hw-spend-'));
  });

  afterEach(async () => {
    await rm(stateDir, { recursive: true, force: true });
  });

  it('allows launches while under every cap', async () => {
    // prepare
    const ledger = new FileSpendLedger(stateDir, { now: fakeClock('2025-03-10T12:00:00Z').now });
    await ledger.recordUsage(usage(100, 1.5));

    // act
    const verdict = await ledger.check({ dailyUsd: 5, dailyTokens: 1_000, launchesPerHour: 3 });

    // assess
    expect(verdict).toEqual({ allowed: true });
  });

  it('refuses at the daily spend cap until the next UTC day', async () => {
    // prepare
    const clock = fakeClock('2025-03-10T23:30:00Z');
    const ledger = new FileSpendLedger(stateDir, { now: clock.now });
    await ledger.recordUsage(usage(100, 3.01));
    await ledger.recordUsage(usage(100, 2.01));

    // act
    const verdict = await ledger.check({ dailyUsd: 5 });
    clock.set('2025-03-11T00:00:01Z');
    const nextDay = await ledger.check({ dailyUsd: 5 });

    // assess
    expect(verdict).toEqual({
      allowed: false,
      reason: 'daily spend cap reached: $5.02 of $5.00 (set limits.dailyUsd to raise it)',
      retryAt: new Date('2025-03-11T00:00:00Z'),
    });
    expect(nextDay).toEqual({ allowed: true });
  });

  it('refuses at the daily token cap, counting every kind of token', async () => {
    // prepare
    const ledger = new FileSpendLedger(stateDir, { now: fakeClock('2025-03-10T08:00:00Z').now });
    await ledger.recordUsage({ tokens: { input: 400_000, output: 100_000, cacheRead: 450_000, cacheCreation: 50_000 }, costUsd: 0.2 });

    // act
    const verdict = await ledger.check({ dailyTokens: 1_000_000 });

    // assess
    expect(verdict).toMatchObject({
      allowed: false,
      reason: 'daily token cap reached: 1,000,000 of 1,000,000 tokens (set limits.dailyTokens to raise it)',
    });
  });

  it('refuses at the hourly launch cap until the next UTC hour', async () => {
    // prepare
    const clock = fakeClock('2025-03-10T10:15:00Z');
    const ledger = new FileSpendLedger(stateDir, { now: clock.now });
    await ledger.recordLaunch();
    await ledger.recordLaunch();

    // act
    const atCap = await ledger.check({ launchesPerHour: 2 });
    clock.set('2025-03-10T11:00:00Z');
    const nextHour = await ledger.check({ launchesPerHour: 2 });

    // assess
    expect(atCap).toEqual({
      allowed: false,
      reason: 'hourly launch cap reached: 2 of 2 launches this hour (set limits.launchesPerHour to raise it)',
      retryAt: new Date('2025-03-10T11:00:00Z'),
    });
    expect(nextHour).toEqual({ allowed: true });
  });

  it('reserves launches atomically up to the hourly cap', async () => {
    // prepare
    const ledger = new FileSpendLedger(stateDir, { now: fakeClock('2025-03-10T10:15:00Z').now });

    // act
    const verdicts = await Promise.all(Array.from({ length: 6 }, () => ledger.reserveLaunch({ launchesPerHour: 4 })));

    // assess
    expect(verdicts.filter((v) => v.allowed)).toHaveLength(4);
    expect((await ledger.summary()).launches).toBe(4);
  });

  it('reserves a run\'s whole budget: runs started at once get at most what the daily cap holds', async () => {
    // prepare
    const ledger = new FileSpendLedger(stateDir, { now: fakeClock('2025-03-10T10:15:00Z').now });

    // act
    const reservations = await Promise.all(Array.from({ length: 4 }, (_, i) => ledger.reserve({ dailyUsd: 1.5 }, { id: `run-${i}`, budgetUsd: 0.5 })));

    // assess
    expect(reservations.filter((r) => r.allowed)).toHaveLength(3);
    expect(reservations.find((r) => !r.allowed)).toMatchObject({
      reason: expect.stringMatching(/^daily spend cap reached: \$1\.50 \(of which \$1\.50 reserved by runs in progress\) of \$1\.50/),
      retryAt: new Date('2025-03-11T00:00:00Z'),
    });
    expect(await ledger.summary()).toMatchObject({ costUsd: 0, reservedUsd: 1.5, launches: 3, runs: 0 });
  });

  it('refuses a run whose budget is more than what is left today, though the cap is not reached yet', async () => {
    // prepare
    const ledger = new FileSpendLedger(stateDir, { now: fakeClock('2025-03-10T10:15:00Z').now });
    await ledger.recordUsage(usage(10, 1.2));

    // act
    const verdict = await ledger.reserve({ dailyUsd: 1.5 }, { id: 'deep', budgetUsd: 0.5 });

    // assess
    expect(verdict).toMatchObject({ allowed: false, reason: expect.stringContaining('this run may spend up to $0.50 (its maxBudgetUsd) and only $0.30 of $1.50 is left today') });
  });

  it('settles a reservation to the measured cost once, freeing the rest of the budget', async () => {
    // prepare
    const ledger = new FileSpendLedger(stateDir, { now: fakeClock('2025-03-10T10:15:00Z').now });
    const first = await ledger.reserve({ dailyUsd: 1 }, { id: 'a', budgetUsd: 0.5 });
    const second = await ledger.reserve({ dailyUsd: 1 }, { id: 'b', budgetUsd: 0.5 });
    const full = await ledger.reserve({ dailyUsd: 1 }, { id: 'c', budgetUsd: 0.5 });
    if (!first.allowed || !second.allowed) throw new Error('the first two reservations must fit');

    // act
    await ledger.settle(first, usage(100, 0.02));
    await ledger.settle(first, usage(100, 0.02));
    const afterSettle = await ledger.reserve({ dailyUsd: 1 }, { id: 'd', budgetUsd: 0.4 });

    // assess
    expect(full.allowed).toBe(false);
    expect(afterSettle.allowed).toBe(true);
    expect(await ledger.summary()).toMatchObject({ costUsd: 0.02, reservedUsd: 0.9, runs: 1, launches: 3, totalTokens: 100 });
  });

  it('keeps each UTC day apart and prunes days older than five weeks', async () => {
    // prepare
    const clock = fakeClock('2025-01-01T12:00:00Z');
    const ledger = new FileSpendLedger(stateDir, { now: clock.now });
    await ledger.recordUsage(usage(7, 0.07));
    await ledger.recordLaunch();
    clock.set('2025-01-02T00:00:00Z');
    await ledger.recordUsage(usage(3, 0.03));

    // act
    const jan1 = await ledger.summary('2025-01-01');
    const jan2 = await ledger.summary();
    clock.set('2025-02-20T00:00:00Z');
    await ledger.recordLaunch();
    const file = JSON.parse(await readFile(join(stateDir, 'spend-ledger.json'), 'utf8')) as { days: object; launches: object };

    // assess
    expect(jan1).toEqual({
      day: '2025-01-01',
      tokens: { input: 7, output: 0, cacheRead: 0, cacheCreation: 0 },
      totalTokens: 7,
      costUsd: 0.07,
      reservedUsd: 0,
      runs: 1,
      launches: 1,
    });
    expect(jan2).toMatchObject({ day: '2025-01-02', totalTokens: 3, costUsd: 0.03, runs: 1, launches: 0 });
    expect(Object.keys(file.days)).toEqual([]);
    expect(Object.keys(file.launches)).toEqual(['2025-02-20T00']);
  });

  it('takes over a lock left behind by a crashed process', async () => {
    // prepare
    const ledger = new FileSpendLedger(stateDir, { now: fakeClock('2025-03-10T10:00:00Z').now });
    const lock = join(stateDir, 'spend-ledger.json.lock');
    await writeFile(lock, 'crashed');
    const old = new Date(Date.now() - 60_000);
    await utimes(lock, old, old);

    // act
    await ledger.recordLaunch();

    // assess
    expect((await ledger.summary()).launches).toBe(1);
    await expect(readFile(lock)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('refuses to read a corrupt ledger instead of resetting spend to zero', async () => {
    // prepare
    await writeFile(join(stateDir, 'spend-ledger.json'), '{ not json');
    const ledger = new FileSpendLedger(stateDir);

    // act / assess
    await expect(ledger.check({ dailyUsd: 5 })).rejects.toThrow(/spend-ledger\.json is not valid JSON/);
  });

  it('keeps the exact total when two processes record 100 usages each at once', async () => {
    // prepare
    const script = fileURLToPath(new URL('./fixtures/recordUsages.ts', import.meta.url));
    const now = '2025-03-10T10:00:00.000Z';

    // act
    await Promise.all([runChild(script, [stateDir, '100', now]), runChild(script, [stateDir, '100', now])]);
    const summary = await new FileSpendLedger(stateDir, { now: () => new Date(now) }).summary();

    // assess
    expect(summary.runs).toBe(200);
    expect(summary.launches).toBe(200);
    expect(summary.tokens).toEqual({ input: 2_000, output: 1_000, cacheRead: 400, cacheCreation: 200 });
    expect(summary.costUsd).toBe(2);
  });
});
