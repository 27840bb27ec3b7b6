import { DEFAULT_GIT_RECENCY_COMMITS } from './constants.js';
import { runGit } from './runGit.js';

export interface GitRecencyOptions {
  /** Commits read, newest first. Default 300. */
  readonly maxCommits?: number;
  /** Commit to start from (the index pins the HEAD it recorded). Default `HEAD`. */
  readonly revision?: string;
  readonly timeoutMs?: number;
}

/**
 * When each file last changed in recent history: path (repository-relative,
 * forward slashes) → commit time in epoch seconds. One `git log` process, not
 * one per file. Commit times, unlike file mtimes, are the same in every
 * checkout, so orderings built on them are reproducible. Outside git, or when
 * git fails, the map is empty.
 *
 * @example (await readGitRecency('/work/repo')).get('src/auth.ts') // 1718000000
 */
export async function readGitRecency(repoDir: string, options: GitRecencyOptions = {}): Promise<Map<string, number>> {
  const maxCommits = Math.max(1, Math.floor(options.maxCommits ?? DEFAULT_GIT_RECENCY_COMMITS));
  const revision = options.revision ?? 'HEAD';
  if (revision.startsWith('-')) return new Map();
  // An empty NUL-separated token can never be a path, so `%x00%ct` marks each commit unambiguously.
  const stdout = await runGit(
    repoDir,
    ['log', '-z', '--name-only', '--format=%x00%ct', '--no-renames', '--no-ext-diff', '--no-textconv', '--no-show-signature', `--max-count=${maxCommits}`, revision, '--'],
    options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs },
  );
  return stdout === null ? new Map() : parseLog(stdout);
}

function parseLog(stdout: string): Map<string, number> {
  const recency = new Map<string, number>();
  const tokens = stdout.split('\0');
  let commitTime = 0;
  let firstOfCommit = false;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token === '') {
      const next = tokens[i + 1];
      if (next !== undefined && /^\d+$/.test(next)) {
        commitTime = Number(next);
        firstOfCommit = true;
        i++;
      }
      continue;
    }
    const filePath = firstOfCommit && token.startsWith('\n') ? token.slice(1) : token;
    firstOfCommit = false;
    if (filePath === '') continue;
    // Commit order is not strictly by time (rebases, clock skew): keep the latest.
    if ((recency.get(filePath) ?? -1) < commitTime) recency.set(filePath, commitTime);
  }
  return recency;
}
