import { lstatSync, type Stats } from 'node:fs';
import path from 'node:path';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { ExclusionReason } from '../run/types.js';
import { classifyPath, hasBinaryExtension, VENDORED_DIRS } from './fileClassification.js';
import { GitignoreMatcher } from './gitignoreMatcher.js';
import { rootGlobFilter } from './rootGlobFilter.js';
import { walkRepository, type WalkedEntry } from './walkRepository.js';

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
  /** Files matched by the patterns but left out, with the reason. */
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

/** Directories never walked: version control internals, third-party trees, our own state. */
const NEVER_WALKED = ['.git', '.headless-workers', ...VENDORED_DIRS];
const NEVER_WALKED_NAMES: ReadonlySet<string> = new Set(NEVER_WALKED);

/**
 * Lists the files of a repository that are worth analysing: matching the
 * patterns, not ignored by git, not symbolic links (a link may point outside
 * the workspace), not binary by extension, not lock/vendored/generated.
 * Nothing is read except the `.gitignore` files, so the cost is one walk.
 */
export async function listRepositoryFiles(repoDir: string, options: ListOptions = {}): Promise<RepositoryListing> {
  const root = path.resolve(repoDir);
  const { entries, gitignore } = options.patterns && options.patterns.length > 0 ? await globEntries(root, options.patterns) : await walkEntries(root);
  const files: RepoFile[] = [];
  const skipped: SkippedFile[] = [];
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
      skipped.push({ path: relativePath, reason: 'unreadable' });
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
    else skipped.push({ path: relativePath, reason: 'unreadable' });
  }
  files.sort((a, b) => compareStrings(a.path, b.path));
  skipped.sort((a, b) => compareStrings(a.path, b.path));
  return { files, skipped };
}

/** Every entry, by one plain walk that also finds the `.gitignore` files. */
async function walkEntries(root: string): Promise<{ entries: readonly WalkedEntry[]; gitignore: GitignoreMatcher }> {
  const entries = await walkRepository(root, NEVER_WALKED_NAMES);
  const ignoreFiles = entries.filter((entry) => entry.dirent.isFile() && path.posix.basename(entry.path) === '.gitignore').map((entry) => entry.path);
  return { entries, gitignore: await GitignoreMatcher.load(root, NEVER_WALKED, ignoreFiles) };
}

/** The entries matching fast-glob patterns: from the plain walk when fast-glob would walk the whole tree anyway. */
async function globEntries(root: string, patterns: readonly string[]): Promise<{ entries: readonly WalkedEntry[]; gitignore: GitignoreMatcher }> {
  const matches = rootGlobFilter(patterns);
  if (matches) {
    const { entries, gitignore } = await walkEntries(root);
    return { entries: entries.filter(matches), gitignore };
  }
  const { default: fg } = await import('fast-glob');
  // The .gitignore files come from a plain walk: cheaper than a second fast-glob walk for them.
  const [entries, { gitignore }] = await Promise.all([
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
      suppressErrors: true,
    }),
    walkEntries(root),
  ]);
  return { entries, gitignore };
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
