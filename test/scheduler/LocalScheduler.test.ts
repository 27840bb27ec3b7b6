import { rm } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../workers/config/index.js';
import { WorkerEngine } from '../../workers/engine/WorkerEngine.js';
import type { RunResult } from '../../workers/run/types.js';
import { LocalScheduler } from '../../workers/scheduler/LocalScheduler.js';
import { retryDelayMs } from '../../workers/scheduler/retryBackoff.js';
import { openLocalState } from '../../workers/store/index.js';
import { NO_CLAUDE_ENV } from '../helpers/cliProcess.js';
import { makeRepo, VULNERABLE_APP } from '../helpers/fixtureRepo.js';

async function until(condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(25);
  }
}

describe('LocalScheduler', () => {
  let repo: string;
  let scheduler: LocalScheduler | undefined;

  beforeEach(async () => {
    repo = await makeRepo(VULNERABLE_APP);
  });
  afterEach(async () => {
    await scheduler?.stop();
    scheduler = undefined;
    await rm(repo, { recursive: true, force: true });
  });

  async function start(config: ReturnType<typeof parseConfig>, workers?: string[]) {
    const state = await openLocalState(repo);
    const engine = new WorkerEngine({ config, store: state.store, stateDir: state.stateDir, env: { ...NO_CLAUDE_ENV } });
    const finished: RunResult[] = [];
    scheduler = new LocalScheduler({ engine, catalog: config.catalog, repoDir: repo, ...(workers ? { workers } : {}), onRunFinished: (r) => finished.push(r) });
    scheduler.start(20);
    return { finished, store: state.store };
  }

  it('starts due workers highest priority first, one slot at a time', async () => {
    // audit (critical, local fallback), map (normal), consolidate (low): all due at start.
    const config = parseConfig({ limits: { maxConcurrentRuns: 1 }, workers: { optimize: { enabled: false }, testgaps: { enabled: false } } });
    const { finished } = await start(config);

    await until(() => finished.length >= 3);
    expect(finished.slice(0, 3).map((r) => r.worker)).toEqual(['audit', 'map', 'consolidate']);
    const starts = finished.slice(0, 3).map((r) => Date.parse(r.startedAt));
    expect([...starts].sort((a, b) => a - b)).toEqual(starts);
  });

  it('reruns on the interval and never runs one worker twice at the same time', async () => {
    const config = parseConfig({ workers: { map: { intervalMs: 50 } } });
    const { finished } = await start(config, ['map']);

    await until(() => finished.length >= 4);
    const runs = finished.filter((r) => r.worker === 'map');
    for (let i = 1; i < runs.length; i++) {
      expect(Date.parse(runs[i]!.startedAt)).toBeGreaterThanOrEqual(Date.parse(runs[i - 1]!.finishedAt));
    }
    expect(scheduler!.snapshot().find((s) => s.worker === 'map')).toMatchObject({ consecutiveFailures: 0, lastOutcome: 'SUCCEEDED' });
  });

  it('records a failing worker as failed and retries it with backoff instead of counting success', async () => {
    const config = parseConfig({ workers: { audit: { intervalMs: 60_000 } } });
    const state = await openLocalState(repo);
    const engine = new WorkerEngine({ config, store: state.store, stateDir: state.stateDir, env: { ...NO_CLAUDE_ENV } });
    scheduler = new LocalScheduler({ engine, catalog: config.catalog, repoDir: repo, workers: ['audit'], mode: 'headless' });
    const before = Date.now();
    scheduler.start(20);

    await until(() => scheduler!.snapshot().find((s) => s.worker === 'audit')?.activity === 'failed');
    const audit = scheduler.snapshot().find((s) => s.worker === 'audit')!;
    expect(audit).toMatchObject({ lastOutcome: 'FAILED', consecutiveFailures: 1 });
    expect(audit.lastError).toMatch(/--headless was requested/);
    expect(Date.parse(audit.nextRunAt!) - before).toBeGreaterThanOrEqual(retryDelayMs(1, 60_000));
  });

  it('runs a trigger after the current run of the same worker and returns its result', async () => {
    const config = parseConfig({});
    await start(config, ['consolidate']);

    const result = await scheduler!.trigger({ worker: 'map' });

    expect(result).toMatchObject({ worker: 'map', status: 'SUCCEEDED' });
  });

  it('doubles the retry delay from 30 s, capped by the interval', () => {
    expect([1, 2, 3].map((n) => retryDelayMs(n, 3_600_000))).toEqual([30_000, 60_000, 120_000]);
    expect(retryDelayMs(10, 300_000)).toBe(300_000);
  });
});
