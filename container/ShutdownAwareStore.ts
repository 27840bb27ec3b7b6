import type { RunResult } from '../workers/run/types.js';
import type { ResultStore, SaveOutcome } from '../workers/store/ResultStore.js';
import { ForwardingStore } from './ForwardingStore.js';

/**
 * A store that does not keep the CANCELLED record of a run the task gave up
 * because it is being stopped (SIGTERM): that run is not over, its message
 * goes back to the queue and another task runs it. Every other record is
 * saved as usual.
 */
export class ShutdownAwareStore extends ForwardingStore {
  /** Run ids whose CANCELLED record was dropped. */
  readonly dropped = new Set<string>();

  constructor(
    inner: ResultStore,
    private readonly stopping: () => boolean,
  ) {
    super(inner);
  }

  async save(result: RunResult): Promise<SaveOutcome> {
    if (this.stopping() && result.status === 'CANCELLED') {
      this.dropped.add(result.runId);
      return { stored: true };
    }
    return this.inner.save(result);
  }
}
