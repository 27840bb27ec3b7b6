import type { FindingRecord } from '../../workers/findings/index.js';
import type { Finding } from '../../workers/run/types.js';

/** Severities from the most to the least serious: the values `--fail-on` takes. */
export const FAIL_ON_SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const satisfies readonly Finding['severity'][];

export type FailOnSeverity = (typeof FAIL_ON_SEVERITIES)[number];

/** Tracked states that still need attention: suppressed and fixed findings do not fail a run. */
const UNRESOLVED_STATES: ReadonlySet<FindingRecord['state']> = new Set(['new', 'returned', 'open']);

/**
 * The tracked findings that make `run --fail-on <severity>` exit 1: unresolved
 * (new, returned, open) and at or above the threshold. Tracked findings, not the
 * run's raw output, so an incremental run that re-read one file still fails on
 * the problems it carried over, and a suppressed finding never fails it.
 *
 * @example findingsAtOrAbove(records, 'high').length > 0; // exit 1
 */
export function findingsAtOrAbove(records: readonly FindingRecord[], threshold: FailOnSeverity): FindingRecord[] {
  const limit = FAIL_ON_SEVERITIES.indexOf(threshold);
  return records.filter((record) => UNRESOLVED_STATES.has(record.state) && FAIL_ON_SEVERITIES.indexOf(record.severity) <= limit);
}
