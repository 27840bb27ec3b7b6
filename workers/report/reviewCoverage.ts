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

/** Files the repository holds under a directory, as the map worker counted them (its `directories`). */
export interface RepositoryDirectory {
  readonly path: string;
  readonly files: number;
}

/** Reviews of the files under one directory (its subdirectories included). */
export interface DirectoryCoverage {
  /** Up to two path levels (`src`, `src/routes`), `.` for files at the root: the map worker's directories. */
  readonly directory: string;
  readonly files: number;
  readonly wholeFiles: number;
  readonly chars: number;
  /** Empty when no file under it was shown. */
  readonly lastShownAt: string;
  readonly workers: readonly string[];
  /** Files the latest map run counted under it, when there is one. */
  readonly filesInRepository?: number;
}

/** `.` for a root file, else its directories from the top down to `depth` levels (as the map worker names them). */
export function ancestorDirectories(filePath: string, depth = 2): string[] {
  const segments = filePath.split('/').slice(0, -1);
  if (segments.length === 0) return ['.'];
  return segments.slice(0, depth).map((_, index) => segments.slice(0, index + 1).join('/'));
}

/**
 * Reviewed files per directory, each directory counting the files under it
 * (so `src` includes `src/routes`), in path order. A file reviewed by two
 * workers counts once, whole if either saw it whole. With the map worker's
 * directory counts, each row also says how many files the directory holds,
 * and directories nothing was shown from are listed too.
 *
 * @example coverageByDirectory(coverage.files, mapDirectories)[0]?.directory
 */
export function coverageByDirectory(files: readonly ReviewedFile[], repository: readonly RepositoryDirectory[] = []): DirectoryCoverage[] {
  const widest = new Map<string, ReviewedFile>();
  for (const file of files) {
    const seen = widest.get(file.path);
    if (!seen || (file.whole && !seen.whole) || (file.whole === seen.whole && file.lastShownAt > seen.lastShownAt)) widest.set(file.path, file);
  }
  const workersOf = new Map<string, Set<string>>();
  for (const file of files) workersOf.set(file.path, (workersOf.get(file.path) ?? new Set()).add(file.worker));
  const byDirectory = new Map<string, ReviewedFile[]>();
  for (const file of widest.values()) for (const directory of ancestorDirectories(file.path)) byDirectory.set(directory, [...(byDirectory.get(directory) ?? []), file]);
  const inRepository = new Map(repository.map((d) => [d.path, d.files] as const));
  const directories = new Set([...byDirectory.keys(), ...inRepository.keys()]);
  return [...directories]
    .sort((a, b) => (a === '.' ? -1 : b === '.' ? 1 : a < b ? -1 : a > b ? 1 : 0))
    .map((directory) => {
      const reviewed = byDirectory.get(directory) ?? [];
      const count = inRepository.get(directory);
      return {
        directory,
        files: reviewed.length,
        wholeFiles: reviewed.filter((f) => f.whole).length,
        chars: reviewed.reduce((sum, f) => sum + f.chars, 0),
        lastShownAt: reviewed.reduce((latest, f) => (f.lastShownAt > latest ? f.lastShownAt : latest), ''),
        workers: [...new Set(reviewed.flatMap((f) => [...(workersOf.get(f.path) ?? [])]))].sort(),
        ...(count !== undefined ? { filesInRepository: count } : {}),
      };
    });
}
