import type { StoredRun } from './types.js';

/**
 * A task's final write of a run was refused because the task no longer holds
 * the run's lease: it stalled past the lease (a long GC pause, a frozen
 * process, calls held by the network) and another delivery claimed the run.
 * `current` is the record as it stands: final when the other task finished
 * the run, RUNNING while it still works on it, null when the record is gone.
 * Nothing of this task's result is kept; the other task's record stands.
 *
 * @example
 * try { await store.save(result, { lease }); } catch (error) { if (error instanceof LeaseLostError) leaveItToTheOwner(); }
 */
export class LeaseLostError extends Error {
  constructor(
    readonly runId: string,
    /** Undefined when not read (a lease renewal found the run in other hands). */
    readonly current: StoredRun | null | undefined,
    options?: ErrorOptions,
  ) {
    super(`lost the lease on run ${runId}: ${describeCurrent(current)}`, options);
    this.name = 'LeaseLostError';
  }
}

function describeCurrent(current: StoredRun | null | undefined): string {
  if (current === undefined) return 'another task took it over';
  if (current === null) return 'its record is gone';
  if (current.status === 'RUNNING') return 'another task holds it now';
  if (current.status === 'QUEUED') return 'it went back to the queue';
  return `another task finished it (${current.status})`;
}
