import type { JsonLogger } from '../workers/cloudRuntime/index.js';
import type { RunResult } from '../workers/run/types.js';
import type { ResultStore, SaveOutcome } from '../workers/store/ResultStore.js';
import { ForwardingStore } from './ForwardingStore.js';

/** First wait between two tries of a save; it doubles up to `MAX_BACKOFF_MS` (each jittered). */
const FIRST_BACKOFF_MS = 250;
const MAX_BACKOFF_MS = 8_000;

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
 * or when the task is stopping, it throws ResultNotStoredError.
 *
 * @example
 * const store = new RetryingStore(dynamoStore, { retryForMs: 120_000, isStopping: () => runner.isStopping, log });
 */
export class RetryingStore extends ForwardingStore {
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly clock: () => number;

  constructor(
    inner: ResultStore,
    private readonly options: {
      readonly retryForMs: number;
      readonly isStopping: () => boolean;
      readonly log: JsonLogger;
      readonly sleep?: (ms: number) => Promise<void>;
      readonly clock?: () => number;
    },
  ) {
    super(inner);
    this.sleep = options.sleep ?? ((ms) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
    this.clock = options.clock ?? Date.now;
  }

  async save(result: RunResult): Promise<SaveOutcome> {
    const started = this.clock();
    for (let tries = 1; ; tries++) {
      try {
        return await this.inner.save(result);
      } catch (error) {
        const elapsedMs = this.clock() - started;
        const left = this.options.retryForMs - elapsedMs;
        if (!isTransientStorageError(error) || left <= 0 || this.options.isStopping()) {
          const over = tries > 1 ? ` after ${tries} tries over ${(elapsedMs / 1000).toFixed(1)} s` : '';
          throw new ResultNotStoredError(`the result could not be stored${over}: ${describeError(error)}`, result, tries, { cause: error });
        }
        const delayMs = Math.min(left, Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** (tries - 1)) * (0.5 + Math.random() / 2));
        this.options.log.warn('storing the result was refused; retrying', { runId: result.runId, tries, delayMs: Math.round(delayMs), error });
        await this.sleep(delayMs);
      }
    }
  }
}

/** Refusals that go away on their own: throttling, SlowDown, server errors, timeouts, dropped connections. */
export function isTransientStorageError(error: unknown): boolean {
  const e = error as { name?: string; code?: string; message?: string; $retryable?: unknown; $metadata?: { httpStatusCode?: number } } | null;
  if (!e || typeof e !== 'object') return false;
  if (e.$retryable) return true;
  const status = e.$metadata?.httpStatusCode;
  if (status !== undefined && (status >= 500 || status === 429)) return true;
  return /throttl|ProvisionedThroughputExceeded|RequestLimitExceeded|SlowDown|TooManyRequests|InternalServerError|InternalError|ServiceUnavailable|TransactionConflict|RequestTimeout|TimeoutError|ECONNRESET|ECONNREFUSED|ETIMEDOUT|EPIPE|socket hang up/i.test(
    `${e.name ?? ''} ${e.code ?? ''} ${e.message ?? ''}`,
  );
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.name && error.name !== 'Error' && !error.message.startsWith(error.name) ? `${error.name}: ${error.message}` : error.message;
}
