import { execFile } from 'node:child_process';
import { lstat } from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_GIT_TIMEOUT_MS } from './constants.js';

/**
 * Settings an untrusted repository's `.git/config` could use to run a program
 * or change the output of a read-only command; pinned on the command line,
 * which wins over every config file.
 */
const HARDENING = [
  '-c', 'core.fsmonitor=false',
  '-c', 'core.quotePath=false',
  '-c', 'log.showSignature=false',
  '--no-pager',
];

export interface RunGitOptions {
  readonly timeoutMs?: number;
  /** Output beyond this fails the call rather than growing memory. Default 64 MiB. */
  readonly maxBuffer?: number;
}

/**
 * Runs a read-only git command in `repoDir` and returns its stdout, or null
 * when the directory has no `.git` of its own, git is missing, times out or
 * fails: callers treat history as an optional hint, never a requirement.
 * `GIT_CEILING_DIRECTORIES` stops git from borrowing an enclosing repository.
 */
export async function runGit(repoDir: string, args: readonly string[], options: RunGitOptions = {}): Promise<string | null> {
  const root = path.resolve(repoDir);
  const hasGit = await lstat(path.join(root, '.git')).then(
    () => true,
    () => false,
  );
  if (!hasGit) return null;
  return new Promise((resolve) => {
    execFile(
      'git',
      [...HARDENING, ...args],
      {
        cwd: root,
        encoding: 'utf8',
        timeout: options.timeoutMs ?? DEFAULT_GIT_TIMEOUT_MS,
        killSignal: 'SIGKILL',
        maxBuffer: options.maxBuffer ?? 64 * 1024 * 1024,
        windowsHide: true,
        env: {
          ...process.env,
          GIT_CEILING_DIRECTORIES: path.dirname(root),
          GIT_TERMINAL_PROMPT: '0',
          GIT_OPTIONAL_LOCKS: '0',
          GIT_PAGER: 'cat',
          LC_ALL: 'C',
        },
      },
      (error, stdout) => resolve(error ? null : stdout),
    );
  });
}
