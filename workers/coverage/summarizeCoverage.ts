import type { HeadlessWorkerDefinition } from '../catalog/types.js';
import type { ExclusionReason, RunResult } from '../run/types.js';
import { nextBacklogSlice, orderBacklog, type BacklogItem } from './orderBacklog.js';
import { reviewCandidates } from './reviewCandidates.js';
import type { ReviewLedger } from './types.js';

/** Most paths listed per kind (stale, never shown); the counts are always whole. */
const MAX_LISTED = 50;

export interface DirectoryCoverage {
  readonly directory: string;
  readonly files: number;
  readonly reviewedFiles: number;
  readonly chars: number;
  readonly reviewedChars: number;
}

export interface CoverageSummary {
  readonly target: string;
  readonly worker: string;
  readonly relevant: { readonly files: number; readonly chars: number };
  /** Reviewed and unchanged since (whole or partly): `partial` counts those seen only in part. */
  readonly reviewed: { readonly files: number; readonly chars: number; readonly partial: number; readonly fileShare: number; readonly charShare: number };
  readonly byDirectory: readonly DirectoryCoverage[];
  /** Changed since the model last saw them. */
  readonly stale: { readonly count: number; readonly files: readonly { readonly path: string; readonly reviewedAt: string; readonly runId: string }[] };
  /**
   * Files never shown and why: `budget` for relevant files no run has reached
   * yet; the others (too large, binary, generated, excluded by the listing) can
   * never be shown by the context and are not counted as relevant.
   */
  readonly neverShown: { readonly count: number; readonly byReason: Readonly<Partial<Record<ExclusionReason, number>>>; readonly files: readonly { readonly path: string; readonly reason: ExclusionReason }[] };
  /** The files the next incremental run takes (none: the run is SKIPPED). */
  readonly nextSlice: { readonly files: number; readonly chars: number; readonly paths: readonly string[] };
  readonly estimate: {
    readonly budgetChars: number;
    /** ⌈chars still due (stale + never reviewed) / budget⌉. */
    readonly runsToFullCoverage: number;
    /** ⌈relevant chars / budget⌉: runs from an empty ledger. */
    readonly runsFromScratch: number;
    /** Mean cost of the stored headless runs of this (target, worker); null when none is known. */
    readonly meanRunCostUsd: number | null;
    readonly costToFullCoverageUsd: number | null;
    readonly storedRunsCosted: number;
  };
}

/**
 * What the model has seen of a repository for one worker: shares of relevant
 * files and characters reviewed (overall and by top-level directory), stale
 * reviews, files never shown and why, and the runs and cost to full coverage
 * at the worker's context budget.
 *
 * @example const summary = await summarizeCoverage({ def, target: 'api', repoDir, stateDir, ledger, runs });
 */
export async function summarizeCoverage(options: {
  readonly def: HeadlessWorkerDefinition;
  readonly target: string;
  readonly repoDir: string;
  readonly stateDir: string;
  readonly ledger: ReviewLedger;
  /** Stored runs of this (target, worker), any order: their mean cost prices the estimate. */
  readonly runs: readonly RunResult[];
}): Promise<CoverageSummary> {
  const { def } = options;
  const [candidates, reviews] = await Promise.all([reviewCandidates(def, options.repoDir, options.stateDir), options.ledger.read(options.target, def.type)]);
  const backlog = orderBacklog(candidates.ranked, reviews);
  const reviewed = backlog.items.filter((item) => item.state === 'reviewed');
  const stale = backlog.items.filter((item) => item.state === 'changed');
  const never = backlog.items.filter((item) => item.state === 'never');
  const sum = (items: readonly BacklogItem[]): number => items.reduce((n, item) => n + item.chars, 0);
  const relevantChars = sum(backlog.items);
  const neverShown = [...never.map((item) => ({ path: item.path, reason: 'budget' as ExclusionReason })), ...candidates.neverShown];
  const byReason: Partial<Record<ExclusionReason, number>> = {};
  for (const entry of neverShown) byReason[entry.reason] = (byReason[entry.reason] ?? 0) + 1;
  const slice = nextBacklogSlice(backlog, def.contextBudgetChars);
  const costed = options.runs.filter((run) => run.mode === 'headless' && run.numTurns > 0 && Number.isFinite(run.costUsd));
  const meanRunCostUsd = costed.length > 0 ? costed.reduce((n, run) => n + run.costUsd, 0) / costed.length : null;
  const runsToFullCoverage = Math.ceil((sum(stale) + sum(never)) / def.contextBudgetChars);
  return {
    target: options.target,
    worker: def.type,
    relevant: { files: backlog.items.length, chars: relevantChars },
    reviewed: {
      files: reviewed.length,
      chars: sum(reviewed),
      partial: reviewed.filter((item) => !item.review!.whole).length,
      fileShare: share(reviewed.length, backlog.items.length),
      charShare: share(sum(reviewed), relevantChars),
    },
    byDirectory: byDirectory(backlog.items),
    stale: { count: stale.length, files: stale.slice(0, MAX_LISTED).map((item) => ({ path: item.path, reviewedAt: item.review!.reviewedAt, runId: item.review!.runId })) },
    neverShown: { count: neverShown.length, byReason, files: neverShown.slice(0, MAX_LISTED) },
    nextSlice: { files: slice.length, chars: sum(slice), paths: slice.map((item) => item.path) },
    estimate: {
      budgetChars: def.contextBudgetChars,
      runsToFullCoverage,
      runsFromScratch: Math.ceil(relevantChars / def.contextBudgetChars),
      meanRunCostUsd,
      costToFullCoverageUsd: meanRunCostUsd === null ? null : meanRunCostUsd * runsToFullCoverage,
      storedRunsCosted: costed.length,
    },
  };
}

function share(part: number, whole: number): number {
  return whole === 0 ? 1 : Math.round((part / whole) * 10_000) / 10_000;
}

/** Coverage by top-level directory (`.` for files at the root), directory order. */
function byDirectory(items: readonly BacklogItem[]): DirectoryCoverage[] {
  const dirs = new Map<string, { files: number; reviewedFiles: number; chars: number; reviewedChars: number }>();
  for (const item of items) {
    const slash = item.path.indexOf('/');
    const directory = slash === -1 ? '.' : item.path.slice(0, slash);
    const dir = dirs.get(directory) ?? { files: 0, reviewedFiles: 0, chars: 0, reviewedChars: 0 };
    dir.files += 1;
    dir.chars += item.chars;
    if (item.state === 'reviewed') {
      dir.reviewedFiles += 1;
      dir.reviewedChars += item.chars;
    }
    dirs.set(directory, dir);
  }
  return [...dirs.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([directory, dir]) => ({ directory, ...dir }));
}
