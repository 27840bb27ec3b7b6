import { lstat, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { objectFormatOf, privateGitConfig } from './privateGitConfig.js';
import { resolveGitHead } from './resolveGitHead.js';

/**
 * What a copy of an untrusted repository's `.git` loses before anything runs on it: every file git
 * reads commands or other places from (config and its includes, hooks,
 * info/ with exclude and attributes, links to other git folders and object
 * stores) and stale lock files.
 */
const DROPPED = ['config', 'hooks', 'info', 'commondir', 'gitdir', 'worktrees', 'modules', path.join('objects', 'info', 'alternates'), path.join('objects', 'info', 'http-alternates')] as const;

/**
 * Takes from a copy of an untrusted repository at `repoDir` (an unpacked S3
 * snapshot, a permissive run's scratch copy) everything in its `.git`
 * that could make git run a command or read outside the workspace, and writes
 * our own minimal config in place of the target's (see privateGitConfig).
 * A `.git` that is not a folder (a `gitdir:` file pointing elsewhere) is
 * removed: the snapshot then has no history and scans in full. The git
 * runner never reads a target's config anyway (see runGit.ts); this keeps a
 * copy harmless for any other git that might be pointed at it (an allow-listed
 * `git diff` run by the model, say).
 *
 * @example await stripUntrustedGit('/scratch/runs/<runId>/snapshot/api');
 */
export async function stripUntrustedGit(repoDir: string): Promise<void> {
  const gitDir = path.join(repoDir, '.git');
  const stats = await lstat(gitDir).catch(() => null);
  if (stats === null) return;
  if (!stats.isDirectory()) {
    await rm(gitDir, { recursive: true, force: true });
    return;
  }
  const locks = (await readdir(gitDir)).filter((name) => name.endsWith('.lock'));
  await Promise.all([...DROPPED, ...locks].map((name) => rm(path.join(gitDir, name), { recursive: true, force: true })));
  const { commit } = await resolveGitHead(gitDir);
  await writeFile(path.join(gitDir, 'config'), privateGitConfig(objectFormatOf(commit)), { mode: 0o644 });
}
