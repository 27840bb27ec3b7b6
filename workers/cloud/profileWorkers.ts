import { SANDBOX_MODES } from '../catalog/constants.js';
import type { ExecutionProfile, WorkerDefinition } from '../catalog/types.js';

/**
 * Workers that list every worker's results, not only their own and their
 * `chainsFrom` sources: consolidate merges the findings of all kept runs
 * (see workers/local/consolidate/runConsolidate.ts).
 */
export const WORKERS_READING_EVERY_RESULT: readonly string[] = ['consolidate'];

/**
 * The workers a task of `profile` may be sent: a local worker runs in the
 * local profile; a headless worker in its own sandbox's profile or any tighter
 * one (a run may tighten its sandbox, never loosen it). The CDK app scopes the
 * task roles to these workers' items and objects; the runner keeps to them.
 *
 * @example
 * workersServedBy('permissive', catalog) // ['optimize', 'testgaps', 'document', 'refactor']
 */
export function workersServedBy(profile: ExecutionProfile, catalog: ReadonlyMap<string, WorkerDefinition>): string[] {
  return [...catalog.values()]
    .filter((worker) => {
      if (worker.mode === 'local') return profile === 'local';
      if (profile === 'local') return false;
      return SANDBOX_MODES.indexOf(profile) <= SANDBOX_MODES.indexOf(worker.sandbox);
    })
    .map((worker) => worker.type);
}

/**
 * The workers whose results a task of `profile` reads: those it serves (an
 * incremental scan reads its own worker's last runs), their `chainsFrom`
 * sources, and every worker when it serves one that reads every result.
 *
 * @example
 * workersReadBy('local', catalog) // every worker: consolidate reads them all
 */
export function workersReadBy(profile: ExecutionProfile, catalog: ReadonlyMap<string, WorkerDefinition>): string[] {
  const served = workersServedBy(profile, catalog);
  if (served.some((worker) => WORKERS_READING_EVERY_RESULT.includes(worker))) return [...catalog.keys()];
  const read = new Set(served.flatMap((worker) => [worker, ...(catalog.get(worker)?.chainsFrom ?? [])]));
  return [...catalog.keys()].filter((worker) => read.has(worker));
}
