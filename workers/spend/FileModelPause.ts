import { join } from 'node:path';
import { readJsonFile } from '../files/readJsonFile.js';
import { withFileLock } from '../files/withFileLock.js';
import { writeJsonAtomic } from '../files/writeJsonAtomic.js';
import { activePause, DEFAULT_PAUSE_BACKOFF, DEFAULT_PAUSE_REASON, nextPause, normalizePauseRecord, type PauseRecord } from './pauseStep.js';
import type { ModelPause, ModelPauseState } from './types.js';

export interface FileModelPauseOptions {
  readonly now?: () => Date;
  /** First backoff step when the API gave no retry-after. Default 60 s. */
  readonly initialBackoffMs?: number;
  /** Longest backoff step. Default 30 min. */
  readonly maxBackoffMs?: number;
}

const FILE_NAME = 'rate-limit-pause.json';

/**
 * The model pause of one machine (see `ModelPause` and `nextPause`), in a JSON file of
 * the state directory, so a CLI run and a daemon on the same machine honour the same pause.
 *
 * @example
 * const pause = new FileModelPause(stateDir);
 * const active = await pause.currentPause();
 * if (active) return skip(`${active.reason}`);
 * // after a 429: await pause.pauseFor(retryAfterMs, 'rate limited (429)');
 * // after a good run: await pause.recordSuccess();
 */
export class FileModelPause implements ModelPause {
  private readonly file: string;
  private readonly now: () => Date;
  private readonly backoff;

  public constructor(stateDir: string, options: FileModelPauseOptions = {}) {
    this.file = join(stateDir, FILE_NAME);
    this.now = options.now ?? (() => new Date());
    this.backoff = {
      initialBackoffMs: options.initialBackoffMs ?? DEFAULT_PAUSE_BACKOFF.initialBackoffMs,
      maxBackoffMs: options.maxBackoffMs ?? DEFAULT_PAUSE_BACKOFF.maxBackoffMs,
    };
  }

  public async pauseFor(retryAfterMs?: number, reason = DEFAULT_PAUSE_REASON): Promise<ModelPauseState> {
    let next: PauseRecord | undefined;
    await withFileLock(`${this.file}.lock`, async () => {
      next = nextPause(normalizePauseRecord(await readJsonFile(this.file)), this.now(), retryAfterMs, reason, this.backoff);
      await writeJsonAtomic(this.file, next);
    });
    return { pausedUntil: new Date(next!.pausedUntil!), reason: next!.reason };
  }

  public async currentPause(): Promise<ModelPauseState | null> {
    return activePause(normalizePauseRecord(await readJsonFile(this.file)), this.now());
  }

  public async recordSuccess(): Promise<void> {
    // Most runs succeed with nothing to reset: skip the lock and the write.
    if (normalizePauseRecord(await readJsonFile(this.file)).consecutive === 0) return;
    await withFileLock(`${this.file}.lock`, async () => {
      const state = normalizePauseRecord(await readJsonFile(this.file));
      await writeJsonAtomic(this.file, { ...state, consecutive: 0 } satisfies PauseRecord);
    });
  }
}
