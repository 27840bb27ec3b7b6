/** First wait between two tries of a storage write; it doubles up to `MAX_BACKOFF_MS` (each jittered). */
const FIRST_BACKOFF_MS = 250;
const MAX_BACKOFF_MS = 8_000;

/** How long, and whether, the runner keeps trying a write that S3 or DynamoDB refuses. */
export interface StorageRetryPolicy {
  readonly retryForMs: number;
  readonly isStopping: () => boolean;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly clock?: () => number;
}

/**
 * The runner's one backoff policy for storage writes (results and tracked
 * findings alike): a refusal that goes away on its own is tried again after
 * a jittered wait that doubles from 250 ms to 8 s, for up to `retryForMs`;
 * the SDK's own quick retries happen inside each try. Past the window, on a
 * refusal another try would only repeat, or when the task is stopping, it
 * throws what `gaveUp` makes of the last error.
 *
 * @example
 * await withStorageRetries(() => store.update(...), policy, {
 *   retrying: (tries, delayMs, error) => log.warn('refused; retrying', { tries, delayMs, error }),
 *   gaveUp: (error, tries, elapsedMs) => new Error(`refused after ${tries} tries: ${describeStorageError(error)}`),
 * });
 */
export async function withStorageRetries<T>(
  work: () => Promise<T>,
  policy: StorageRetryPolicy,
  hooks: {
    readonly retrying: (tries: number, delayMs: number, error: unknown) => void;
    readonly gaveUp: (error: unknown, tries: number, elapsedMs: number) => unknown;
  },
): Promise<T> {
  const sleep = policy.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const clock = policy.clock ?? Date.now;
  const started = clock();
  for (let tries = 1; ; tries++) {
    try {
      return await work();
    } catch (error) {
      const elapsedMs = clock() - started;
      const left = policy.retryForMs - elapsedMs;
      if (!isTransientStorageError(error) || left <= 0 || policy.isStopping()) throw hooks.gaveUp(error, tries, elapsedMs);
      const delayMs = Math.min(left, Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** (tries - 1)) * (0.5 + Math.random() / 2));
      hooks.retrying(tries, Math.round(delayMs), error);
      await sleep(delayMs);
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

/** " after N tries over S s" when a write was tried more than once, else nothing. */
export function triesSuffix(tries: number, elapsedMs: number): string {
  return tries > 1 ? ` after ${tries} tries over ${(elapsedMs / 1000).toFixed(1)} s` : '';
}

/** An error as a record's reason: its name (when it says more than "Error") and message. */
export function describeStorageError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.name && error.name !== 'Error' && !error.message.startsWith(error.name) ? `${error.name}: ${error.message}` : error.message;
}
