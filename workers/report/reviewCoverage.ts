import type { ReportRun, ReviewCoverageInput, ReviewedFile } from './types.js';

/**
 * The latest review of each file per (target, worker), from what each run's
 * context showed the model. Until the review ledger exists this is all the
 * product records of it.
 *
 * @example reviewCoverageFromRuns(runs).files.length
 */
export function reviewCoverageFromRuns(runs: readonly ReportRun[]): ReviewCoverageInput {
  const latest = new Map<string, ReviewedFile>();
  for (const run of runs) {
    for (const file of run.context?.files ?? []) {
      const key = `${run.target}\u0000${run.worker}\u0000${file.path}`;
      const before = latest.get(key);
      if (before && before.lastShownAt >= run.finishedAt) continue;
      latest.set(key, { target: run.target, worker: run.worker, path: file.path, lastShownAt: run.finishedAt, runId: run.runId, chars: file.chars, whole: !file.truncated });
    }
  }
  return { source: 'run-context', files: [...latest.values()] };
}

/** Reviews of the files under one directory. */
export interface DirectoryCoverage {
  /** Top two path levels (`src/routes`), `.` for files at the root. */
  readonly directory: string;
  readonly files: number;
  readonly wholeFiles: number;
  readonly chars: number;
  readonly lastShownAt: string;
  readonly workers: readonly string[];
}

/** Directory of a path cut to `depth` levels. */
export function directoryOf(filePath: string, depth = 2): string {
  const parts = filePath.split('/').slice(0, -1);
  return parts.length === 0 ? '.' : parts.slice(0, depth).join('/');
}

/**
 * Reviewed files grouped by directory (a file reviewed by two workers counts once), most files first.
 *
 * @example coverageByDirectory(coverage.files)[0]?.directory
 */
export function coverageByDirectory(files: readonly ReviewedFile[]): DirectoryCoverage[] {
  const byDirectory = new Map<string, { paths: Map<string, ReviewedFile>; workers: Set<string> }>();
  for (const file of files) {
    const directory = directoryOf(file.path);
    const entry = byDirectory.get(directory) ?? { paths: new Map(), workers: new Set() };
    entry.workers.add(file.worker);
    const seen = entry.paths.get(file.path);
    // The widest and latest view of a file wins when two workers saw it.
    if (!seen || (file.whole && !seen.whole) || (file.whole === seen.whole && file.lastShownAt > seen.lastShownAt)) entry.paths.set(file.path, file);
    byDirectory.set(directory, entry);
  }
  return [...byDirectory]
    .map(([directory, { paths, workers }]) => {
      const reviewed = [...paths.values()];
      return {
        directory,
        files: reviewed.length,
        wholeFiles: reviewed.filter((f) => f.whole).length,
        chars: reviewed.reduce((sum, f) => sum + f.chars, 0),
        lastShownAt: reviewed.reduce((latest, f) => (f.lastShownAt > latest ? f.lastShownAt : latest), ''),
        workers: [...workers].sort(),
      };
    })
    .sort((a, b) => b.files - a.files || (a.directory < b.directory ? -1 : 1));
}
