import type { FingerprintedFinding } from '../../findings/applyRunToFindings.js';
import { fingerprintFinding } from '../../findings/fingerprintFinding.js';
import { fingerprintFindings } from '../../findings/trackRunFindings.js';
import type { TrackableFinding } from '../../findings/types.js';
import { findingsOf } from '../../findings/workerFindings.js';
import type { RunResult } from '../../run/types.js';
import type { LocalWorkerContext } from '../types.js';

/** Runs read per consolidation: enough for weeks of scheduled audits. */
const RUNS_READ = 500;

/** One finding as consolidate reports it: the latest sighting, with how often and since when it was seen. */
interface MergedFinding extends FingerprintedFinding {
  readonly worker: string;
  readonly target: string;
  occurrences: number;
  firstSeen: string;
  lastSeen: string;
  latestRunId: string;
}

/**
 * The findings of one stored run with the identity the finding tracker gives
 * them: for this repository's runs the fingerprint read from its files (two
 * findings on two different lines stay two, whatever their masked evidence
 * looks like), for another target's runs (a shared cloud store) one made from
 * the rule, file and line (or subject) alone, as its files are not here.
 */
async function identifiedFindings(run: RunResult, context: LocalWorkerContext, linesByFile: Map<string, readonly string[] | null>): Promise<FingerprintedFinding[]> {
  const findings: TrackableFinding[] = findingsOf(run) ?? [];
  if (run.target === context.target) return fingerprintFindings(context.repoDir, findings, linesByFile);
  return findings.map(({ subject, ...finding }) => ({ ...finding, fingerprint: fingerprintFinding({ ruleId: finding.ruleId, file: finding.file, line: finding.line, ...(subject !== undefined ? { subject } : {}) }, null) }));
}

/**
 * Prunes expired results (TTL) and merges the findings repeated across the
 * kept runs into one list with occurrence counts and first/last seen dates.
 * Findings are merged by the fingerprint the finding tracker uses, per
 * (worker, target), so the merged count is the tracker's distinct count. The
 * list is `mergedFindings`, not `findings`: consolidate reports what other
 * workers found and tracks nothing of its own (workerFindings.ts).
 */
export async function runConsolidate(context: LocalWorkerContext) {
  const pruned = await context.store.pruneExpired(context.now);
  const runs = (await context.store.list({ limit: RUNS_READ, successfulOnly: true })).filter((run) => run.worker !== 'consolidate');
  const merged = new Map<string, MergedFinding>();
  const linesByFile = new Map<string, readonly string[] | null>();
  let findingsRead = 0;
  // Oldest first, so the latest evidence and line win.
  for (const run of [...runs].reverse()) {
    for (const finding of await identifiedFindings(run, context, linesByFile)) {
      findingsRead++;
      const key = `${run.worker}\u0000${run.target}\u0000${finding.fingerprint}`;
      const existing = merged.get(key);
      if (existing) {
        Object.assign(existing, { ...finding, worker: run.worker, target: run.target });
        existing.occurrences++;
        existing.lastSeen = run.finishedAt;
        existing.latestRunId = run.runId;
      } else {
        merged.set(key, { ...finding, worker: run.worker, target: run.target, occurrences: 1, firstSeen: run.finishedAt, lastSeen: run.finishedAt, latestRunId: run.runId });
      }
    }
  }
  const mergedFindings = [...merged.values()].sort((a, b) =>
    a.lastSeen < b.lastSeen ? 1 : a.lastSeen > b.lastSeen ? -1 : a.worker < b.worker ? -1 : a.worker > b.worker ? 1 : a.fingerprint < b.fingerprint ? -1 : 1,
  );
  return {
    summary: `pruned ${pruned} expired result(s); merged ${findingsRead} finding(s) from ${runs.length} run(s) into ${mergedFindings.length} distinct`,
    pruned,
    runsRead: runs.length,
    findingsRead,
    duplicatesMerged: findingsRead - mergedFindings.length,
    mergedFindings,
  };
}
