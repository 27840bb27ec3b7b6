import type { WorkerDefinition } from './types.js';

/**
 * The public facts of a worker, as the CLI's `workers` table, `workers --json`
 * and the dispatcher's status action show them.
 */
export function describeWorker(def: WorkerDefinition) {
  return {
    worker: def.type,
    mode: def.mode,
    sandbox: def.mode === 'headless' ? def.sandbox : null,
    model: def.mode === 'headless' ? def.model : null,
    priority: def.priority,
    intervalMs: def.intervalMs,
    enabled: def.enabled,
    outputFormat: def.outputFormat,
    description: def.description,
  };
}

export type WorkerDescription = ReturnType<typeof describeWorker>;
