import { runGit } from '../context/runGit.js';

/**
 * The paths git tracks in the repository's index (`git ls-files`), or null
 * when it has no usable history of its own or git fails. "Tracked" comes from
 * git through the private git dir of runGit, never from the repository's own
 * configuration: a tracked file is analysed whatever its `.gitignore` says
 * (a force-added `.env` is exactly what an audit is for).
 *
 * @example const tracked = await listTrackedFiles('/work/repo'); tracked?.has('.env')
 */
export async function listTrackedFiles(repoDir: string): Promise<ReadonlySet<string> | null> {
  const output = await runGit(repoDir, ['ls-files', '-z', '--cached', '--full-name']);
  if (output === null) return null;
  return new Set(output.split('\0').filter(Boolean));
}
