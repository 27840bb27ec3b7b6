import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileModelPause } from '../../workers/spend/FileModelPause.js';

const T0 = Date.parse('2025-03-10T10:00:00Z');

describe('FileModelPause', () => {
  let stateDir: string;
  let nowMs: number;
  const now = (): Date => new Date(nowMs);

  beforeEach(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'hw-pause-'));
    nowMs = T0;
  });

  afterEach(async () => {
    await rm(stateDir, { recursive: true, force: true });
  });

  it('has no pause before any rate limit', async () => {
    // act / assess
    expect(await new FileModelPause(stateDir, { now }).currentPause()).toBeNull();
  });

  it('pauses until the retry-after the API gave', async () => {
    // prepare
    const pause = new FileModelPause(stateDir, { now });

    // act
    const set = await pause.pauseFor(90_000, 'rate limited (429)');
    nowMs = T0 + 89_000;
    const during = await pause.currentPause();
    nowMs = T0 + 90_000;
    const after = await pause.currentPause();

    // assess
    expect(set.pausedUntil).toEqual(new Date(T0 + 90_000));
    expect(during).toEqual({ pausedUntil: new Date(T0 + 90_000), reason: 'rate limited (429) (retry-after 90 s)' });
    expect(after).toBeNull();
  });

  it('backs off 1, 2, 4 ... minutes up to 30 and starts over after a success', async () => {
    // prepare
    const pause = new FileModelPause(stateDir, { now });
    const steps: number[] = [];

    // act
    for (let i = 0; i < 7; i += 1) {
      const { pausedUntil } = await pause.pauseFor();
      steps.push((pausedUntil.getTime() - nowMs) / 60_000);
      nowMs = pausedUntil.getTime();
    }
    await pause.recordSuccess();
    const afterSuccess = await pause.pauseFor();

    // assess
    expect(steps).toEqual([1, 2, 4, 8, 16, 30, 30]);
    expect(afterSuccess.pausedUntil.getTime() - nowMs).toBe(60_000);
  });

  it('neither shortens nor climbs the pause for reports from runs already in flight', async () => {
    // prepare
    const pause = new FileModelPause(stateDir, { now });
    const first = await pause.pauseFor(undefined, 'overloaded');

    // act
    nowMs = T0 + 10_000;
    const inFlight = await pause.pauseFor(undefined, 'overloaded');
    const shorter = await pause.pauseFor(5_000, 'overloaded');
    nowMs = first.pausedUntil.getTime();
    const next = await pause.pauseFor();

    // assess
    expect(inFlight).toEqual(first);
    expect(shorter).toEqual(first);
    expect(next.pausedUntil.getTime() - nowMs).toBe(120_000);
  });

  it('is shared by two instances over the same state directory', async () => {
    // prepare
    const cli = new FileModelPause(stateDir, { now });
    const daemon = new FileModelPause(stateDir, { now });

    // act
    await cli.pauseFor(30_000);
    const seen = await daemon.currentPause();

    // assess
    expect(seen?.pausedUntil).toEqual(new Date(T0 + 30_000));
  });
});
