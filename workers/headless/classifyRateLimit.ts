import type { StreamSummary } from './types.js';

/** HTTP statuses that mean "try later": rate limited, overloaded. */
const RATE_LIMIT_STATUSES = new Set([429, 529]);
const RATE_LIMIT_TYPES = new Set(['rate_limit_error', 'overloaded_error']);
/** The CLI's `error` tag on a synthetic API-error message (2.1.332: "rate_limit", "overloaded"). */
const RATE_LIMIT_KINDS = new Set(['rate_limit', 'overloaded']);
/** Wording of rate-limit, overload, quota and credit-balance errors in results and stderr. */
const RATE_LIMIT_TEXT = /rate[ _-]?limit|overloaded|\b(429|529)\b|quota|credit balance|usage limit|too many requests/i;

export interface RateLimitVerdict {
  readonly rateLimited: boolean;
  /** The CLI's last retry delay for a 429 (it honours the API's retry-after): the best hint of when to try again. */
  readonly retryAfterMs?: number;
}

/**
 * Decides whether a run that ended in error did so because the API refused to serve it
 * now (429/529, rate_limit_error, overloaded_error, quota or credit balance), so the
 * caller can reschedule instead of reporting a broken worker. A run that hit a rate
 * limit, retried and then succeeded is not rate limited.
 *
 * Measured with 2.1.332: the result carries `api_error_status` / `api_error_type`, the
 * synthetic assistant message `error: "rate_limit"`, and `system/api_retry` events carry
 * `error_status` and `retry_delay_ms` (which honours the API's `retry-after`).
 *
 * @example
 * classifyRateLimit(parser.summary(), stderrTail).rateLimited;
 */
export const classifyRateLimit = (summary: StreamSummary, stderrTail: string): RateLimitVerdict => {
  const { result, apiError } = summary;
  const failed = result === undefined || result.isError;
  if (!failed) return { rateLimited: false };
  const byStatus =
    (result?.apiErrorStatus !== undefined && RATE_LIMIT_STATUSES.has(result.apiErrorStatus)) ||
    (apiError?.status !== undefined && RATE_LIMIT_STATUSES.has(apiError.status));
  const byType =
    (result?.apiErrorType !== undefined && RATE_LIMIT_TYPES.has(result.apiErrorType)) ||
    (apiError?.type !== undefined && RATE_LIMIT_TYPES.has(apiError.type)) ||
    (apiError?.kind !== undefined && RATE_LIMIT_KINDS.has(apiError.kind));
  const lastRetry = [...summary.retries].reverse().find((r) => r.status !== undefined && RATE_LIMIT_STATUSES.has(r.status));
  // Killed (timeout, cancel) while the CLI was still retrying a 429/529: the limit is what held it up.
  const stuckRetrying = result === undefined && lastRetry !== undefined && lastRetry === summary.retries[summary.retries.length - 1];
  const errorText = [result?.isError ? result.resultText : '', apiError?.message ?? '', result ? '' : stderrTail].join('\n');
  const rateLimited = byStatus || byType || stuckRetrying || RATE_LIMIT_TEXT.test(errorText);
  if (!rateLimited) return { rateLimited: false };
  // Only a 429's delay follows the API's retry-after; after a 529 it is the CLI's own
  // sub-second backoff, and the caller's longer backoff fits better.
  return lastRetry?.status === 429 && lastRetry.delayMs > 0 ? { rateLimited, retryAfterMs: lastRetry.delayMs } : { rateLimited };
};
