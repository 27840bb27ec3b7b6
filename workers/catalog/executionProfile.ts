import type { ExecutionProfile, WorkerDefinition } from './types.js';

/**
 * The cloud execution profile a worker runs under: local workers share the
 * 'local' profile (no model, no key); headless workers run under their sandbox.
 */
export function executionProfileOf(worker: WorkerDefinition): ExecutionProfile {
  return worker.mode === 'local' ? 'local' : worker.sandbox;
}
