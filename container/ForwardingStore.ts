import type { RunResult } from '../workers/run/types.js';
import type { ListQuery, ResultStore, SaveOutcome } from '../workers/store/ResultStore.js';

/**
 * A store that passes everything to another one: the base of the runner's
 * stores that change only how a result is saved.
 *
 * @example
 * class LoggingStore extends ForwardingStore { async save(r) { log(r.runId); return this.inner.save(r); } }
 */
export abstract class ForwardingStore implements ResultStore {
  constructor(protected readonly inner: ResultStore) {}

  abstract save(result: RunResult): Promise<SaveOutcome>;

  get(runId: string): Promise<RunResult | null> {
    return this.inner.get(runId);
  }

  list(query?: ListQuery): Promise<RunResult[]> {
    return this.inner.list(query);
  }

  pruneExpired(now?: Date): Promise<number> {
    return this.inner.pruneExpired(now);
  }
}
