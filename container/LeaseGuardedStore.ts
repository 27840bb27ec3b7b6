import type { DynamoResultStore, RunLease } from '../workers/cloudRuntime/index.js';
import type { RunResult } from '../workers/run/types.js';
import type { SaveOutcome } from '../workers/store/ResultStore.js';
import { ForwardingStore } from './ForwardingStore.js';

/**
 * The engine's way to the DynamoDB store, which knows nothing of leases: while
 * the runner holds a run's lease (`hold`), the engine's save of that run is
 * conditional on the lease still being this task's, so a task that stalled
 * past its lease cannot overwrite, or double, the record of the task that took
 * the run over (it gets a LeaseLostError). Runs not held are saved as usual.
 *
 * @example
 * const leases = new LeaseGuardedStore(dynamoStore);
 * const release = leases.hold(runId, { owner, attempt });
 * try { await engine.run(...); } finally { release(); }
 */
export class LeaseGuardedStore extends ForwardingStore {
  private readonly held = new Map<string, RunLease>();

  constructor(private readonly store: DynamoResultStore) {
    super(store);
  }

  /** Saves of `runId` need `lease` until the returned function is called. */
  hold(runId: string, lease: RunLease): () => void {
    this.held.set(runId, lease);
    return () => {
      if (this.held.get(runId) === lease) this.held.delete(runId);
    };
  }

  save(result: RunResult): Promise<SaveOutcome> {
    const lease = this.held.get(result.runId);
    return this.store.save(result, lease ? { lease } : {});
  }
}
