import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { Priority } from '../../workers/catalog/types.js';
import { ConcurrencyLimiter } from '../../workers/engine/concurrencyLimiter.js';

/** A promise the test settles by hand. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('ConcurrencyLimiter', () => {
  it('never exceeds the global and per-key caps under a burst of 200 runs', async () => {
    // prepare
    const limiter = new ConcurrencyLimiter({ globalLimit: 5, perKeyLimits: { strict: 3, permissive: 2 } });
    const keys = ['strict', 'permissive', 'local'] as const;
    const priorities: Priority[] = ['critical', 'high', 'normal', 'low'];
    const running = { all: 0, strict: 0, permissive: 0, local: 0 };
    const peak = { all: 0, strict: 0, permissive: 0, local: 0 };

    // act
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => {
        const key = keys[i % 3]!;
        return limiter.run(key, priorities[i % 4], async () => {
          running.all += 1;
          running[key] += 1;
          peak.all = Math.max(peak.all, running.all);
          peak[key] = Math.max(peak[key], running[key]);
          for (let turns = i % 4; turns >= 0; turns -= 1) await nextTurn();
          running.all -= 1;
          running[key] -= 1;
          return i;
        });
      }),
    );

    // assess
    expect(results).toEqual(Array.from({ length: 200 }, (_, i) => i));
    expect(peak.all).toBe(5);
    expect(peak.strict).toBe(3);
    expect(peak.permissive).toBe(2);
    expect(peak.local).toBeLessThanOrEqual(5);
    expect(limiter.stats()).toEqual({
      running: 0,
      queued: 0,
      byKey: { strict: { running: 0, queued: 0 }, permissive: { running: 0, queued: 0 }, local: { running: 0, queued: 0 } },
    });
  });

  it('starts waiters highest priority first, in arrival order within a priority', async () => {
    // prepare
    const limiter = new ConcurrencyLimiter({ globalLimit: 1 });
    const blocker = deferred();
    const started: string[] = [];
    const first = limiter.run('strict', 'low', () => blocker.promise);
    const order: [string, Priority | undefined][] = [
      ['low-a', 'low'],
      ['normal-a', undefined],
      ['critical-a', 'critical'],
      ['high-a', 'high'],
      ['normal-b', 'normal'],
      ['critical-b', 'critical'],
    ];
    const waiting = order.map(([name, priority]) => limiter.run('strict', priority, async () => void started.push(name)));

    // act
    const queued = limiter.stats().queued;
    blocker.resolve();
    await Promise.all([first, ...waiting]);

    // assess
    expect(queued).toBe(6);
    expect(started).toEqual(['critical-a', 'critical-b', 'high-a', 'normal-a', 'normal-b', 'low-a']);
  });

  it('lets other keys pass a key that is at its cap', async () => {
    // prepare
    const limiter = new ConcurrencyLimiter({ globalLimit: 3, perKeyLimits: { permissive: 1 } });
    const holdPermissive = deferred();
    const holdStrict = deferred();
    const p1 = limiter.run('permissive', 'critical', () => holdPermissive.promise);
    const p2 = limiter.run('permissive', 'critical', async () => undefined);

    // act
    const s1 = limiter.run('strict', 'low', () => holdStrict.promise);
    const stats = limiter.stats();
    holdPermissive.resolve();
    holdStrict.resolve();
    await Promise.all([p1, p2, s1]);

    // assess
    expect(stats).toEqual({
      running: 2,
      queued: 1,
      byKey: { permissive: { running: 1, queued: 1 }, strict: { running: 1, queued: 0 } },
    });
  });

  it('removes a cancelled waiter and rejects it with an AbortError', async () => {
    // prepare
    const limiter = new ConcurrencyLimiter({ globalLimit: 1 });
    const blocker = deferred();
    const running = limiter.run('strict', 'normal', () => blocker.promise);
    const controller = new AbortController();
    let called = false;
    const waiting = limiter.run('strict', 'normal', async () => void (called = true), controller.signal);

    // act
    controller.abort();
    const rejection = await waiting.catch((error: unknown) => error);
    const stats = limiter.stats();
    blocker.resolve();
    await running;

    // assess
    expect(rejection).toBeInstanceOf(Error);
    expect((rejection as Error).name).toBe('AbortError');
    expect(stats).toMatchObject({ running: 1, queued: 0 });
    expect(called).toBe(false);
  });

  it('rejects at once when the signal is already aborted', async () => {
    // prepare
    const limiter = new ConcurrencyLimiter({ globalLimit: 1 });
    let called = false;

    // act
    const rejection = await limiter
      .run('strict', 'normal', async () => void (called = true), AbortSignal.abort())
      .catch((error: unknown) => error);

    // assess
    expect((rejection as Error).name).toBe('AbortError');
    expect(called).toBe(false);
  });

  it('passes the signal to a running task and holds its slot until the task settles', async () => {
    // prepare
    const limiter = new ConcurrencyLimiter({ globalLimit: 1 });
    const controller = new AbortController();
    const settle = deferred();
    const running = limiter.run(
      'strict',
      'normal',
      // Like a real worker: stops on abort, but only after some cleanup.
      (signal) =>
        new Promise<string>((_resolve, reject) => {
          signal.addEventListener('abort', () => void settle.promise.then(() => reject(new Error('stopped by signal'))));
        }),
      controller.signal,
    );
    const next = limiter.run('strict', 'normal', async () => 'next ran');

    // act
    controller.abort();
    await nextTurn();
    const whileStopping = limiter.stats();
    settle.resolve();
    const outcome = await running.catch((error: unknown) => (error as Error).message);

    // assess
    expect(whileStopping).toMatchObject({ running: 1, queued: 1 });
    expect(outcome).toBe('stopped by signal');
    expect(await next).toBe('next ran');
    expect(limiter.stats()).toMatchObject({ running: 0, queued: 0 });
  });

  it('frees the slot when a task throws synchronously', async () => {
    // prepare
    const limiter = new ConcurrencyLimiter({ globalLimit: 1 });

    // act
    const failed = await limiter
      .run('local', 'normal', () => {
        throw new Error('boom');
      })
      .catch((error: unknown) => (error as Error).message);
    const after = await limiter.run('local', 'normal', async () => 'ok');

    // assess
    expect(failed).toBe('boom');
    expect(after).toBe('ok');
  });

  it('refuses limits that are not positive integers', () => {
    // act / assess
    expect(() => new ConcurrencyLimiter({ globalLimit: 0 })).toThrow(RangeError);
    expect(() => new ConcurrencyLimiter({ globalLimit: 2, perKeyLimits: { strict: 1.5 } })).toThrow(/perKeyLimits.strict/);
  });
});
