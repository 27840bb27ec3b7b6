import { lstatSync, type Stats } from 'node:fs';
import path from 'node:path';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { ExclusionReason } from '../run/types.js';
import { classifyPath, DEPENDENCY_DIRS, hasBinaryExtension, type FileClass } from './fileClassification.js';
import { GitAttributesClassifier } from './gitAttributesClassifier.js';
import { GitignoreMatcher } from './gitignoreMatcher.js';
import { listTrackedFiles } from './listTrackedFiles.js';
import { rootGlobFilter } from './rootGlobFilter.js';
import { MAX_WALK_DEPTH, walkRepository, type WalkedEntry, type WalkSkip } from './walkRepository.js';

/** A regular file of a repository, found without opening it. */
export interface RepoFile {
  /** Path relative to the repository root, with forward slashes. */
  readonly path: string;
  readonly size: number;
  readonly mtimeMs: number;
  /** Set only with `includeAllClasses`: a lock file, or marked generated/vendored by its name or `.gitattributes`. */
  readonly fileClass?: FileClass;
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
  /** Keep lock files, vendored and generated files (marked with `fileClass`) instead of skipping them. */
  readonly includeAllClasses?: boolean;
  /**
   * The paths git tracks, analysed whatever `.gitignore` says. Default: asked
   * of git (`listTrackedFiles`); null when the caller knows there is no history.
   */
  readonly tracked?: ReadonlySet<string> | null;
}

/**
 * Files stat'ed between two turns of the event loop. The stats are
 * synchronous: an lstat is a few microseconds, far less than the thread-pool
 * round trip and promise of the asynchronous call.
 */
const STAT_BATCH = 512;

/** Version control internals: never walked, never counted. */
const GIT_DIR = '.git';

/**
 * Lists the files of a repository that are worth analysing: matching the
 * patterns, tracked by git or not ignored by it, not symbolic links (a link
 * may point outside the workspace), not FIFOs, sockets or devices, not binary
 * by extension, not lock/vendored/generated (unless `includeAllClasses`).
 * A file git tracks is listed whatever `.gitignore` says; package-manager
 * install folders (`node_modules`...) are walked only when git tracks files
 * in them. Every entry left out is in `skipped` with its reason, as is every
 * directory the walk could not enter (too deep, unreadable) or left out by
 * name. A `.headless-workers/` folder of the repository is walked like any
 * other: state kept inside on purpose (`--state-dir`) carries a `.gitignore`
 * of `*`, so its files are skipped as `gitignored`, and counted. Nothing is
 * read except the `.gitignore` and `.gitattributes` files, so the cost is one
 * walk and one `git ls-files`.
 */
export async function listRepositoryFiles(repoDir: string, options: ListOptions = {}): Promise<RepositoryListing> {
  const root = path.resolve(repoDir);
  const tracked = options.tracked !== undefined ? options.tracked : await listTrackedFiles(root);
  const skipNames = walkSkipNames(tracked);
  const { entries, gitignore, attributes, walkSkipped, leftOut } =
    options.patterns && options.patterns.length > 0 ? await globEntries(root, options.patterns, skipNames) : await walkEntries(root, skipNames);
  const isTracked = (relativePath: string): boolean => tracked?.has(relativePath) === true;
  const holdsTracked = (directory: string): boolean => tracked !== null && [...tracked].some((file) => file.startsWith(`${directory}/`));
  const files: RepoFile[] = [];
  const skipped: SkippedFile[] = [
    ...walkSkipped
      .filter((directory) => directory.path === '.' || !gitignore.ignores(directory.path, true) || holdsTracked(directory.path))
      .map((directory) => ({ path: directory.path, reason: directory.reason })),
    // Install folders left unwalked: counted unless git ignores them (the usual case, not worth a word).
    ...leftOut
      .filter((entry) => path.posix.basename(entry.path) !== GIT_DIR && !gitignore.ignores(entry.path, entry.dirent.isDirectory()))
      .map((entry) => ({ path: entry.path, reason: 'vendored' as const })),
  ];
  const candidates: { path: string; fileClass: FileClass | null }[] = [];
  for (const entry of entries) {
    const relativePath = entry.path;
    if (entry.dirent.isDirectory()) continue;
    if (gitignore.ignores(relativePath) && !isTracked(relativePath)) {
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
    const fileClass = classifyPath(relativePath) ?? attributes.classify(relativePath);
    if (fileClass && !options.includeAllClasses) {
      skipped.push({ path: relativePath, reason: fileClass });
      continue;
    }
    candidates.push({ path: relativePath, fileClass });
  }
  for (const [index, candidate] of candidates.entries()) {
    if (index > 0 && index % STAT_BATCH === 0) await yieldToEventLoop();
    const stat = lstatOrNull(path.join(root, candidate.path));
    if (stat?.isFile()) files.push({ path: candidate.path, size: stat.size, mtimeMs: stat.mtimeMs, ...(candidate.fileClass ? { fileClass: candidate.fileClass } : {}) });
    // Swapped since the walk: say what it is now.
    else skipped.push({ path: candidate.path, reason: !stat ? 'unreadable' : stat.isSymbolicLink() ? 'symlink' : 'not-a-regular-file' });
  }
  files.sort((a, b) => compareStrings(a.path, b.path));
  skipped.sort((a, b) => compareStrings(a.path, b.path));
  return { files, skipped };
}

/** `.git` and the install folders, except those git tracks files in. */
function walkSkipNames(tracked: ReadonlySet<string> | null): ReadonlySet<string> {
  const names = new Set<string>([GIT_DIR, ...DEPENDENCY_DIRS]);
  if (tracked === null) return names;
  for (const file of tracked) {
    for (const segment of file.split('/').slice(0, -1)) if (names.has(segment) && segment !== GIT_DIR) names.delete(segment);
  }
  return names;
}

interface ListedEntries {
  readonly entries: readonly WalkedEntry[];
  readonly gitignore: GitignoreMatcher;
  readonly attributes: GitAttributesClassifier;
  /** Directories the walk did not enter, whatever the patterns: their files could have matched. */
  readonly walkSkipped: readonly WalkSkip[];
  /** Entries left out by name (`.git`, install folders). */
  readonly leftOut: readonly WalkedEntry[];
}

/** Every entry, by one plain walk that also finds the `.gitignore` and `.gitattributes` files. */
async function walkEntries(root: string, skipNames: ReadonlySet<string>): Promise<ListedEntries> {
  const { entries, skipped, leftOut } = await walkRepository(root, skipNames);
  // Regular files only: a FIFO named .gitignore is listed as `other` and never opened.
  const named = (name: string) => entries.filter((entry) => entry.dirent.isFile() && path.posix.basename(entry.path) === name).map((entry) => entry.path);
  const [gitignore, attributes] = await Promise.all([GitignoreMatcher.load(root, [...skipNames], named('.gitignore')), GitAttributesClassifier.load(root, named('.gitattributes'))]);
  return { entries, gitignore, attributes, walkSkipped: skipped, leftOut };
}

/** The entries matching fast-glob patterns: from the plain walk when fast-glob would walk the whole tree anyway. */
async function globEntries(root: string, patterns: readonly string[], skipNames: ReadonlySet<string>): Promise<ListedEntries> {
  const matches = rootGlobFilter(patterns);
  if (matches) {
    const walked = await walkEntries(root, skipNames);
    return { ...walked, entries: walked.entries.filter(matches) };
  }
  const { default: fg } = await import('fast-glob');
  // The .gitignore files come from a plain walk: cheaper than a second fast-glob walk for them.
  const [entries, { gitignore, attributes, walkSkipped, leftOut }] = await Promise.all([
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
      ignore: [...skipNames].map((dir) => `**/${dir}/**`),
      // The plain walk beside it reports what this one cannot read or reach.
      suppressErrors: true,
      deep: MAX_WALK_DEPTH,
    }),
    walkEntries(root, skipNames),
  ]);
  return { entries, gitignore, attributes, walkSkipped, leftOut };
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
