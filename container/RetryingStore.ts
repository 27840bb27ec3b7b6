import { LeaseLostError, type JsonLogger } from '../workers/cloudRuntime/index.js';
import type { RunResult } from '../workers/run/types.js';
import type { ResultStore, SaveOutcome } from '../workers/store/ResultStore.js';
import { ForwardingStore } from './ForwardingStore.js';
import { describeStorageError, triesSuffix, withStorageRetries, type StorageRetryPolicy } from './storageRetry.js';

/**
 * A run's result that could not be stored: refused for good (e.g. an item over
 * DynamoDB's size limit), or refused for longer than the retry window. It
 * carries the result, so that the run can still be recorded as FAILED with
 * its cost, tokens and violations, and says why in its message.
 */
export class ResultNotStoredError extends Error {
  constructor(
    message: string,
    readonly result: RunResult,
    readonly tries: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'ResultNotStoredError';
  }
}

/**
 * Saves results through another store, retrying writes that S3 or DynamoDB
 * refuse for a while (throttling, SlowDown, 5xx, dropped connections) with
 * jittered exponential backoff, for up to `retryForMs`; the SDK's own quick
 * retries happen inside each try. While it waits, the message heartbeat keeps
 * the task message hidden, so the message is never deleted before the result
 * is safe. Past the window, or on a refusal another try would only repeat,
 * or when the task is stopping, it throws ResultNotStoredError (the policy is
 * `withStorageRetries`, shared with tracked findings). A LeaseLostError
 * passes through as it is.
 *
 * @example
 * const store = new RetryingStore(dynamoStore, { retryForMs: 120_000, isStopping: () => runner.isStopping, log });
 */
export class RetryingStore extends ForwardingStore {
  constructor(
    inner: ResultStore,
    private readonly options: StorageRetryPolicy & { readonly log: JsonLogger },
  ) {
    super(inner);
  }

  async save(result: RunResult): Promise<SaveOutcome> {
    return withStorageRetries(() => this.inner.save(result), this.options, {
      retrying: (tries, delayMs, error) => this.options.log.warn('storing the result was refused; retrying', { runId: result.runId, tries, delayMs, error }),
      // A lost lease is no storage trouble: the run belongs to another task, whose record stands.
      gaveUp: (error, tries, elapsedMs) =>
        error instanceof LeaseLostError ? error : new ResultNotStoredError(`the result could not be stored${triesSuffix(tries, elapsedMs)}: ${describeStorageError(error)}`, result, tries, { cause: error }),
    });
  }
}

export { isTransientStorageError } from './storageRetry.js';
