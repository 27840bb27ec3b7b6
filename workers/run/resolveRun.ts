import { MODEL_ALIASES, SANDBOX_MODES } from '../catalog/constants.js';
import type { ExecutionProfile, SandboxMode, WorkerDefinition, WorkerMode } from '../catalog/types.js';
import { resolveModelId } from '../headless/modelIds.js';
import { RunRejected } from './errors.js';

/** What a caller asked of one run: CLI flags, a manual invoke, a task message. */
export interface RunAsk {
  readonly mode?: WorkerMode;
  readonly sandbox?: SandboxMode;
  readonly model?: string;
}

/** The operator settings the decision depends on. */
export interface RunPolicy {
  readonly allowDisabledSandbox: boolean;
  /** Model ids the operator mapped aliases to (`models` in the config). */
  readonly models: Readonly<Partial<Record<string, string>>>;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** What actually runs: the one decision every entry point acts on and every record stores. */
export interface ResolvedRun {
  /** The cloud execution profile (queue, task role) of the run. */
  readonly profile: ExecutionProfile;
  /** The sandbox of a headless run; null for a local worker. */
  readonly sandbox: SandboxMode | null;
  /** The model alias or id asked for (catalog's unless the caller chose), null for a local worker. */
  readonly model: string | null;
  /** The model id sent to the API, null for a local worker. */
  readonly modelId: string | null;
}

/** A model id the API could know: `claude` somewhere in a short token of letters, digits and `.:-_`. */
const MODEL_ID = /^[\w.:-]*claude[\w.:-]*$/;

/** Sandboxes at least as tight as `sandbox`, tightest first. */
export function tighterOrEqualSandboxes(sandbox: SandboxMode): SandboxMode[] {
  return SANDBOX_MODES.slice(0, SANDBOX_MODES.indexOf(sandbox) + 1);
}

/** True when `candidate` is at least as tight as `than`. */
export function isTighterOrEqual(candidate: SandboxMode, than: SandboxMode): boolean {
  return SANDBOX_MODES.indexOf(candidate) <= SANDBOX_MODES.indexOf(than);
}

/**
 * Decides the profile, sandbox and model of one run from the worker's definition
 * (the catalog with the operator's overrides) and what the caller asked. A caller
 * may keep or tighten the sandbox, never loosen it; `disabled` needs the operator's
 * `allowDisabledSandbox`; a model must be an alias or a model id. Every entry point
 * (dispatcher, task runner, engine, CLI dry run) calls this, so none re-derives it.
 * Throws a RunRejected (an InputError) naming the field and the fix.
 *
 * @example
 * resolveRun(audit, { sandbox: 'permissive' }, policy); // InputError: would loosen audit's sandbox (strict)
 */
export function resolveRun(def: WorkerDefinition, ask: RunAsk, policy: RunPolicy): ResolvedRun {
  if (def.mode === 'local' || ask.mode === 'local') {
    if (def.mode === 'local' && ask.sandbox) throw new RunRejected('sandbox', `"${def.type}" is a local worker (no model): it has no sandbox to choose`);
    if (def.mode === 'local' && ask.model) throw new RunRejected('model', `"${def.type}" is a local worker: it uses no model`);
    return { profile: 'local', sandbox: null, model: null, modelId: null };
  }
  const sandbox = ask.sandbox ?? def.sandbox;
  if (!isTighterOrEqual(sandbox, def.sandbox)) {
    throw new RunRejected(
      'sandbox',
      `"${sandbox}" would loosen ${def.type}'s sandbox (${def.sandbox}); a run may only keep or tighten it. To loosen it, set workers.${def.type}.sandbox in the operator's configuration`,
      tighterOrEqualSandboxes(def.sandbox),
    );
  }
  if (sandbox === 'disabled' && !policy.allowDisabledSandbox) {
    throw new RunRejected('sandbox', '"disabled" needs "allowDisabledSandbox": true in the operator\'s configuration; use strict or permissive', ['strict', 'permissive']);
  }
  const model = ask.model?.trim() || def.model;
  const known = (MODEL_ALIASES as readonly string[]).includes(model) || Object.values(policy.models).includes(model) || (model.length <= 128 && MODEL_ID.test(model));
  if (!known) {
    throw new RunRejected('model', `"${model.slice(0, 64)}" is neither a model alias nor a model id such as claude-sonnet-4-5`, MODEL_ALIASES);
  }
  const modelId = resolveModelId(model, { overrides: policy.models, ...(policy.env ? { env: policy.env } : {}) });
  return { profile: sandbox, sandbox, model, modelId };
}
