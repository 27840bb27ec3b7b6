export { RateLimitPause, type RateLimitPauseOptions, type RateLimitPauseState } from './rateLimitPause.js';
export {
  SpendLedger,
  type SpendLedgerOptions,
  type SpendLimits,
  type SpendSummary,
  type SpendVerdict,
} from './spendLedger.js';
export { MODEL_PRICES_PER_MTOK, modelFamilyOf, priceOf, type ModelFamily } from './modelPrices.js';
