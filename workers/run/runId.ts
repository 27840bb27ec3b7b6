import { randomBytes } from 'node:crypto';

/**
 * A run id that sorts by creation time (to the millisecond, so runs started
 * within one second still list newest first) and says what it is at a glance:
 * `20261125T160102123Z-audit-3fa9c2e1`.
 */
export function newRunId(worker: string, now: Date = new Date()): string {
  return `${runIdStamp(now)}-${worker}-${randomBytes(4).toString('hex')}`;
}

/**
 * Between the target and the rest of a cloud run id. Target names cannot hold
 * it (see TARGET_NAME_PATTERN), so `RUN#api~*` and `outputs/<worker>/api~*`
 * match the runs of target "api" and nothing else (issue 11, case 8: IAM
 * confines a task role to its target's run records and outputs by this prefix).
 */
export const RUN_ID_TARGET_SEPARATOR = '~';

/**
 * A cloud run id: the target first, then a plain run id:
 * `api~20261125T160102123Z-audit-3fa9c2e1`.
 *
 * @example
 * newTargetRunId('api', 'audit') // 'api~20261125T160102123Z-audit-3fa9c2e1'
 */
export function newTargetRunId(target: string, worker: string, now: Date = new Date()): string {
  return `${target}${RUN_ID_TARGET_SEPARATOR}${newRunId(worker, now)}`;
}

/** The time part of a run id: `20261125T160102123Z`. */
export function runIdStamp(at: Date): string {
  return at.toISOString().replace(/[-:.]/g, '');
}

/** Optional `<target>~` (a target name as the config allows it), then stamp, worker and random part. */
const RUN_ID_PATTERN = /^(?:([A-Za-z0-9][A-Za-z0-9._-]{0,63})~)?\d{8}T\d{6}(\d{3})?Z-[A-Za-z0-9_-]+-[0-9a-f]{8}$/;

/** True for ids made by newRunId or newTargetRunId; guards file paths and keys built from a run id. */
export function isRunId(value: string): boolean {
  return RUN_ID_PATTERN.test(value);
}

/**
 * The target a cloud run id names; undefined for a run id without one (local
 * runs) or a value that is not a run id.
 *
 * @example
 * targetOfRunId('api~20261125T160102123Z-audit-3fa9c2e1') // 'api'
 */
export function targetOfRunId(runId: string): string | undefined {
  return RUN_ID_PATTERN.exec(runId)?.[1];
}
