import { MODEL_ALIASES } from '../catalog/constants.js';
import type { ModelAlias } from '../catalog/types.js';

/**
 * Model ids the pinned Claude Code (2.1.332) resolves its own aliases to: measured by
 * running `claude -p --model haiku|sonnet|opus` against the fake model server and
 * reading the `model` of the request it sent. Pinning the ids (instead of passing the
 * alias) keeps a run's model stable and recorded even when the CLI's aliases move.
 */
export const DEFAULT_MODEL_IDS: Readonly<Record<ModelAlias, string>> = {
  haiku: 'claude-haiku-5-5',
  sonnet: 'claude-sonnet-5-5',
  opus: 'claude-opus-5-5',
};

/** True for the catalog's model aliases (`haiku`, `sonnet`, `opus`). */
export const isModelAlias = (value: string): value is ModelAlias => (MODEL_ALIASES as readonly string[]).includes(value);

/** Name of the environment variable that overrides one alias, e.g. `HW_MODEL_HAIKU`. */
export const modelEnvVar = (alias: ModelAlias): string => `HW_MODEL_${alias.toUpperCase()}`;

export interface ResolveModelIdOptions {
  /** Ids for some aliases, e.g. from the user's config: `{ sonnet: 'claude-sonnet-4-6' }`. */
  readonly overrides?: Partial<Record<ModelAlias, string>>;
  /** Environment to read `HW_MODEL_<ALIAS>` from; defaults to `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/**
 * Turns a catalog alias into a model id; a full model id passes through unchanged.
 * Precedence: `HW_MODEL_<ALIAS>` (deployment-time, most specific) > `overrides` > built-in.
 *
 * @example
 * resolveModelId('haiku'); // 'claude-haiku-5-5'
 * resolveModelId('sonnet', { overrides: { sonnet: 'claude-sonnet-4-6' } }); // 'claude-sonnet-4-6'
 * resolveModelId('claude-opus-4-8'); // 'claude-opus-4-8'
 */
export const resolveModelId = (modelOrAlias: string, options: ResolveModelIdOptions = {}): string => {
  const requested = modelOrAlias.trim();
  if (!isModelAlias(requested)) return requested;
  const env = options.env ?? process.env;
  const fromEnv = env[modelEnvVar(requested)]?.trim();
  if (fromEnv) return fromEnv;
  const fromOverrides = options.overrides?.[requested]?.trim();
  if (fromOverrides) return fromOverrides;
  return DEFAULT_MODEL_IDS[requested];
};
