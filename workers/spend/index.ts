export type {
  GrantedReservation,
  ModelPause,
  ModelPauseState,
  RunUsage,
  SpendLedger,
  SpendLimits,
  SpendReservation,
  SpendSummary,
  SpendVerdict,
} from './types.js';
export { FileSpendLedger, type FileSpendLedgerOptions } from './FileSpendLedger.js';
export { FileModelPause, type FileModelPauseOptions } from './FileModelPause.js';
export { capVerdict, type SpendFigures } from './capVerdict.js';
export { activePause, DEFAULT_PAUSE_BACKOFF, DEFAULT_PAUSE_REASON, NO_PAUSE, nextPause, normalizePauseRecord, type PauseBackoff, type PauseRecord } from './pauseStep.js';
export { dayKey, hourKey, nextDayStart, nextHourStart, roundUsd } from './spendCalendar.js';
export { MODEL_PRICES_PER_MTOK, modelFamilyOf, priceOf, type ModelFamily } from './modelPrices.js';
