export { awsClientConfig, s3ClientConfig, type AwsClientOptions } from './awsClientConfig.js';
export { createDocumentClient } from './documentClient.js';
export { DynamoResultStore, type DynamoResultStoreOptions, type ReadOptions, type RunLease } from './DynamoResultStore.js';
export { LeaseLostError } from './LeaseLostError.js';
export { DynamoRunTable, type DynamoRunTableOptions } from './DynamoRunTable.js';
export { RunRecords, type ClaimOutcome, type RunRecordsOptions } from './RunRecords.js';
export { IdempotencyKeys, type ClaimResult, type IdempotencyState } from './IdempotencyKeys.js';
export { isConditionFailure } from './conditionFailure.js';
export { buildUpdate } from './updateExpression.js';
export {
  TASK_MESSAGE_VERSION,
  TARGET_NAME_PATTERN,
  WORKER_NAME_PATTERN,
  parseTaskMessage,
  serializeTaskMessage,
  taskMessageSchema,
  type TaskMessage,
  type UnreadableTaskMessage,
} from './taskMessage.js';
export { isFinalRun } from './types.js';
export type { CloudRunResult, DeadLetterNote, OutputLocation, PendingRun, PipelineFields, PoisonNote, QueuedRun, StoredRun } from './types.js';
export { createJsonLogger, type JsonLogger, type LogLevel } from './jsonLogger.js';
export { isErrorResponse } from './dispatcherApi.js';
export type {
  CapacityOutcome,
  DispatchResponse,
  DispatcherResponse,
  DryRunResponse,
  ErrorResponse,
  InputProblem,
  PlannedMessage,
  ProfileStatus,
  QueueDepth,
  ReconcileResponse,
  ResultsResponse,
  RunResponse,
  StatusResponse,
  TriggerPayload,
  WorkerStatus,
} from './dispatcherApi.js';
export { readClaimedOutput, withClaimedOutput, type ClaimedOutput } from './claimedOutput.js';
export { DynamoFindingStore, FINDING_SET_SORT_KEY, FINDING_SETS_INDEX_KEY, findingPartitionKey, type DynamoFindingStoreOptions } from './DynamoFindingStore.js';
export {
  AnnouncingFindingStore,
  announcedFindings,
  FINDING_EVENT_SOURCE,
  FINDING_EVENT_TYPES,
  findingEventType,
  FindingEventPublisher,
  findingEventDetail,
  type FindingEventOutbox,
  type PendingFindingEvent,
  type SendOutcome,
} from './FindingEvents.js';
export { DynamoSpendLedger, type DynamoSpendLedgerOptions } from './DynamoSpendLedger.js';
export { DynamoModelPause, type DynamoModelPauseOptions } from './DynamoModelPause.js';
