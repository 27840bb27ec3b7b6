/** List prices in USD per million tokens, by model family (Anthropic API, 2026). */
export const MODEL_PRICES_PER_MTOK = {
  haiku: { input: 1, output: 5 },
  sonnet: { input: 3, output: 15 },
  opus: { input: 5, output: 25 },
} as const;

export type ModelFamily = keyof typeof MODEL_PRICES_PER_MTOK;

/** The family of a model id (`claude-haiku-5-5` → haiku), or null for an unknown model. */
export function modelFamilyOf(modelId: string): ModelFamily | null {
  const match = /(haiku|sonnet|opus)/i.exec(modelId);
  return match ? (match[1]!.toLowerCase() as ModelFamily) : null;
}

/** USD for a number of input and output tokens at a model's list price; null for an unknown model. */
export function priceOf(modelId: string, inputTokens: number, outputTokens: number): number | null {
  const family = modelFamilyOf(modelId);
  if (!family) return null;
  const price = MODEL_PRICES_PER_MTOK[family];
  return (inputTokens * price.input + outputTokens * price.output) / 1_000_000;
}
