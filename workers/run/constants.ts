import type { TokenUsage } from './types.js';

/** Token usage of a run that sent nothing to a model (local runs, failures before launch). */
export const NO_TOKENS: TokenUsage = { input: 0, output: 0, cacheRead: 0, cacheCreation: 0 };
