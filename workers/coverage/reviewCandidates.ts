import { createHash } from 'node:crypto';
import { realpathSync } from 'node:fs';
import path from 'node:path';
import type { HeadlessWorkerDefinition } from '../catalog/types.js';
import { DEFAULT_MAX_FILE_BYTES, rankFiles, warmFileIndex } from '../context/index.js';
import { scoreCandidates } from '../context/scoreCandidates.js';
import { hasGeneratedMarker, isRepositoryRelativePath, readTextHead, type RepoFile } from '../files/index.js';
import type { ExclusionReason } from '../run/types.js';
import type { BacklogCandidate } from './orderBacklog.js';

/** The files a worker's context may show, ranked, and those it never can, with the reason. */
export interface ReviewCandidates {
  readonly ranked: readonly BacklogCandidate[];
  readonly neverShown: readonly { readonly path: string; readonly reason: ExclusionReason }[];
}

/**
 * Lists the files a headless worker's context draws from (its patterns, the
 * warm file index), ranked as its context ranks them (the `security` ranking
 * reads content), each with its current content hash. Files the context could
 * never show (too large, binary, marked generated, unreadable, skipped by the
 * listing) are returned apart: they are not part of the backlog. Repository
 * files are read as data only.
 *
 * @example const { ranked } = await reviewCandidates(def, '/work/api', stateDir);
 */
export async function reviewCandidates(def: HeadlessWorkerDefinition, repoDir: string, stateDir: string): Promise<ReviewCandidates> {
  const { index } = await warmFileIndex({ repoDir, patterns: def.contextPatterns, stateDir });
  const neverShown: { path: string; reason: ExclusionReason }[] = index.skipped.filter((entry) => entry.path !== '.').map((entry) => ({ path: entry.path, reason: entry.reason }));
  const files = index.files.filter((file) => isRepositoryRelativePath(file.path));
  const realRoot = realpathOrSelf(repoDir);
  const relevance = def.contextRanking === 'security' ? scoreCandidates(files, { repoDir, realRoot, maxFileBytes: DEFAULT_MAX_FILE_BYTES }) : undefined;
  const ranked = rankFiles(files, { strategy: def.contextRanking ?? 'default', recency: new Map(Object.entries(index.recency)), ...(relevance ? { relevance } : {}) });
  const hashed = await Promise.all(ranked.map(async (file) => ({ file, read: await hashForReview(repoDir, file) })));
  const candidates: BacklogCandidate[] = [];
  for (const { file, read } of hashed) {
    if (typeof read === 'string') neverShown.push({ path: file.path, reason: read });
    else candidates.push({ path: file.path, chars: read.chars, hash: read.hash });
  }
  return { ranked: candidates, neverShown };
}

/**
 * The content hash of a file as workers/engine/contentHashes.ts computes it
 * (sha256 of the text, 32 hex digits), and its length; or why the context
 * would never show it.
 */
async function hashForReview(repoDir: string, file: RepoFile): Promise<{ hash: string; chars: number } | ExclusionReason> {
  if (file.size > DEFAULT_MAX_FILE_BYTES) return 'too-large';
  const read = await readTextHead(path.join(repoDir, file.path), DEFAULT_MAX_FILE_BYTES + 1);
  if (read.kind === 'binary') return 'binary';
  if (read.kind === 'unreadable') return read.reason === 'ELOOP' ? 'symlink' : read.reason === 'not a regular file' ? 'not-a-regular-file' : 'unreadable';
  if (read.truncated) return 'too-large';
  if (hasGeneratedMarker(read.text.slice(0, 4096))) return 'generated';
  return { hash: createHash('sha256').update(read.text).digest('hex').slice(0, 32), chars: read.text.length };
}

function realpathOrSelf(dir: string): string {
  try {
    return realpathSync.native(dir);
  } catch {
    return dir;
  }
}
