import { createHash } from 'node:crypto';
import path from 'node:path';
import { compareStrings, listRepositoryFiles, type RepoFile, type RepositoryListing } from '../files/index.js';
import { FILE_INDEX_VERSION } from './constants.js';
import { readGitHead } from './gitHead.js';
import { readGitRecency } from './gitRecency.js';
import type { FileIndex } from './types.js';

export interface BuildFileIndexOptions {
  /** fast-glob patterns of the files indexed; an index serves contexts with these patterns only. */
  readonly patterns: readonly string[];
  /** Commits read for recency. Default 300. */
  readonly maxCommits?: number;
}

export type FileIndexFreshness =
  | { readonly fresh: true }
  | { readonly fresh: false; readonly reason: string; readonly listing?: RepositoryListing };

/**
 * Indexes a repository for context building: one walk plus one `git log`,
 * which every later context on the same tree and patterns can skip.
 *
 * @example const index = await buildFileIndex('/work/api', { patterns: ['**\/*.ts'] });
 */
export async function buildFileIndex(repoDir: string, options: BuildFileIndexOptions): Promise<FileIndex> {
  const root = path.resolve(repoDir);
  const listing = await listRepositoryFiles(root, { patterns: options.patterns });
  return indexFromListing(root, options, listing);
}

/**
 * Builds the index from a listing already made (by a freshness check, say),
 * pinning recency to the HEAD it records so the two always agree.
 */
export async function indexFromListing(repoDir: string, options: BuildFileIndexOptions, listing: RepositoryListing): Promise<FileIndex> {
  const root = path.resolve(repoDir);
  const head = await readGitHead(root);
  const history = head === null ? new Map<string, number>() : await readGitRecency(root, { revision: head, ...(options.maxCommits === undefined ? {} : { maxCommits: options.maxCommits }) });
  const recency: Record<string, number> = {};
  for (const file of listing.files) {
    const time = history.get(file.path);
    if (time !== undefined) recency[file.path] = time;
  }
  return {
    version: FILE_INDEX_VERSION,
    repoDir: root,
    patterns: canonicalPatterns(options.patterns),
    head,
    newestMtimeMs: newestMtime(listing.files),
    fingerprint: listingFingerprint(listing.files),
    files: listing.files,
    skipped: listing.skipped,
    recency,
  };
}

/**
 * Tells whether an index still describes the tree: same HEAD commit (one git
 * call), then the same listing, judged by its newest mtime and a digest of
 * every path, size and mtime (one walk, no file opened). A stale verdict
 * carries the fresh listing, when one was made, so a rebuild need not walk again.
 *
 * @example if (!(await checkFileIndexFreshness(index)).fresh) index = await buildFileIndex(...)
 */
export async function checkFileIndexFreshness(index: FileIndex): Promise<FileIndexFreshness> {
  if (index.version !== FILE_INDEX_VERSION) return { fresh: false, reason: `index version ${index.version} is not ${FILE_INDEX_VERSION}` };
  // The fingerprint is compared with a fresh listing below; the files the index would serve must be the ones it covers.
  if (listingFingerprint(index.files) !== index.fingerprint) return { fresh: false, reason: 'the saved files do not match the index fingerprint' };
  const head = await readGitHead(index.repoDir);
  if (head !== index.head) return { fresh: false, reason: `HEAD moved from ${index.head ?? 'none'} to ${head ?? 'none'}` };
  const listing = await listRepositoryFiles(index.repoDir, { patterns: index.patterns });
  if (newestMtime(listing.files) !== index.newestMtimeMs) return { fresh: false, reason: 'a file changed since the index was built', listing };
  if (listingFingerprint(listing.files) !== index.fingerprint) return { fresh: false, reason: 'files were added, removed or changed', listing };
  return { fresh: true };
}

/** True when `index` was built for this repository directory and these patterns. */
export function indexServes(index: FileIndex, repoDir: string, patterns: readonly string[]): boolean {
  if (index.version !== FILE_INDEX_VERSION || index.repoDir !== path.resolve(repoDir)) return false;
  const wanted = canonicalPatterns(patterns);
  return wanted.length === index.patterns.length && wanted.every((pattern, i) => pattern === index.patterns[i]);
}

/** Pattern order does not change a listing, so it must not change an index's identity either. */
export function canonicalPatterns(patterns: readonly string[]): string[] {
  return [...new Set(patterns)].sort(compareStrings);
}

function newestMtime(files: readonly RepoFile[]): number {
  return files.reduce((newest, file) => Math.max(newest, file.mtimeMs), 0);
}

function listingFingerprint(files: readonly RepoFile[]): string {
  const hash = createHash('sha256');
  for (const file of files) hash.update(`${file.path}\0${file.size}\0${file.mtimeMs}\n`);
  return hash.digest('hex');
}
