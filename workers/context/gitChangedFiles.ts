import { runGit } from './runGit.js';
import { workingTreeChanges } from './workingTreeChanges.js';

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
  // Commit to commit, git reads objects only; the working tree is compared without git (see workingTreeChanges).
  const [committed, uncommitted] = await Promise.all([
    runGit(repoDir, ['diff', '--name-only', '--no-renames', '--no-ext-diff', '--no-textconv', '-z', baseCommit, 'HEAD']),
    workingTreeChanges(repoDir),
  ]);
  if (committed === null || uncommitted === null) return null;
  return new Set([...committed.split('\0').filter(Boolean), ...uncommitted]);
}
