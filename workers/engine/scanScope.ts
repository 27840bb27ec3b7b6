import type { ResolvedConfig } from '../config/index.js';
import { gitChangedFiles } from '../context/gitChangedFiles.js';
import { readGitHead } from '../context/gitHead.js';
import { lastShownHashes, unchangedSinceShown } from './contentHashes.js';
import type { RunResult } from '../run/types.js';
import type { ResultStore } from '../store/ResultStore.js';
import { CLOCK_SKEW_ALLOWANCE_MS } from '../store/storedRunRecord.js';

export type ScanScope = NonNullable<RunResult['scan']> & {
  /** For an incremental scan: the only files that may go into the context. */
  readonly onlyFiles?: ReadonlySet<string>;
};

const DAY_MS = 86_400_000;

/**
 * Decides whether a headless run scans everything or only what changed since
 * the last complete run of the same (worker, target). Full when: incremental
 * scans are off or not asked for, the target is not a git checkout, there is
 * no earlier complete run with a commit, the last baseline is N runs or D days
 * old, or the earlier commit is no longer in the history. An incremental
 * scan leaves out changed files whose content is the one a run since the last
 * baseline showed the model (`unchangedByContent` counts them).
 */
export async function decideScanScope(options: {
  readonly worker: string;
  readonly target: string;
  readonly repoDir: string;
  readonly store: ResultStore;
  readonly config: ResolvedConfig;
  readonly forceFull: boolean;
  readonly now: Date;
  /** Fetches the base commit into a shallow checkout (see RunRequest.fetchCommit). */
  readonly fetchCommit?: (commit: string) => Promise<void>;
}): Promise<ScanScope> {
  const { incremental } = options.config;
  const headCommit = await readGitHead(options.repoDir);
  const full = (reason: string): ScanScope => ({ kind: 'full', headCommit, reason });
  if (options.forceFull) return full('a full scan was asked for');
  if (!incremental.enabled) return full('incremental scans are turned off');
  if (!headCommit) return full('the target is not a git checkout with commits');
  const listed = await options.store.list({ worker: options.worker, target: options.target, successfulOnly: true, limit: incremental.baselineEveryRuns });
  // A record that finished in the future cannot be a baseline, whatever store it came from: it would stay "recent" for ever.
  const latestPossible = options.now.getTime() + CLOCK_SKEW_ALLOWANCE_MS;
  const recent = listed.filter((run) => run.mode === 'headless' && run.scan?.headCommit && Date.parse(run.finishedAt) <= latestPossible);
  const lastFullIndex = recent.findIndex((run) => run.scan?.kind === 'full');
  const last = recent[0];
  if (!last || lastFullIndex === -1) return full(`no full baseline in the last ${incremental.baselineEveryRuns} complete runs${refusedNote(options.store, options.worker, listed.filter((run) => !(Date.parse(run.finishedAt) <= latestPossible)).length)}`);
  const lastFull = recent[lastFullIndex]!;
  if (options.now.getTime() - Date.parse(lastFull.finishedAt) >= incremental.baselineEveryDays * DAY_MS) {
    return full(`the last baseline is older than ${incremental.baselineEveryDays} days`);
  }
  if (lastFullIndex + 1 >= incremental.baselineEveryRuns) return full(`a baseline is due every ${incremental.baselineEveryRuns} runs`);
  const baseCommit = last.scan!.headCommit!;
  let changed = await gitChangedFiles(options.repoDir, baseCommit);
  if (!changed && options.fetchCommit) {
    const failure = await options.fetchCommit(baseCommit).then(
      () => null,
      (error: unknown) => (error instanceof Error ? error.message : String(error)),
    );
    if (failure !== null) return full(`commit ${baseCommit.slice(0, 12)} of the last run could not be fetched: ${failure}`);
    changed = await gitChangedFiles(options.repoDir, baseCommit);
  }
  if (!changed) return full(`commit ${baseCommit.slice(0, 12)} of the last run is no longer in the history`);
  // Change is judged by content: a file the model already saw as it is now is not sent again,
  // committed or not (a dirty tree would otherwise be re-sent on every run).
  const unchanged = await unchangedSinceShown(options.repoDir, changed, lastShownHashes(recent.slice(0, lastFullIndex + 1)));
  const toSend = new Set([...changed].filter((file) => !unchanged.has(file)));
  const skipped = unchanged.size > 0 ? `; ${unchanged.size} changed file(s) left out, their content already reviewed` : '';
  return {
    kind: 'incremental',
    headCommit,
    baseCommit,
    changedFiles: toSend.size,
    ...(unchanged.size > 0 ? { unchangedByContent: unchanged.size } : {}),
    reason: `changes since ${baseCommit.slice(0, 12)}${skipped}`,
    onlyFiles: toSend,
  };
}

/** Why stored runs were not used as a baseline, when some were refused: the record says so instead of a bare "full". */
function refusedNote(store: ResultStore, worker: string, futureRuns: number): string {
  const refused = (store.rejectedRecords?.() ?? []).filter((record) => record.worker === worker);
  const parts = refused.slice(0, 3).map((record) => `${record.runId}: ${record.reason}`);
  if (refused.length > 3) parts.push(`${refused.length - 3} more`);
  const dated = futureRuns > 0 ? [`${futureRuns} finished in the future`] : [];
  const all = [...dated, ...parts];
  return all.length > 0 ? `; stored records refused: ${all.join('; ')}` : '';
}
