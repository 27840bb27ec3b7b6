import { join } from 'node:path';
import { readJsonFile } from '../files/readJsonFile.js';
import { withFileLock } from '../files/withFileLock.js';
import { writeJsonAtomic } from '../files/writeJsonAtomic.js';

/** An active pause of headless runs. */
export interface RateLimitPauseState {
  readonly pausedUntil: Date;
  readonly reason: string;
}

export interface RateLimitPauseOptions {
  readonly now?: () => Date;
  /** First backoff step when the API gave no retry-after. Default 60 s. */
  readonly initialBackoffMs?: number;
  /** Longest backoff step. Default 30 min. */
  readonly maxBackoffMs?: number;
}

interface PauseFile {
  /** ISO time, or null when no pause was ever set. */
  readonly pausedUntil: string | null;
  readonly reason: string;
  /** Rate-limit answers since the last success: the backoff exponent. */
  readonly consecutive: number;
}

const FILE_NAME = 'rate-limit-pause.json';

/**
 * Pauses headless runs after the API answered with a rate limit, quota or overload error:
 * until its retry-after when known, else by exponential backoff (60 s, 2 min, 4 min, ...
 * capped at 30 min) that a success resets. Kept in the state directory so a CLI run and a
 * daemon on the same machine honour the same pause.
 *
 * @example
 * const pause = new RateLimitPause(stateDir);
 * const active = await pause.currentPause();
 * if (active) return skip(`${active.reason}`);
 * // after a 429: await pause.pauseFor(retryAfterMs, 'rate limited (429)');
 * // after a good run: await pause.recordSuccess();
 */
export class RateLimitPause {
  private readonly file: string;
  private readonly now: () => Date;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;

  public constructor(stateDir: string, options: RateLimitPauseOptions = {}) {
    this.file = join(stateDir, FILE_NAME);
    this.now = options.now ?? (() => new Date());
    this.initialBackoffMs = options.initialBackoffMs ?? 60_000;
    this.maxBackoffMs = options.maxBackoffMs ?? 30 * 60_000;
  }

  /**
   * Records a rate-limit answer and returns the pause now in force. Reports that arrive
   * while a pause is active come from runs already in flight: they never shorten the pause
   * nor climb the backoff another step.
   */
  public async pauseFor(retryAfterMs?: number, reason = 'the API answered with a rate limit, quota or overload error'): Promise<RateLimitPauseState> {
    if (retryAfterMs !== undefined && (!Number.isFinite(retryAfterMs) || retryAfterMs < 0)) {
      throw new RangeError(`retryAfterMs must be a non-negative number, got ${retryAfterMs}`);
    }
    let result: RateLimitPauseState | undefined;
    await withFileLock(`${this.file}.lock`, async () => {
      const state = normalize(await readJsonFile(this.file));
      const now = this.now().getTime();
      const until = state.pausedUntil === null ? 0 : Date.parse(state.pausedUntil);
      const active = until > now;
      const consecutive = active ? Math.max(state.consecutive, 1) : state.consecutive + 1;
      const delay = retryAfterMs ?? (active ? 0 : this.backoff(consecutive));
      const end = Math.max(until, now + delay);
      const why =
        end === until && active
          ? state.reason
          : `${reason} (${retryAfterMs === undefined ? `backoff ${duration(delay)} after ${consecutive} in a row` : `retry-after ${duration(delay)}`})`;
      await writeJsonAtomic(this.file, { pausedUntil: new Date(end).toISOString(), reason: why, consecutive } satisfies PauseFile);
      result = { pausedUntil: new Date(end), reason: why };
    });
    return result!;
  }

  /** The pause in force now, or null when headless runs may go. */
  public async currentPause(): Promise<RateLimitPauseState | null> {
    const state = normalize(await readJsonFile(this.file));
    if (state.pausedUntil === null) return null;
    const until = Date.parse(state.pausedUntil);
    return until > this.now().getTime() ? { pausedUntil: new Date(until), reason: state.reason } : null;
  }

  /**
   * Resets the backoff after a run the API served. A pause already in force stays: the API
   * asked for it, and one lucky run does not show the limit has lifted.
   */
  public async recordSuccess(): Promise<void> {
    // Most runs succeed with nothing to reset: skip the lock and the write.
    if (normalize(await readJsonFile(this.file)).consecutive === 0) return;
    await withFileLock(`${this.file}.lock`, async () => {
      const state = normalize(await readJsonFile(this.file));
      await writeJsonAtomic(this.file, { ...state, consecutive: 0 } satisfies PauseFile);
    });
  }

  private backoff(consecutive: number): number {
    return Math.min(this.initialBackoffMs * 2 ** Math.min(consecutive - 1, 30), this.maxBackoffMs);
  }
}

function normalize(raw: unknown): PauseFile {
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
