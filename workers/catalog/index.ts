export * from './constants.js';
export type * from './types.js';
export { BUILTIN_WORKERS } from './builtinCatalog.js';
export { AUDIT_OUTPUT_SCHEMA, PREDICT_OUTPUT_SCHEMA, ULTRALEARN_OUTPUT_SCHEMA } from './outputSchemas.js';
export { PROMPT_TEMPLATES } from './promptTemplates.js';
export { executionProfileOf } from './executionProfile.js';
export { describeWorker, type WorkerDescription } from './describeWorker.js';
