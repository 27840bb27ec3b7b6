export type { ListQuery, RejectedRecord, ResultStore, SaveOutcome } from './ResultStore.js';
export { LocalResultStore, LOCAL_STATE_DIR_NAME } from './LocalResultStore.js';
export { openLocalState, type LocalState, type OpenLocalStateOptions } from './openLocalState.js';
export { defaultStateDir, stateRoot, STATE_ROOT_ENV } from './defaultStateDir.js';
export { guardStateDirInRepository } from './guardStateDirInRepository.js';
export { checkStoredRunRecord, CLOCK_SKEW_ALLOWANCE_MS, type StoredRecordVerdict } from './storedRunRecord.js';
