export { RateLimitPause, type RateLimitPauseOptions, type RateLimitPauseState } from './rateLimitPause.js';
export {
  SpendLedger,
  type SpendLedgerOptions,
  type SpendLimits,
  type SpendSummary,
  type SpendVerdict,
} from './spendLedger.js';
