import path from 'node:path';
import { WorkspaceError } from './errors.js';
import { runGitProcess, SAFE_GIT_CONFIG, type GitAccess } from './gitProcess.js';

/** A full commit id (SHA-1 or SHA-256): nothing git could read as an option or a revision expression. */
const COMMIT = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/**
 * How many more commits each fetch brings, in turn: a scheduled run usually
 * finds its base within the first step; past the last (5,000 commits in all)
 * the scan is full.
 */
export const DEEPEN_STEPS = [50, 450, 4_500] as const;

/**
 * Deepens a shallow clone (see cloneRepository.ts) until it holds `commit`
 * with the history from it to HEAD, which an incremental scan needs to diff
 * against the last run's commit: `git fetch --deepen=<n> -- origin`, in the
 * steps above, until the commit is there or the whole branch is. The commit
 * must be a full hex id; git runs with the clone's guards (allowed
 * transports, token in a header, no hooks). Rejects with a WorkspaceError
 * saying why when the commit cannot be had (history rewritten, too old),
 * so the caller scans in full and records the reason.
 *
 * @example await deepenToCommit(repoDir, lastRun.scan.headCommit, { allowedProtocols: ['https'], token });
 */
export async function deepenToCommit(repoDir: string, commit: string, access: GitAccess): Promise<void> {
  if (!COMMIT.test(commit)) throw new WorkspaceError(`base commit refused: "${commit.slice(0, 80)}" is not a full hexadecimal commit id`);
  const home = path.dirname(repoDir);
  const git = (args: readonly string[], failure: string) => runGitProcess([...SAFE_GIT_CONFIG, ...args], { home, cwd: repoDir, access, failure });
  const hasCommit = () => git(['cat-file', '-e', `${commit}^{commit}`], 'no such commit').then(() => true, () => false);
  if (await hasCommit()) return;
  let fetched = 0;
  for (const step of DEEPEN_STEPS) {
    await git(['fetch', '--quiet', `--deepen=${step}`, '--no-tags', '--no-recurse-submodules', '--', 'origin'], `git fetch of ${step} more commits failed`);
    fetched += step;
    if (await hasCommit()) return;
    if ((await git(['rev-parse', '--is-shallow-repository'], 'git rev-parse failed')).trim() === 'false') {
      throw new WorkspaceError(`commit ${commit.slice(0, 12)} is not in the branch's history (rewritten since?)`);
    }
  }
  throw new WorkspaceError(`commit ${commit.slice(0, 12)} is not within the last ${fetched + 1} commits of the branch`);
}
