/** The stored state of the model pause, whatever holds it (a file, a DynamoDB item). */
export interface PauseRecord {
  /** ISO time, or null when no pause was ever set. */
  readonly pausedUntil: string | null;
  readonly reason: string;
  /** Rate-limit answers since the last success: the backoff exponent. */
  readonly consecutive: number;
}

export interface PauseBackoff {
  /** First backoff step when the API gave no retry-after. */
  readonly initialBackoffMs: number;
  /** Longest backoff step. */
  readonly maxBackoffMs: number;
}

export const DEFAULT_PAUSE_BACKOFF: PauseBackoff = { initialBackoffMs: 60_000, maxBackoffMs: 30 * 60_000 };

export const DEFAULT_PAUSE_REASON = 'the API answered with a rate limit, quota or overload error';

/** No pause, no backoff. */
export const NO_PAUSE: PauseRecord = { pausedUntil: null, reason: '', consecutive: 0 };

/**
 * The pause after one more rate-limit answer: until its retry-after when known, else by
 * exponential backoff (60 s, 2 min, 4 min, ... capped at 30 min). Reports that arrive
 * while a pause is active come from runs already in flight: they never shorten the pause
 * nor climb the backoff another step.
 *
 * @example
 * nextPause(NO_PAUSE, new Date(), undefined, 'rate limited (429)', DEFAULT_PAUSE_BACKOFF);
 * // → { pausedUntil: now + 60 s, reason: 'rate limited (429) (backoff 60 s after 1 in a row)', consecutive: 1 }
 */
export function nextPause(state: PauseRecord, now: Date, retryAfterMs: number | undefined, reason: string, backoff: PauseBackoff): PauseRecord {
  if (retryAfterMs !== undefined && (!Number.isFinite(retryAfterMs) || retryAfterMs < 0)) {
    throw new RangeError(`retryAfterMs must be a non-negative number, got ${retryAfterMs}`);
  }
  const nowMs = now.getTime();
  const until = state.pausedUntil === null ? 0 : Date.parse(state.pausedUntil);
  const active = until > nowMs;
  const consecutive = active ? Math.max(state.consecutive, 1) : state.consecutive + 1;
  const step = Math.min(backoff.initialBackoffMs * 2 ** Math.min(consecutive - 1, 30), backoff.maxBackoffMs);
  const delay = retryAfterMs ?? (active ? 0 : step);
  const end = Math.max(until, nowMs + delay);
  const why =
    end === until && active
      ? state.reason
      : `${reason} (${retryAfterMs === undefined ? `backoff ${duration(delay)} after ${consecutive} in a row` : `retry-after ${duration(delay)}`})`;
  return { pausedUntil: new Date(end).toISOString(), reason: why, consecutive };
}

/** The pause in force at `now`, or null. */
export function activePause(state: PauseRecord, now: Date): { pausedUntil: Date; reason: string } | null {
  if (state.pausedUntil === null) return null;
  const until = Date.parse(state.pausedUntil);
  return until > now.getTime() ? { pausedUntil: new Date(until), reason: state.reason } : null;
}

/** Tolerates missing or odd fields, so a hand-edited or older record still reads. */
export function normalizePauseRecord(raw: unknown): PauseRecord {
  const source = raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const until = typeof source.pausedUntil === 'string' && !Number.isNaN(Date.parse(source.pausedUntil)) ? source.pausedUntil : null;
  const consecutive = typeof source.consecutive === 'number' && Number.isInteger(source.consecutive) && source.consecutive > 0 ? source.consecutive : 0;
  return { pausedUntil: until, reason: typeof source.reason === 'string' ? source.reason : '', consecutive };
}

function duration(ms: number): string {
  if (ms < 1_000) return `${ms} ms`;
  if (ms < 120_000) return `${Math.round(ms / 1_000)} s`;
  return `${Math.round(ms / 60_000)} min`;
}
