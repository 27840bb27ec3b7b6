import { describe, expect, it } from 'vitest';
import { failedRecord } from '../../container/failedRecord.js';
import { isTransientStorageError, ResultNotStoredError, RetryingStore } from '../../container/RetryingStore.js';
import { createJsonLogger } from '../../workers/cloudRuntime/index.js';
import type { RunResult } from '../../workers/run/types.js';
import type { ResultStore, SaveOutcome } from '../../workers/store/ResultStore.js';

/** An AWS SDK error as the clients throw it (name, HTTP status, retryable mark). */
function awsError(name: string, status: number, message = name): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });
}

/**
 * A store whose saves fail with the given errors, then succeed. A stand-in for
 * the DynamoDB store: the pipeline tests (storageFaults) refuse real writes
 * through a proxy in front of moto; here the timing is under test, on a fake clock.
 */
function refusingStore(errors: Error[]): ResultStore & { tries: number } {
  return {
    tries: 0,
    async save(): Promise<SaveOutcome> {
      this.tries++;
      const error = errors.shift();
      if (error) throw error;
      return { stored: true };
    },
    get: async () => null,
    list: async () => [],
    pruneExpired: async () => 0,
  };
}

function retrying(inner: ResultStore, options: { retryForMs: number; stopping?: boolean }) {
  let now = 0;
  const delays: number[] = [];
  const lines: string[] = [];
  const store = new RetryingStore(inner, {
    retryForMs: options.retryForMs,
    isStopping: () => options.stopping ?? false,
    log: createJsonLogger({ write: (line) => void lines.push(line) }),
    clock: () => now,
    sleep: async (ms) => {
      delays.push(ms);
      now += ms;
    },
  });
  return { store, delays, lines };
}

const RESULT: RunResult = failedRecord({
  runId: '20261125T180000000Z-map-0000abcd',
  worker: 'map',
  target: 'demo',
  error: 'any record will do',
  startedAt: new Date('2026-11-25T18:00:00Z'),
  finishedAt: new Date('2026-11-25T18:00:01Z'),
  resultTtlDays: 30,
});

describe('RetryingStore', () => {
  it('retries throttling and server errors with jittered, doubling waits, then stores', async () => {
    // prepare
    const inner = refusingStore([awsError('ProvisionedThroughputExceededException', 400), awsError('InternalServerError', 500), awsError('SlowDown', 503), awsError('ThrottlingException', 400)]);
    const { store, delays, lines } = retrying(inner, { retryForMs: 60_000 });

    // act
    const saved = await store.save(RESULT);

    // assess
    expect(saved).toEqual({ stored: true });
    expect(inner.tries).toBe(5);
    expect(delays).toHaveLength(4);
    delays.forEach((delay, i) => {
      expect(delay).toBeGreaterThanOrEqual(125 * 2 ** i);
      expect(delay).toBeLessThanOrEqual(250 * 2 ** i);
    });
    expect(lines.map((l) => JSON.parse(l) as { msg: string; tries: number })).toEqual(
      [1, 2, 3, 4].map((tries) => expect.objectContaining({ msg: 'storing the result was refused; retrying', tries, runId: RESULT.runId })),
    );
  });

  it('gives up once the window is over, with an error that says how long it tried and why', async () => {
    // prepare
    const inner = refusingStore(Array.from({ length: 100 }, () => awsError('SlowDown', 503, 'Please reduce your request rate.')));
    const { store, delays } = retrying(inner, { retryForMs: 10_000 });

    // act
    const error = await store.save(RESULT).catch((e: unknown) => e);

    // assess
    expect(error).toBeInstanceOf(ResultNotStoredError);
    const notStored = error as ResultNotStoredError;
    expect(notStored.message).toMatch(/^the result could not be stored after \d+ tries over 10\.0 s: SlowDown: Please reduce your request rate\.$/);
    expect(notStored.result).toBe(RESULT);
    expect(notStored.tries).toBe(inner.tries);
    expect(delays.reduce((sum, d) => sum + d, 0)).toBe(10_000);
    expect(Math.max(...delays)).toBeLessThanOrEqual(8_000);
  });

  it('does not retry a refusal another try would repeat, nor while the task is stopping', async () => {
    // prepare
    const tooLarge = refusingStore([awsError('ValidationException', 400, 'Item size has exceeded the maximum allowed size')]);
    const throttledWhileStopping = refusingStore([awsError('ThrottlingException', 400, 'Rate exceeded')]);

    // act
    const permanent = await retrying(tooLarge, { retryForMs: 60_000 }).store.save(RESULT).catch((e: unknown) => e);
    const stopping = await retrying(throttledWhileStopping, { retryForMs: 60_000, stopping: true }).store.save(RESULT).catch((e: unknown) => e);

    // assess
    expect(permanent).toBeInstanceOf(ResultNotStoredError);
    expect((permanent as Error).message).toBe('the result could not be stored: ValidationException: Item size has exceeded the maximum allowed size');
    expect(tooLarge.tries).toBe(1);
    expect(stopping).toBeInstanceOf(ResultNotStoredError);
    expect(throttledWhileStopping.tries).toBe(1);
  });

  it('tells transient refusals from lasting ones', () => {
    const transient = [
      awsError('ProvisionedThroughputExceededException', 400),
      awsError('RequestLimitExceeded', 400),
      awsError('SlowDown', 503),
      awsError('InternalError', 500),
      awsError('TooManyRequestsException', 429),
      Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
      Object.assign(new Error('x'), { name: 'TimeoutError' }),
    ];
    const lasting = [awsError('ValidationException', 400), awsError('AccessDeniedException', 400), awsError('ResourceNotFoundException', 400), awsError('NoSuchBucket', 404), 'a string', null];
    expect(transient.map(isTransientStorageError)).toEqual(transient.map(() => true));
    expect(lasting.map(isTransientStorageError)).toEqual(lasting.map(() => false));
  });
});
