import type { FindingRecord } from '../findings/types.js';
import type { Finding } from '../run/types.js';
import { SEVERITIES } from './constants.js';
import type { ReportRun } from './types.js';

type Severity = Finding['severity'];

/** The findings picture after one finding-tracking run. */
export interface TrendPoint {
  readonly runId: string;
  readonly worker: string;
  readonly target: string;
  readonly finishedAt: string;
  /** What the run moved (its recorded findingSummary). */
  readonly new: number;
  readonly returned: number;
  readonly fixed: number;
  /** Unresolved findings of the run's (target, worker) by severity just after it (see `unresolvedAt`). */
  readonly unresolvedBySeverity: Readonly<Record<Severity, number>>;
}

/**
 * One point per run that tracked findings (it has a findingSummary), oldest
 * first. The severity split is read back from the records' first sighting and
 * fix: a finding counts from `firstSeen` until `fixedAt`; one suppressed now is
 * left out of every point; one fixed and later returned counts over the gap
 * too (records keep only their latest fix).
 *
 * @example findingTrend(runs, records).map((p) => p.new)
 */
export function findingTrend(runs: readonly ReportRun[], records: readonly FindingRecord[]): TrendPoint[] {
  return runs
    .filter((run) => run.findingSummary !== undefined)
    .sort((a, b) => (a.finishedAt < b.finishedAt ? -1 : a.finishedAt > b.finishedAt ? 1 : 0))
    .map((run) => {
      const mine = records.filter((record) => record.target === run.target && record.worker === run.worker);
      const unresolvedBySeverity = Object.fromEntries(
        SEVERITIES.map((severity) => [severity, mine.filter((record) => record.severity === severity && unresolvedAt(record, run.finishedAt)).length]),
      ) as Record<Severity, number>;
      const summary = run.findingSummary!;
      return { runId: run.runId, worker: run.worker, target: run.target, finishedAt: run.finishedAt, new: summary.new, returned: summary.returned, fixed: summary.fixed, unresolvedBySeverity };
    });
}

/** True when the record was seen by `at` and not fixed by then (and is not suppressed now). */
export function unresolvedAt(record: FindingRecord, at: string): boolean {
  if (record.state === 'suppressed') return false;
  if (record.firstSeen > at) return false;
  return !(record.fixedAt !== undefined && record.fixedAt <= at && record.state === 'fixed');
}
