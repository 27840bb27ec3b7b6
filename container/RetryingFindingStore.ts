import type { JsonLogger } from '../workers/cloudRuntime/index.js';
import type { FindingSet, FindingStore } from '../workers/findings/FindingStore.js';
import { describeStorageError, triesSuffix, withStorageRetries, type StorageRetryPolicy } from './storageRetry.js';

/**
 * Tracked findings written through another store with the runner's storage
 * backoff (`withStorageRetries`, as results): a DynamoDB refusal that goes
 * away within the window no longer leaves a run with "findings were not
 * tracked". Retrying an update is safe: it reads the set afresh each time,
 * and a run already applied to it (a try whose answer was lost) changes
 * nothing. Past the window the engine records why on the run, as before.
 *
 * @example
 * const findingStore = new RetryingFindingStore(new DynamoFindingStore({ documentClient, tableName }), { retryForMs: 120_000, isStopping, log });
 */
export class RetryingFindingStore implements FindingStore {
  constructor(
    private readonly inner: FindingStore,
    private readonly options: StorageRetryPolicy & { readonly log: JsonLogger },
  ) {}

  load(target: string, worker: string): Promise<FindingSet> {
    return this.retried('reading', target, worker, () => this.inner.load(target, worker));
  }

  update(target: string, worker: string, change: (current: FindingSet) => FindingSet): Promise<FindingSet> {
    return this.retried('tracking', target, worker, () => this.inner.update(target, worker, change));
  }

  list(filter?: { target?: string; worker?: string }): Promise<FindingSet[]> {
    return this.inner.list(filter);
  }

  private retried<T>(what: 'reading' | 'tracking', target: string, worker: string, work: () => Promise<T>): Promise<T> {
    return withStorageRetries(work, this.options, {
      retrying: (tries, delayMs, error) => this.options.log.warn(`${what} findings was refused; retrying`, { target, worker, tries, delayMs, error }),
      // A refusal that was not retried is reported as it is.
      gaveUp: (error, tries, elapsedMs) => (tries === 1 ? error : new Error(`refused${triesSuffix(tries, elapsedMs)}: ${describeStorageError(error)}`, { cause: error })),
    });
  }
}
