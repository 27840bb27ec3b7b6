export type { ListQuery, ResultStore, SaveOutcome } from './ResultStore.js';
export { LocalResultStore, LOCAL_STATE_DIR_NAME } from './LocalResultStore.js';
export { openLocalState } from './openLocalState.js';
