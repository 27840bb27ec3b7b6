import { createHash } from 'node:crypto';
import type { Finding, RunResult } from '../../run/types.js';
import type { LocalWorkerContext } from '../types.js';

/** Runs read per consolidation: enough for weeks of scheduled audits. */
const RUNS_READ = 500;

interface MergedFinding extends Finding {
  readonly worker: string;
  readonly target: string;
  occurrences: number;
  firstSeen: string;
  lastSeen: string;
  latestRunId: string;
}

/** The findings of a run's parsed output, when it has a `findings` array. */
function findingsOf(run: RunResult): Finding[] {
  const output = run.parsedOutput as { findings?: unknown } | undefined;
  return Array.isArray(output?.findings) ? (output.findings as Finding[]) : [];
}

/**
 * Identity of a finding across runs: same worker, target, rule, file and code
 * (whitespace-insensitive); the line is only used when there is no evidence,
 * so a finding that moves down a file is still the same finding.
 */
function mergeKey(run: RunResult, finding: Finding): string {
  const code = (finding.evidence ?? '').replace(/\s+/g, ' ').trim();
  const anchor = code || `line:${finding.line}`;
  return createHash('sha256').update([run.worker, run.target, finding.ruleId, finding.file, anchor].join('\u0000')).digest('hex').slice(0, 16);
}

/**
 * Prunes expired results (TTL) and merges the findings repeated across the
 * kept runs into one list with occurrence counts and first/last seen dates.
 */
export async function runConsolidate(context: LocalWorkerContext) {
  const pruned = await context.store.pruneExpired(context.now);
  const runs = (await context.store.list({ limit: RUNS_READ, successfulOnly: true })).filter((run) => run.worker !== 'consolidate');
  const merged = new Map<string, MergedFinding>();
  let findingsRead = 0;
  // Oldest first, so the latest evidence and line win.
  for (const run of [...runs].reverse()) {
    for (const finding of findingsOf(run)) {
      findingsRead++;
      const key = mergeKey(run, finding);
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
  const findings = [...merged.entries()]
    .map(([key, finding]) => ({ key, ...finding }))
    .sort((a, b) => (a.lastSeen < b.lastSeen ? 1 : a.lastSeen > b.lastSeen ? -1 : a.key < b.key ? -1 : 1));
  return {
    summary: `pruned ${pruned} expired result(s); merged ${findingsRead} finding(s) from ${runs.length} run(s) into ${findings.length} distinct`,
    pruned,
    runsRead: runs.length,
    findingsRead,
    duplicatesMerged: findingsRead - findings.length,
    findings,
  };
}
