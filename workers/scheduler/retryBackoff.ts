/** First retry after a failed scheduled run. */
export const RETRY_BASE_MS = 30_000;

/**
 * Delay before retrying a worker that failed `failures` times in a row:
 * doubling from 30 s, never later than the worker's own interval (a retry
 * should not wait longer than the next regular run) nor 30 minutes.
 */
export function retryDelayMs(failures: number, intervalMs: number): number {
  const backoff = RETRY_BASE_MS * 2 ** Math.max(0, failures - 1);
  const ceiling = intervalMs > 0 ? Math.min(intervalMs, 30 * 60_000) : 30 * 60_000;
  return Math.min(backoff, ceiling);
}
