import { SANDBOX_MODES } from '../../workers/catalog/constants.js';
import { executionProfileOf } from '../../workers/catalog/executionProfile.js';
import type { ExecutionProfile, Priority, SandboxMode, WorkerDefinition } from '../../workers/catalog/types.js';
import type { ResolvedConfig } from '../../workers/config/index.js';
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
 * Sandboxes a caller may ask for instead of the worker's own: the same or
 * tighter (strict < permissive < disabled), never looser.
 *
 * @example
 * tighterOrEqualSandboxes('permissive'); // ['strict', 'permissive']
 */
export function tighterOrEqualSandboxes(sandbox: SandboxMode): SandboxMode[] {
  return SANDBOX_MODES.slice(0, SANDBOX_MODES.indexOf(sandbox) + 1);
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
  let sandbox: SandboxMode | undefined;
  let model: string | undefined;
  let priority: Priority = def.priority;
  if (request.kind === 'run') {
    if (request.target !== undefined) {
      if (!targets.includes(request.target)) return problem('target', `unknown target "${request.target}"`, targets);
      targets = [request.target];
    }
    const options = runOptions(def, request);
    if ('problem' in options) return options;
    ({ sandbox, model } = options);
    priority = request.priority ?? def.priority;
  }
  const profile = executionProfileOf(def.mode === 'headless' ? { ...def, sandbox: sandbox ?? def.sandbox } : def);
  if (!deployed.includes(profile)) {
    return problem(sandbox ? 'sandbox' : 'worker', `profile "${profile}" of "${def.type}" is not deployed in this stack`, deployed);
  }
  return {
    runs: targets.map((target) => ({
      worker: def.type,
      target,
      profile,
      priority,
      ...(model ? { model } : {}),
      ...(sandbox ? { sandbox } : {}),
    })),
  };
}

function runOptions(
  def: WorkerDefinition,
  request: Extract<DispatchRequest, { kind: 'run' }>,
): { sandbox?: SandboxMode; model?: string } | { problem: InputProblem } {
  if (def.mode === 'local') {
    if (request.sandbox) return problem('sandbox', `"${def.type}" is a local worker (no model): it has no sandbox to choose`);
    if (request.model) return problem('model', `"${def.type}" is a local worker: it uses no model`);
    return {};
  }
  if (request.sandbox) {
    const allowed = tighterOrEqualSandboxes(def.sandbox);
    if (!allowed.includes(request.sandbox)) {
      return problem('sandbox', `"${request.sandbox}" would loosen ${def.type}'s sandbox (${def.sandbox}); a caller may only keep or tighten it`, allowed);
    }
  }
  return { ...(request.sandbox && request.sandbox !== def.sandbox ? { sandbox: request.sandbox } : {}), ...(request.model ? { model: request.model } : {}) };
}

function problem(field: string, message: string, allowed?: readonly string[]): { problem: InputProblem } {
  return { problem: { field, message, ...(allowed ? { allowed } : {}) } };
}
