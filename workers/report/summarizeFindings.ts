import type { FindingRecord, FindingState } from '../findings/types.js';
import type { Finding } from '../run/types.js';
import { REPORT_STATES, SEVERITIES, UNRESOLVED_STATES } from './constants.js';

type Severity = Finding['severity'];

/** Counts of tracked findings by severity and state, with the unresolved total per severity. */
export interface FindingCounts {
  readonly bySeverityAndState: Readonly<Record<Severity, Readonly<Record<FindingState, number>>>>;
  /** new + returned + open, per severity. */
  readonly unresolvedBySeverity: Readonly<Record<Severity, number>>;
  readonly byState: Readonly<Record<FindingState, number>>;
  readonly total: number;
}

/**
 * The severity × state matrix the report opens with.
 *
 * @example countFindings(records).unresolvedBySeverity.critical
 */
export function countFindings(records: readonly FindingRecord[]): FindingCounts {
  const zeroStates = () => Object.fromEntries(REPORT_STATES.map((state) => [state, 0])) as Record<FindingState, number>;
  const bySeverityAndState = Object.fromEntries(SEVERITIES.map((severity) => [severity, zeroStates()])) as Record<Severity, Record<FindingState, number>>;
  const byState = zeroStates();
  for (const record of records) {
    bySeverityAndState[record.severity][record.state] += 1;
    byState[record.state] += 1;
  }
  const unresolvedBySeverity = Object.fromEntries(
    SEVERITIES.map((severity) => [severity, UNRESOLVED_STATES.reduce((sum, state) => sum + bySeverityAndState[severity][state], 0)]),
  ) as Record<Severity, number>;
  return { bySeverityAndState, unresolvedBySeverity, byState, total: records.length };
}

/** A file ranked by its unresolved findings. */
export interface TopFile {
  readonly file: string;
  readonly unresolved: number;
  readonly bySeverity: Readonly<Record<Severity, number>>;
}

/**
 * Files with the most unresolved findings, most severe first on ties.
 *
 * @example topFiles(records, 10)[0]?.file
 */
export function topFiles(records: readonly FindingRecord[], limit: number): TopFile[] {
  const byFile = new Map<string, Record<Severity, number>>();
  for (const record of records) {
    if (!UNRESOLVED_STATES.includes(record.state)) continue;
    const counts = byFile.get(record.file) ?? (Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>);
    counts[record.severity] += 1;
    byFile.set(record.file, counts);
  }
  const ranked = [...byFile].map(([file, bySeverity]) => ({ file, bySeverity, unresolved: SEVERITIES.reduce((sum, s) => sum + bySeverity[s], 0) }));
  const severityKey = (f: TopFile) => SEVERITIES.map((s) => String(f.bySeverity[s]).padStart(6, '0')).join('');
  ranked.sort((a, b) => b.unresolved - a.unresolved || (severityKey(a) < severityKey(b) ? 1 : severityKey(a) > severityKey(b) ? -1 : 0) || (a.file < b.file ? -1 : 1));
  return ranked.slice(0, limit);
}
