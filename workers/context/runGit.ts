import { execFile } from 'node:child_process';
import path from 'node:path';
import { DEFAULT_GIT_TIMEOUT_MS } from './constants.js';
import { gitEnvironment } from './gitEnvironment.js';
import { preparePrivateGitDir } from './privateGitDir.js';

export interface RunGitOptions {
  readonly timeoutMs?: number;
  /** Output beyond this fails the call rather than growing memory. Default 64 MiB. */
  readonly maxBuffer?: number;
}

/**
 * Runs a read-only git command on the repository at `repoDir` and returns its
 * stdout, or null when the directory has no usable `.git` of its own, git is
 * missing, times out or fails: callers treat history as an optional hint,
 * never a requirement.
 *
 * The repository is untrusted, so git never reads its configuration: it runs
 * with `--git-dir` on a private folder of ours (see privateGitDir.ts) and
 * `--work-tree` on the repository, so no filter, diff driver, pager, hook,
 * fsmonitor, alias or include the target defines can run, and with a minimal
 * environment (see gitEnvironment.ts) in an empty working directory, so no
 * secret of this process reaches git or anything it starts.
 *
 * @example await runGit('/work/repo', ['rev-parse', '--verify', 'HEAD^{commit}'])
 */
export async function runGit(repoDir: string, args: readonly string[], options: RunGitOptions = {}): Promise<string | null> {
  const shadow = await preparePrivateGitDir(repoDir).catch(() => null);
  if (shadow === null) return null;
  try {
    return await new Promise<string | null>((resolve) => {
      execFile(
        'git',
        ['--no-pager', `--git-dir=${shadow.gitDir}`, `--work-tree=${shadow.workTree}`, ...args],
        {
          cwd: shadow.home,
          encoding: 'utf8',
          timeout: options.timeoutMs ?? DEFAULT_GIT_TIMEOUT_MS,
          killSignal: 'SIGKILL',
          maxBuffer: options.maxBuffer ?? 64 * 1024 * 1024,
          windowsHide: true,
          env: gitEnvironment({ home: shadow.home, ceiling: path.dirname(shadow.workTree) }),
        },
        (error, stdout) => resolve(error ? null : stdout),
      );
    });
  } finally {
    await shadow.dispose();
  }
}
