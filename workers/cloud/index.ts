export { ENV, METRICS, METRIC_NAMESPACE, WORKER_CONTAINER_NAME } from './runtimeEnvironment.js';
export { KEY_PREFIX, TABLE, outputObjectKey } from './tableDesign.js';
export { DEFAULT_STACK_NAME, STACK_OUTPUTS } from './stackOutputs.js';
export { WORKERS_READING_EVERY_RESULT, workersReadBy, workersServedBy } from './profileWorkers.js';
export { laneKey, laneNames, targetSlug, type LaneNames } from './targetLanes.js';
