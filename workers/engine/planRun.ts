import type { HeadlessWorkerDefinition } from '../catalog/types.js';
import { estimateInputTokens } from '../headless/index.js';
import { priceOf } from '../spend/index.js';
import { preparePrompt, type PreparedPrompt } from './preparePrompt.js';
import type { EngineOptions, RunRequest } from './types.js';

/** What `run --dry-run` reports: what would be sent and what it would cost, with nothing run or stored. */
export interface RunPlan {
  readonly worker: string;
  readonly target: string;
  readonly mode: 'headless';
  readonly model: string;
  readonly sandbox: string;
  readonly context: PreparedPrompt['context'];
  readonly chainedInputs: PreparedPrompt['chainedInputs'];
  readonly chainNotes: readonly string[];
  readonly promptChars: number;
  /** Input tokens of the first request (prompt plus what Claude Code adds). */
  readonly estimatedInputTokens: number;
  /** The worker's output cap for one answer. */
  readonly maxOutputTokens: number;
  /** First request at list price, output at its cap; null for a model without a known price. */
  readonly estimatedCostUsd: { readonly firstRequestInput: number | null; readonly outputAtCap: number | null };
  /** The run stops here whatever happens (`--max-budget-usd`). */
  readonly budgetCapUsd: number;
  /** The prompt itself, so a user can read exactly what would be sent. */
  readonly prompt: string;
}

/**
 * Builds the prompt a headless run would send and estimates its tokens and
 * cost, without starting Claude Code or storing anything.
 */
export async function planRun(def: HeadlessWorkerDefinition, request: RunRequest, target: string, engine: EngineOptions): Promise<RunPlan> {
  const prepared = await preparePrompt(def, request, target, engine);
  const schema = def.outputFormat === 'json' ? def.outputSchema : undefined;
  const estimatedInputTokens = estimateInputTokens(prepared.prompt, prepared.sandbox, schema);
  return {
    worker: def.type,
    target,
    mode: 'headless',
    model: prepared.modelId,
    sandbox: prepared.sandbox,
    context: prepared.context,
    chainedInputs: prepared.chainedInputs,
    chainNotes: prepared.chainNotes,
    promptChars: prepared.prompt.length,
    estimatedInputTokens,
    maxOutputTokens: def.maxOutputTokens,
    estimatedCostUsd: {
      firstRequestInput: priceOf(prepared.modelId, estimatedInputTokens, 0),
      outputAtCap: priceOf(prepared.modelId, 0, def.maxOutputTokens),
    },
    budgetCapUsd: def.maxBudgetUsd,
    prompt: prepared.prompt,
  };
}
