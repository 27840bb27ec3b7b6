import { runGit } from './runGit.js';

/**
 * The commit checked out in `repoDir`, or null outside git or before the first
 * commit: the cheap half of the file index's freshness check.
 *
 * @example await readGitHead('/work/repo') // '3f2a…' or null
 */
export async function readGitHead(repoDir: string): Promise<string | null> {
  const stdout = await runGit(repoDir, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}']);
  const head = stdout?.trim() ?? '';
  return /^[0-9a-f]{40,64}$/.test(head) ? head : null;
}
