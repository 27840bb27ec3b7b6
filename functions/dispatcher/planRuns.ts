import type { ExecutionProfile, Priority, SandboxMode } from '../../workers/catalog/types.js';
import type { ResolvedConfig } from '../../workers/config/index.js';
import { RunRejected } from '../../workers/run/errors.js';
import { resolveRun, type ResolvedRun } from '../../workers/run/resolveRun.js';
import type { DispatchRequest, InputProblem } from './types.js';

/** One run to queue: a worker on a target, with where it goes. */
export interface PlannedRun {
  readonly worker: string;
  readonly target: string;
  readonly profile: ExecutionProfile;
  readonly priority: Priority;
  readonly model?: string;
  readonly sandbox?: SandboxMode;
}

/**
 * Turns a schedule tick or manual request into runs, one per (worker, target),
 * checked against the catalog, the configured targets and the deployed
 * profiles; or the first problem found.
 */
export function planRuns(
  request: Extract<DispatchRequest, { kind: 'schedule' | 'run' }>,
  config: ResolvedConfig,
  deployed: readonly ExecutionProfile[],
): { runs: PlannedRun[] } | { problem: InputProblem } {
  const def = config.catalog.get(request.worker);
  if (!def) return problem('worker', `unknown worker "${request.worker}"`, [...config.catalog.keys()]);
  if (request.kind === 'schedule' && (!def.enabled || def.intervalMs <= 0)) {
    return problem('worker', `"${def.type}" is ${def.enabled ? 'manual only (no interval)' : 'disabled'}: its schedule should not exist; manual runs still work`);
  }
  const cloudTargets = config.targets.filter((t) => t.repo === undefined);
  if (cloudTargets.length === 0) {
    return problem('target', 'no targets in the configuration: add "targets" with "git" ({url, branch}) or "s3" ({bucket, key}) to the config file and deploy again');
  }
  let targets = cloudTargets.map((t) => t.name);
  let priority: Priority = def.priority;
  const ask = request.kind === 'run' ? { ...(request.sandbox ? { sandbox: request.sandbox } : {}), ...(request.model ? { model: request.model } : {}) } : {};
  if (request.kind === 'run') {
    if (request.target !== undefined) {
      if (!targets.includes(request.target)) return problem('target', `unknown target "${request.target}"`, targets);
      targets = [request.target];
    }
    priority = request.priority ?? def.priority;
  }
  let resolved: ResolvedRun;
  try {
    resolved = resolveRun(def, ask, { allowDisabledSandbox: config.allowDisabledSandbox, models: config.models });
  } catch (error) {
    if (error instanceof RunRejected) return problem(error.field, error.reason, error.allowed);
    throw error;
  }
  const { profile } = resolved;
  if (!deployed.includes(profile)) {
    return problem(ask.sandbox ? 'sandbox' : 'worker', `profile "${profile}" of "${def.type}" is not deployed in this stack`, deployed);
  }
  // The message carries only what the caller chose; the runner resolves it again against its own catalog.
  const sandbox = def.mode === 'headless' && ask.sandbox && ask.sandbox !== def.sandbox ? ask.sandbox : undefined;
  return {
    runs: targets.map((target) => ({
      worker: def.type,
      target,
      profile,
      priority,
      ...(ask.model ? { model: ask.model } : {}),
      ...(sandbox ? { sandbox } : {}),
    })),
  };
}

function problem(field: string, message: string, allowed?: readonly string[]): { problem: InputProblem } {
  return { problem: { field, message, ...(allowed ? { allowed } : {}) } };
}
