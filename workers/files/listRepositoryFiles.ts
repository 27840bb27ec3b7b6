import { lstatSync, type Stats } from 'node:fs';
import path from 'node:path';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { ExclusionReason } from '../run/types.js';
import { classifyPath, hasBinaryExtension, VENDORED_DIRS } from './fileClassification.js';
import { GitignoreMatcher } from './gitignoreMatcher.js';
import { rootGlobFilter } from './rootGlobFilter.js';
import { MAX_WALK_DEPTH, walkRepository, type WalkedEntry, type WalkSkip } from './walkRepository.js';

/** A regular file of a repository, found without opening it. */
export interface RepoFile {
  /** Path relative to the repository root, with forward slashes. */
  readonly path: string;
  readonly size: number;
  readonly mtimeMs: number;
}

export interface SkippedFile {
  readonly path: string;
  readonly reason: ExclusionReason;
}

export interface RepositoryListing {
  /** Candidate files, sorted by path (deterministic). */
  readonly files: readonly RepoFile[];
  /**
   * Files matched by the patterns but left out, with the reason, and the
   * directories the walk could not enter (`too-deep`, `unreadable`).
   */
  readonly skipped: readonly SkippedFile[];
}

export interface ListOptions {
  /** fast-glob patterns relative to the repository root; default: every file. */
  readonly patterns?: readonly string[];
  /** Keep lock files, vendored and generated files instead of skipping them. */
  readonly includeAllClasses?: boolean;
}

/**
 * Files stat'ed between two turns of the event loop. The stats are
 * synchronous: an lstat is a few microseconds, far less than the thread-pool
 * round trip and promise of the asynchronous call.
 */
const STAT_BATCH = 512;

/**
 * Directories never walked: version control internals and third-party trees.
 * A `.headless-workers/` folder of the repository is walked like any other:
 * this product's state lives outside the repository by default, so such a
 * folder is the repository's own content and must not be a place to hide
 * files from an audit. State kept inside on purpose (`--state-dir`) carries a
 * `.gitignore` of `*`, so its files are skipped as `gitignored`, and counted.
 */
const NEVER_WALKED = ['.git', ...VENDORED_DIRS];
const NEVER_WALKED_NAMES: ReadonlySet<string> = new Set(NEVER_WALKED);

/**
 * Lists the files of a repository that are worth analysing: matching the
 * patterns, not ignored by git, not symbolic links (a link may point outside
 * the workspace), not FIFOs, sockets or devices, not binary by extension, not
 * lock/vendored/generated. Every entry left out is in `skipped` with its
 * reason, as is every directory the walk could not enter (too deep,
 * unreadable). Nothing is read except the `.gitignore` files, so the cost is
 * one walk.
 */
export async function listRepositoryFiles(repoDir: string, options: ListOptions = {}): Promise<RepositoryListing> {
  const root = path.resolve(repoDir);
  const { entries, gitignore, walkSkipped } = options.patterns && options.patterns.length > 0 ? await globEntries(root, options.patterns) : await walkEntries(root);
  const files: RepoFile[] = [];
  const skipped: SkippedFile[] = walkSkipped
    .filter((directory) => directory.path === '.' || !gitignore.ignores(directory.path, true))
    .map((directory) => ({ path: directory.path, reason: directory.reason }));
  const candidates: string[] = [];
  for (const entry of entries) {
    const relativePath = entry.path;
    if (entry.dirent.isDirectory()) continue;
    if (gitignore.ignores(relativePath)) {
      skipped.push({ path: relativePath, reason: 'gitignored' });
      continue;
    }
    if (entry.dirent.isSymbolicLink()) {
      skipped.push({ path: relativePath, reason: 'symlink' });
      continue;
    }
    if (!entry.dirent.isFile()) {
      skipped.push({ path: relativePath, reason: 'not-a-regular-file' });
      continue;
    }
    if (hasBinaryExtension(relativePath)) {
      skipped.push({ path: relativePath, reason: 'binary' });
      continue;
    }
    const fileClass = options.includeAllClasses ? null : classifyPath(relativePath);
    if (fileClass) {
      skipped.push({ path: relativePath, reason: fileClass });
      continue;
    }
    candidates.push(relativePath);
  }
  for (const [index, relativePath] of candidates.entries()) {
    if (index > 0 && index % STAT_BATCH === 0) await yieldToEventLoop();
    const stat = lstatOrNull(path.join(root, relativePath));
    if (stat?.isFile()) files.push({ path: relativePath, size: stat.size, mtimeMs: stat.mtimeMs });
    // Swapped since the walk: say what it is now.
    else skipped.push({ path: relativePath, reason: !stat ? 'unreadable' : stat.isSymbolicLink() ? 'symlink' : 'not-a-regular-file' });
  }
  files.sort((a, b) => compareStrings(a.path, b.path));
  skipped.sort((a, b) => compareStrings(a.path, b.path));
  return { files, skipped };
}

interface ListedEntries {
  readonly entries: readonly WalkedEntry[];
  readonly gitignore: GitignoreMatcher;
  /** Directories the walk did not enter, whatever the patterns: their files could have matched. */
  readonly walkSkipped: readonly WalkSkip[];
}

/** Every entry, by one plain walk that also finds the `.gitignore` files. */
async function walkEntries(root: string): Promise<ListedEntries> {
  const { entries, skipped } = await walkRepository(root, NEVER_WALKED_NAMES);
  // Regular files only: a FIFO named .gitignore is listed as `other` and never opened.
  const ignoreFiles = entries.filter((entry) => entry.dirent.isFile() && path.posix.basename(entry.path) === '.gitignore').map((entry) => entry.path);
  return { entries, gitignore: await GitignoreMatcher.load(root, NEVER_WALKED, ignoreFiles), walkSkipped: skipped };
}

/** The entries matching fast-glob patterns: from the plain walk when fast-glob would walk the whole tree anyway. */
async function globEntries(root: string, patterns: readonly string[]): Promise<ListedEntries> {
  const matches = rootGlobFilter(patterns);
  if (matches) {
    const walked = await walkEntries(root);
    return { ...walked, entries: walked.entries.filter(matches) };
  }
  const { default: fg } = await import('fast-glob');
  // The .gitignore files come from a plain walk: cheaper than a second fast-glob walk for them.
  const [entries, { gitignore, walkSkipped }] = await Promise.all([
    fg([...patterns], {
      cwd: root,
      dot: true,
      onlyFiles: false,
      followSymbolicLinks: false,
      objectMode: true,
      // No stats from fast-glob: one entry it cannot stat (a name that is not
      // valid UTF-8) makes it drop the whole directory, which would let a
      // hostile repository hide its files. Sizes come from lstat below, per file.
      stats: false,
      ignore: NEVER_WALKED.map((dir) => `**/${dir}/**`),
      // The plain walk beside it reports what this one cannot read or reach.
      suppressErrors: true,
      deep: MAX_WALK_DEPTH,
    }),
    walkEntries(root),
  ]);
  return { entries, gitignore, walkSkipped };
}

function lstatOrNull(absolutePath: string): Stats | null {
  try {
    return lstatSync(absolutePath);
  } catch {
    return null;
  }
}

/** Code-unit order, independent of the locale, so listings are identical everywhere. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
