import { randomBytes } from 'node:crypto';

/**
 * A run id that sorts by creation time (to the millisecond, so runs started
 * within one second still list newest first) and says what it is at a glance:
 * `20261125T160102123Z-audit-3fa9c2e1`.
 */
export function newRunId(worker: string, now: Date = new Date()): string {
  return `${runIdStamp(now)}-${worker}-${randomBytes(4).toString('hex')}`;
}

/** The time part of a run id: `20261125T160102123Z`. */
export function runIdStamp(at: Date): string {
  return at.toISOString().replace(/[-:.]/g, '');
}

const RUN_ID_PATTERN = /^\d{8}T\d{6}(\d{3})?Z-[A-Za-z0-9_-]+-[0-9a-f]{8}$/;

/** True for ids made by newRunId; guards file paths and keys built from a run id. */
export function isRunId(value: string): boolean {
  return RUN_ID_PATTERN.test(value);
}
