import type { RunResult } from '../run/types.js';
import type { RepositoryDirectory } from './reviewCoverage.js';

/**
 * Files per directory from the newest successful map run of a target that
 * carries them: what the review coverage is measured against. Records are
 * read defensively (a stored record is data, its shape is checked here).
 *
 * @example mapDirectoriesOf(runs, 'api') // [{ path: 'src', files: 120 }, …]
 */
export function mapDirectoriesOf(runs: readonly Pick<RunResult, 'worker' | 'target' | 'status' | 'finishedAt' | 'parsedOutput'>[], target?: string): RepositoryDirectory[] {
  const maps = runs
    .filter((run) => run.worker === 'map' && run.status === 'SUCCEEDED' && (target === undefined || run.target === target))
    .sort((a, b) => (a.finishedAt < b.finishedAt ? 1 : -1));
  for (const run of maps) {
    const directories = (run.parsedOutput as { directories?: unknown } | undefined)?.directories;
    if (!Array.isArray(directories)) continue;
    return directories.flatMap((d: unknown) => {
      const { path, files } = (d ?? {}) as { path?: unknown; files?: unknown };
      return typeof path === 'string' && typeof files === 'number' && Number.isInteger(files) && files >= 0 ? [{ path, files }] : [];
    });
  }
  return [];
}
