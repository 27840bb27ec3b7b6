import { lstat } from 'node:fs/promises';
import path from 'node:path';
import fg from 'fast-glob';
import type { ExclusionReason } from '../run/types.js';
import { classifyPath, hasBinaryExtension, VENDORED_DIRS } from './fileClassification.js';
import { GitignoreMatcher } from './gitignoreMatcher.js';

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

/** Files stat'ed at once: enough to overlap I/O, few enough to stay under open-file limits. */
const STAT_BATCH = 64;

/** Directories never walked: version control internals, third-party trees, our own state. */
const NEVER_WALKED = ['.git', '.headless-workers', ...VENDORED_DIRS];

/**
 * Lists the files of a repository that are worth analysing: matching the
 * patterns, not ignored by git, not symbolic links (a link may point outside
 * the workspace), not binary by extension, not lock/vendored/generated.
 * Nothing is read except the `.gitignore` files, so the cost is one walk.
 */
export async function listRepositoryFiles(repoDir: string, options: ListOptions = {}): Promise<RepositoryListing> {
  const root = path.resolve(repoDir);
  const patterns = options.patterns && options.patterns.length > 0 ? [...options.patterns] : ['**/*'];
  const [entries, gitignore] = await Promise.all([
    fg(patterns, {
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
    GitignoreMatcher.load(root, NEVER_WALKED),
  ]);
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
  for (let i = 0; i < candidates.length; i += STAT_BATCH) {
    const batch = candidates.slice(i, i + STAT_BATCH);
    const stats = await Promise.all(batch.map((relativePath) => lstat(path.join(root, relativePath)).catch(() => null)));
    batch.forEach((relativePath, index) => {
      const stat = stats[index];
      if (stat?.isFile()) files.push({ path: relativePath, size: stat.size, mtimeMs: stat.mtimeMs });
      else skipped.push({ path: relativePath, reason: 'unreadable' });
    });
  }
  files.sort((a, b) => compareStrings(a.path, b.path));
  skipped.sort((a, b) => compareStrings(a.path, b.path));
  return { files, skipped };
}

/** Code-unit order, independent of the locale, so listings are identical everywhere. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
