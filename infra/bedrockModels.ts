import { MODEL_ALIASES } from '../workers/catalog/constants.js';
import type { Catalog, ModelAlias } from '../workers/catalog/index.js';
import { isModelAlias, modelEnvVar, resolveModelId } from '../workers/headless/modelIds.js';
import { BEDROCK_MODEL_REFERENCE } from './deployConfig.js';

/**
 * Bedrock model ids of first-party model ids: the catalog's defaults (DEFAULT_MODEL_IDS) and the
 * ids whose Bedrock form AWS documents. Since Claude 4.6 the Bedrock model id is the first-party
 * id behind `anthropic.` with no date or version suffix (`anthropic.claude-sonnet-4-6`), and a
 * cross-region inference profile id puts the geography in front (`jp.anthropic.claude-sonnet-4-6`).
 * Check a deployment's with `aws bedrock list-inference-profiles`; `deploy.auth.modelIds` overrides.
 */
export const BEDROCK_MODEL_IDS: Readonly<Record<string, string>> = {
  'claude-haiku-5-5': 'anthropic.claude-haiku-5-5',
  'claude-sonnet-5-5': 'anthropic.claude-sonnet-5-5',
  'claude-opus-5-5': 'anthropic.claude-opus-5-5',
  'claude-sonnet-4-6': 'anthropic.claude-sonnet-4-6',
};

/** The prefix of the cross-region inference profiles a region's calls go through. */
export type InferenceGeography = 'us' | 'us-gov' | 'eu' | 'apac' | 'global';

/**
 * The inference profile geography for a stack region: its own geography's profile (`us.`,
 * `eu.`, `apac.`, `us-gov.`) keeps requests in that geography; other commercial regions
 * (Canada, South America, Middle East, Africa...) use the `global.` profile. Regions with no
 * Anthropic models on Bedrock (China, ISO partitions) have none.
 *
 * @example inferenceGeography('eu-central-1'); // 'eu'
 * @example inferenceGeography('cn-north-1'); // undefined
 */
export function inferenceGeography(region: string): InferenceGeography | undefined {
  if (region.startsWith('us-gov-')) return 'us-gov';
  if (region.startsWith('cn-') || region.includes('-iso')) return undefined;
  if (region.startsWith('us-')) return 'us';
  if (region.startsWith('eu-')) return 'eu';
  if (region.startsWith('ap-')) return 'apac';
  return 'global';
}

export interface BedrockModelPlan {
  /** Variables for the tasks and the dispatcher: HW_MODEL_<ALIAS> (what the workers run) and ANTHROPIC_DEFAULT_<ALIAS>_MODEL (Claude Code's own choice, e.g. its background haiku calls). */
  readonly environment: Record<string, string>;
  /** Config errors naming the field and the fix. */
  readonly problems: string[];
}

/**
 * What a Bedrock deployment calls for each model alias, checked at synth: every alias
 * resolves (config `models` first) to a first-party id that is mapped, by `deploy.auth.modelIds`
 * or the default table with the region's geography, or is already a Bedrock reference; a
 * worker naming a first-party id directly must name a Bedrock one instead.
 * `region` undefined (an environment-agnostic synth) takes the `global.` profiles.
 *
 * @example bedrockModelPlan({ catalog, models: {}, modelIds: {}, region: 'eu-west-1' }).environment.HW_MODEL_HAIKU; // 'eu.anthropic.claude-haiku-5-5'
 */
export function bedrockModelPlan(input: {
  readonly catalog: Catalog;
  readonly models: Partial<Record<ModelAlias, string>>;
  readonly modelIds: Readonly<Record<string, string>>;
  readonly region: string | undefined;
}): BedrockModelPlan {
  const problems: string[] = [];
  const environment: Record<string, string> = {};
  const geography = input.region === undefined ? 'global' : inferenceGeography(input.region);
  if (geography === undefined) {
    return { environment, problems: [`deploy.auth.mode: Anthropic models are not offered on Bedrock in ${input.region}; deploy to a commercial or GovCloud region, or use "api-key"`] };
  }
  const bedrockIdOf = (id: string): string | undefined => {
    if (BEDROCK_MODEL_REFERENCE.test(id)) return id;
    const override = input.modelIds[id];
    if (override) return override;
    const model = BEDROCK_MODEL_IDS[id];
    return model ? `${geography}.${model}` : undefined;
  };
  for (const alias of MODEL_ALIASES) {
    const firstParty = resolveModelId(alias, { overrides: input.models, env: {} });
    const bedrockId = bedrockIdOf(firstParty);
    if (!bedrockId) {
      const field = input.models[alias] ? `models.${alias} ("${firstParty}")` : `the ${alias} model ("${firstParty}")`;
      problems.push(
        `deploy.auth.modelIds: ${field} has no Bedrock id for ${input.region ?? 'this region'}; add "${firstParty}": "<geography>.anthropic.${firstParty}" (see aws bedrock list-inference-profiles) or set models.${alias} to a Bedrock inference profile id`,
      );
      continue;
    }
    environment[modelEnvVar(alias)] = bedrockId;
    environment[`ANTHROPIC_DEFAULT_${alias.toUpperCase()}_MODEL`] = bedrockId;
  }
  for (const worker of input.catalog.values()) {
    if (worker.mode !== 'headless' || !worker.enabled || isModelAlias(worker.model) || BEDROCK_MODEL_REFERENCE.test(worker.model)) continue;
    const suggestion = bedrockIdOf(worker.model);
    problems.push(
      `workers.${worker.type}.model: "${worker.model}" is a first-party model id, which Bedrock does not serve; use an alias (${MODEL_ALIASES.join(', ')}) or a Bedrock inference profile id such as "${suggestion ?? `${geography}.anthropic.${worker.model}`}"`,
    );
  }
  return { environment, problems };
}
