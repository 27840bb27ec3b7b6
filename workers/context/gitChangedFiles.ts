import { runGit } from './runGit.js';

const COMMIT = /^[0-9a-f]{40,64}$/;

/**
 * Files changed between `baseCommit` and the working tree: committed changes
 * since the base plus uncommitted and untracked ones. Null when the base is
 * not an ancestor of HEAD (history rewritten, shallow clone without it) or git
 * fails: the caller then scans in full.
 */
export async function gitChangedFiles(repoDir: string, baseCommit: string): Promise<Set<string> | null> {
  if (!COMMIT.test(baseCommit)) return null;
  const ancestor = await runGit(repoDir, ['merge-base', '--is-ancestor', baseCommit, 'HEAD']);
  if (ancestor === null) return null;
  const [committed, status] = await Promise.all([
    runGit(repoDir, ['diff', '--name-only', '--no-renames', '--no-ext-diff', '--no-textconv', '-z', baseCommit, 'HEAD']),
    runGit(repoDir, ['status', '--porcelain=v1', '-z', '--untracked-files=all', '--ignore-submodules=all']),
  ]);
  if (committed === null || status === null) return null;
  const changed = new Set(committed.split('\0').filter(Boolean));
  // Porcelain -z entries: "XY path"; renames add the old path as a separate entry.
  for (const entry of status.split('\0')) {
    if (entry.length > 3 && entry[2] === ' ') changed.add(entry.slice(3));
  }
  return changed;
}
