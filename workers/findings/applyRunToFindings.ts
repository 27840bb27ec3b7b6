import type { Finding } from '../run/types.js';
import type { Suppression } from './suppressions.js';
import { matchSuppression } from './suppressions.js';
import type { FindingRecord, LifecycleChanges, RunCoverage } from './types.js';
import { REPOSITORY_SCOPE } from './types.js';

export interface FingerprintedFinding extends Finding {
  readonly fingerprint: string;
  /** The fingerprint without the file path, when the finding is anchored on code (see findingIdentity). */
  readonly contentFingerprint?: string;
}

export interface RunFindings {
  readonly runId: string;
  readonly worker: string;
  readonly target: string;
  readonly finishedAt: string;
  readonly mode: 'local' | 'headless';
  readonly findings: readonly FingerprintedFinding[];
  readonly coverage: RunCoverage;
}

/**
 * The tracked record a run's finding continues, if any: the record with its
 * fingerprint, else (a rename) an unclaimed record with its content
 * fingerprint whose file is gone or is already this finding's file (renamed
 * in an earlier run, it kept its first fingerprint).
 *
 * @example trackedRecordFor(set.records, finding, new Set(['src/old.ts']))?.fingerprint
 */
export function trackedRecordFor(
  records: readonly FindingRecord[],
  finding: Pick<FingerprintedFinding, 'fingerprint' | 'contentFingerprint' | 'file'>,
  goneFiles: ReadonlySet<string> = new Set(),
  claimed: ReadonlySet<string> = new Set(),
): FindingRecord | undefined {
  const exact = records.find((record) => record.fingerprint === finding.fingerprint);
  if (exact) return claimed.has(exact.fingerprint) ? undefined : exact;
  if (!finding.contentFingerprint) return undefined;
  return records.find(
    (record) =>
      !claimed.has(record.fingerprint) &&
      record.contentFingerprint === finding.contentFingerprint &&
      (record.file === finding.file || goneFiles.has(record.file)),
  );
}

/**
 * Moves every finding of one (target, worker) one run forward:
 * - seen for the first time → new; seen again → open; seen after being fixed → returned;
 * - seen in another file while its own file is gone (a rename or move, matched by
 *   content fingerprint) → the same finding: it keeps its fingerprint, history and
 *   state, and notes the file it came from;
 * - absent from a COMPLETE run of the same kind (local or headless) that covered its
 *   file → fixed (a partial run, one that never looked at the file, or one of the
 *   other kind leaves it as it was);
 * - its file gone when a complete run of any kind or scope ends → fixed;
 * - matching an active suppression → suppressed (kept and counted, not alerted);
 *   when the suppression expires it goes back to the state it would have had.
 */
export function applyRunToFindings(
  previous: readonly FindingRecord[],
  run: RunFindings,
  suppressions: readonly Suppression[],
  now: Date,
): { records: FindingRecord[]; changes: LifecycleChanges } {
  const gone = run.coverage.complete ? (run.coverage.goneFiles ?? new Set<string>()) : new Set<string>();
  const byFingerprint = new Map(previous.map((record) => [record.fingerprint, record] as const));
  const reported = new Set<string>();
  const unique = run.findings.filter((finding) => !reported.has(finding.fingerprint) && reported.add(finding.fingerprint));
  // Exact fingerprints claim their records first; renames match among what is left.
  const claimed = new Set(unique.filter((finding) => byFingerprint.has(finding.fingerprint)).map((finding) => finding.fingerprint));
  const continued = new Map<FingerprintedFinding, FindingRecord | undefined>();
  for (const finding of unique) {
    const before = byFingerprint.get(finding.fingerprint) ?? trackedRecordFor(previous, finding, gone, claimed);
    if (before) claimed.add(before.fingerprint);
    continued.set(finding, before);
  }

  const added: FindingRecord[] = [];
  const returned: FindingRecord[] = [];
  const fixed: FindingRecord[] = [];
  const next = new Map<string, FindingRecord>();

  for (const [finding, before] of continued) {
    const underlying = before ? (unsuppressedState(before) === 'fixed' ? 'returned' : before.runCount > 0 ? 'open' : 'new') : 'new';
    const { ruleId, severity, file, line, message } = finding;
    const renamedFrom = before && before.file !== file ? before.file : before?.renamedFrom;
    const record: FindingRecord = {
      ruleId,
      severity,
      file,
      line,
      message,
      ...(finding.evidence !== undefined ? { evidence: finding.evidence } : {}),
      ...(finding.context !== undefined ? { context: finding.context } : {}),
      fingerprint: before?.fingerprint ?? finding.fingerprint,
      ...(finding.contentFingerprint ? { contentFingerprint: finding.contentFingerprint } : {}),
      ...(renamedFrom ? { renamedFrom } : {}),
      target: run.target,
      worker: run.worker,
      state: underlying,
      detectedBy: run.mode,
      firstSeen: before?.firstSeen ?? run.finishedAt,
      lastSeen: run.finishedAt,
      runCount: (before?.runCount ?? 0) + 1,
      latestRunId: run.runId,
    };
    const final = withSuppression(record, suppressions, now);
    next.set(final.fingerprint, final);
    if (final.state === 'new') added.push(final);
    if (final.state === 'returned') returned.push(final);
  }

  for (const before of previous) {
    if (claimed.has(before.fingerprint)) continue;
    const state = unsuppressedState(before);
    const coveredFile = before.file === REPOSITORY_SCOPE ? run.coverage.repository === true : run.coverage.files.has(before.file);
    const covered = run.coverage.complete && coveredFile && (before.detectedBy ?? run.mode) === run.mode;
    const nowFixed = state !== 'fixed' && (covered || gone.has(before.file));
    const record: FindingRecord = nowFixed ? { ...stripSuppression(before), state: 'fixed', fixedAt: run.finishedAt } : stripSuppression(before);
    const final = withSuppression(record, suppressions, now);
    next.set(final.fingerprint, final);
    if (nowFixed) fixed.push(final);
  }

  const records = [...next.values()].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || (a.fingerprint < b.fingerprint ? -1 : 1)));
  return {
    records,
    changes: {
      new: added,
      returned,
      fixed,
      open: records.filter((r) => r.state === 'open').length,
      suppressed: records.filter((r) => r.state === 'suppressed').length,
    },
  };
}

/** The state a record has when suppressions are set aside. */
function unsuppressedState(record: FindingRecord): FindingRecord['state'] {
  return record.state === 'suppressed' ? (record.stateBeforeSuppression ?? 'open') : record.state;
}

function stripSuppression(record: FindingRecord): FindingRecord {
  if (record.state !== 'suppressed') return record;
  const { suppression: _suppression, stateBeforeSuppression, ...rest } = record;
  return { ...rest, state: stateBeforeSuppression ?? 'open' };
}

/** Re-applies suppressions to stored records (an expired one turns the finding back on). */
export function refreshSuppressions(records: readonly FindingRecord[], suppressions: readonly Suppression[], now: Date): FindingRecord[] {
  return records.map((record) => withSuppression(stripSuppression(record), suppressions, now));
}

function withSuppression(record: FindingRecord, suppressions: readonly Suppression[], now: Date): FindingRecord {
  if (record.state === 'fixed') return record;
  const match = matchSuppression(record, suppressions, now);
  if (!match) return record;
  return {
    ...record,
    state: 'suppressed',
    stateBeforeSuppression: record.state,
    suppression: { reason: match.reason, source: match.source, origin: match.origin, ...(match.until ? { until: match.until } : {}) },
  };
}
