import { PRIORITIES } from '../catalog/constants.js';
import type { Priority } from '../catalog/types.js';

export interface ConcurrencyLimiterOptions<K extends string = string> {
  /** Most tasks running at once, all keys together. */
  readonly globalLimit: number;
  /** Most tasks running at once per key (sandbox profile); a key not listed has only the global cap. */
  readonly perKeyLimits?: Readonly<Partial<Record<NoInfer<K>, number>>>;
}

export interface ConcurrencyStats<K extends string = string> {
  readonly running: number;
  readonly queued: number;
  /** Keys that have run or waited at least once. */
  readonly byKey: Readonly<Partial<Record<K, { readonly running: number; readonly queued: number }>>>;
}

interface Waiter<K extends string> {
  readonly key: K;
  readonly start: () => void;
  readonly onAbort: () => void;
}

/**
 * Holds a global cap and per-key caps exactly, however many runs arrive in one instant:
 * counters change synchronously, in one place, and a slot frees only when its task settles.
 * Waiters start highest priority first, FIFO within a priority; a waiter whose key is at its
 * cap does not block waiters of other keys. Event-driven: no polling, no timers.
 *
 * Under a steady stream of critical work, low-priority waiters wait: that is the point of
 * priorities here, and the queue consumers above decide fairness across runs.
 *
 * @example
 * const limiter = new ConcurrencyLimiter({ globalLimit: 4, perKeyLimits: { permissive: 1 } });
 * const result = await limiter.run('strict', 'critical', (signal) => runWorker(signal), controller.signal);
 */
export class ConcurrencyLimiter<K extends string = string> {
  private readonly globalLimit: number;
  private readonly perKeyLimits: Readonly<Partial<Record<K, number>>>;
  /** One FIFO per priority, in PRIORITIES order (critical first). */
  private readonly queues: Waiter<K>[][] = PRIORITIES.map(() => []);
  private readonly runningByKey = new Map<K, number>();
  private running = 0;

  public constructor(options: ConcurrencyLimiterOptions<K>) {
    checkLimit(options.globalLimit, 'globalLimit');
    for (const [key, value] of Object.entries(options.perKeyLimits ?? {})) checkLimit(value as number, `perKeyLimits.${key}`);
    this.globalLimit = options.globalLimit;
    this.perKeyLimits = options.perKeyLimits ?? ({} as Partial<Record<K, number>>);
  }

  /**
   * Runs `fn` once a slot for `key` is free. Aborting `signal` while waiting removes the task
   * and rejects with an `AbortError`; once running, `fn` receives the signal and its own
   * settlement frees the slot (the work is still running until then).
   */
  public run<T>(key: K, priority: Priority | undefined, fn: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) return Promise.reject(abortError(signal));
    const rank = PRIORITIES.indexOf(priority ?? 'normal');
    if (rank === -1) return Promise.reject(new RangeError(`unknown priority: ${String(priority)}`));
    this.runningByKey.set(key, this.runningByKey.get(key) ?? 0);

    return new Promise<T>((resolve, reject) => {
      const queue = this.queues[rank]!;
      const waiter: Waiter<K> = {
        key,
        start: () => {
          signal?.removeEventListener('abort', waiter.onAbort);
          this.running += 1;
          this.runningByKey.set(key, (this.runningByKey.get(key) ?? 0) + 1);
          let work: Promise<T>;
          try {
            work = Promise.resolve(fn(signal ?? NEVER_ABORTED));
          } catch (error) {
            work = Promise.reject(error);
          }
          // The slot is free before the caller hears back, so stats() after `await run()` is exact.
          const release = (): void => {
            this.running -= 1;
            this.runningByKey.set(key, (this.runningByKey.get(key) ?? 1) - 1);
            this.dispatch();
          };
          work.then(
            (value) => {
              release();
              resolve(value);
            },
            (error: unknown) => {
              release();
              reject(error);
            },
          );
        },
        onAbort: () => {
          const index = queue.indexOf(waiter);
          if (index === -1) return;
          queue.splice(index, 1);
          reject(abortError(signal!));
        },
      };
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      queue.push(waiter);
      this.dispatch();
    });
  }

  /** Running and queued tasks, in total and per key. */
  public stats(): ConcurrencyStats<K> {
    const byKey: Partial<Record<K, { running: number; queued: number }>> = {};
    for (const [key, running] of this.runningByKey) byKey[key] = { running, queued: 0 };
    let queued = 0;
    for (const queue of this.queues) {
      for (const waiter of queue) {
        byKey[waiter.key]!.queued += 1;
        queued += 1;
      }
    }
    return { running: this.running, queued, byKey };
  }

  /** Starts every waiter that fits, in priority then arrival order. */
  private dispatch(): void {
    for (const queue of this.queues) {
      for (let i = 0; i < queue.length && this.running < this.globalLimit; ) {
        const waiter = queue[i]!;
        if ((this.runningByKey.get(waiter.key) ?? 0) < (this.perKeyLimits[waiter.key] ?? Infinity)) {
          queue.splice(i, 1);
          waiter.start();
        } else {
          i += 1;
        }
      }
      if (this.running >= this.globalLimit) return;
    }
  }
}

/** Handed to `fn` when the caller gave no signal, so `fn` can always listen. */
const NEVER_ABORTED = new AbortController().signal;

function abortError(signal: AbortSignal): Error {
  const error = new Error('the run was cancelled while waiting for a free slot', { cause: signal.reason });
  error.name = 'AbortError';
  return error;
}

function checkLimit(value: number, name: string): void {
  if (!(value === Infinity || (Number.isInteger(value) && value >= 1))) {
    throw new RangeError(`${name} must be a positive integer or Infinity, got ${value}`);
  }
}
