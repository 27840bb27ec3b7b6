import { KEY_PREFIX, TABLE } from '../cloud/index.js';
import type { RunResult } from '../run/types.js';
import type { CloudRunResult, PendingRun, StoredRun } from './types.js';

/** Sort key of a run record (pk = RUN#<runId>). */
export const RUN_SORT_KEY = 'RUN';

/** On a final record written under a lease: the task that wrote it (tells its own retried write from another task's). */
export const WRITTEN_BY = 'writtenBy';

/** Attributes that organise the table (keys, index keys, lease) and are not part of a record. */
const TABLE_ATTRIBUTES = new Set<string>([
  TABLE.partitionKey,
  TABLE.sortKey,
  TABLE.byWorkerIndex.partitionKey,
  TABLE.byWorkerIndex.sortKey,
  TABLE.byStatusIndex.partitionKey,
  TABLE.byStatusIndex.sortKey,
  'leaseOwner',
  'leaseUntil',
  WRITTEN_BY,
  'parsedOutputJson',
]);

/** The order fields are shown in (DynamoDB keeps no order): identity, outcome, timing, output, accounting, notes. */
const FIELD_ORDER = [
  'runId', 'worker', 'target', 'status', 'success', 'mode', 'requestedMode', 'fallbackReason', 'error',
  'source', 'priority', 'profile', 'queuedAt', 'startedAt', 'finishedAt', 'durationMs', 'attempts', 'runningSince', 'heartbeatAt', 'taskArn',
  'model', 'sandboxMode', 'sandbox', 'outputFormat', 'output', 'parsedOutput', 'outputError', 'outputLocation',
  'tokens', 'costUsd', 'numTurns', 'violations', 'context', 'chainedInputs', 'interruption', 'deadLetter', 'poison', 'expiresAt',
];

/** Primary key of a run's item. */
export function runKey(runId: string): Record<string, string> {
  return { [TABLE.partitionKey]: `${KEY_PREFIX.run}${runId}`, [TABLE.sortKey]: RUN_SORT_KEY };
}

/** Partition of the `byWorker` index for a worker. */
export function workerIndexKey(worker: string): string {
  return `${KEY_PREFIX.worker}${worker}`;
}

/** Sort key in the `byWorker` and `byStatus` indexes: time first, so newest-first is a reverse query. */
export function timeIndexSortKey(at: string, runId: string): string {
  return `${at}#${runId}`;
}

/**
 * The attributes of a final record. `parsedOutput` is stored as JSON text:
 * a model's answer can hold anything (empty keys, deep nesting) and must come
 * back exactly as it went in.
 */
export function finalAttributes(result: CloudRunResult): Record<string, unknown> {
  const { parsedOutput, ...rest } = result;
  const attributes: Record<string, unknown> = { ...rest };
  if (parsedOutput !== undefined) attributes.parsedOutputJson = JSON.stringify(parsedOutput);
  return attributes;
}

/** A stored item back to the record it holds. */
export function itemToRun(item: Record<string, unknown>): StoredRun {
  const record: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(item)) if (!TABLE_ATTRIBUTES.has(name)) record[name] = value;
  if (typeof item.parsedOutputJson === 'string') {
    try {
      record.parsedOutput = JSON.parse(item.parsedOutputJson);
    } catch {
      record.outputError = record.outputError ?? 'stored parsed output is not valid JSON';
    }
  }
  const ordered: Record<string, unknown> = {};
  for (const name of FIELD_ORDER) if (name in record) ordered[name] = record[name];
  for (const [name, value] of Object.entries(record)) if (!(name in ordered)) ordered[name] = value;
  return ordered as unknown as StoredRun;
}

/** Size in bytes of an item as DynamoDB roughly counts it (names and values as JSON text). */
export function approximateItemBytes(attributes: Record<string, unknown>): number {
  return Buffer.byteLength(JSON.stringify(attributes));
}

/** True for a final record (SUCCEEDED, FAILED, ...), false for QUEUED or RUNNING. */
export function isFinalStatus(status: unknown): boolean {
  return typeof status === 'string' && status !== 'QUEUED' && status !== 'RUNNING';
}

export type { CloudRunResult, PendingRun, RunResult };
