import path from 'node:path';
import { listRepositoryFiles, type RepositoryListing } from '../files/index.js';
import { checkFileIndexFreshness, indexFromListing, type BuildFileIndexOptions } from './fileIndex.js';
import { fileIndexPath, loadFileIndex, saveFileIndex } from './fileIndexStore.js';
import type { FileIndex } from './types.js';

export interface WarmFileIndexOptions extends BuildFileIndexOptions {
  readonly repoDir: string;
  /** Directory the index file is kept in (the caller's state directory). */
  readonly stateDir: string;
}

export interface WarmedFileIndex {
  readonly index: FileIndex;
  readonly filePath: string;
  /** False when the saved index was still fresh and was reused as is. */
  readonly rebuilt: boolean;
  /** Why the saved index could not be reused, when it was rebuilt. */
  readonly reason?: string;
}

/**
 * Returns a fresh index of `repoDir`, reusing the saved one when HEAD and the
 * listing have not changed, otherwise rebuilding and saving it: what the
 * preload worker runs, and what a worker calls before `buildContext`.
 *
 * @example const { index } = await warmFileIndex({ repoDir, patterns, stateDir }); await buildContext({ ..., index });
 */
export async function warmFileIndex(options: WarmFileIndexOptions): Promise<WarmedFileIndex> {
  const filePath = fileIndexPath(options.stateDir, options.repoDir, options.patterns);
  const saved = await loadFileIndex(filePath);
  let reason = 'no saved index';
  let listing: RepositoryListing | undefined;
  if (saved && saved.repoDir === path.resolve(options.repoDir)) {
    const freshness = await checkFileIndexFreshness(saved);
    if (freshness.fresh) return { index: saved, filePath, rebuilt: false };
    reason = freshness.reason;
    listing = freshness.listing;
  }
  listing ??= await listRepositoryFiles(options.repoDir, { patterns: options.patterns });
  const index = await indexFromListing(options.repoDir, options, listing);
  await saveFileIndex(index, filePath);
  return { index, filePath, rebuilt: true, reason };
}
