import path from 'node:path';
import { readTextHeadSync, resolveInsideRepository, type RepoFile } from '../files/index.js';
import { fileRelevance, type FileRelevance } from './fileRelevance.js';
import { rankFiles } from './rankFiles.js';

/** Bytes read in all to score files; past it, files keep their path-only rank. Bounds time on huge trees. */
export const DEFAULT_SCORE_SCAN_BYTES = 48 * 1024 * 1024;

/** Bytes of one file read to score it: signals past this are not looked for. */
export const DEFAULT_SCORE_FILE_BYTES = 512 * 1024;

export interface ScoreCandidatesOptions {
  readonly repoDir: string;
  /** `realpath` of `repoDir`: every file read must resolve under it. */
  readonly realRoot: string;
  /** Lines the local analysis flagged, by repository-relative path. */
  readonly localHits?: ReadonlyMap<string, readonly number[]>;
  readonly maxFileBytes: number;
  readonly scanBytes?: number;
}

/**
 * Reads candidate files (production code first, in path-rank order, within a
 * total byte budget) and scores each for security relevance. Only the scores
 * and relevant line numbers are kept, so memory does not grow with the tree.
 * A file that is not read (too large, outside the root, past the scan budget,
 * unreadable) is simply absent: it ranks by its path alone.
 *
 * @example const scores = scoreCandidates(files, { repoDir, realRoot, maxFileBytes });
 */
export function scoreCandidates(files: readonly RepoFile[], options: ScoreCandidatesOptions): Map<string, FileRelevance> {
  const scores = new Map<string, FileRelevance>();
  let budget = options.scanBytes ?? DEFAULT_SCORE_SCAN_BYTES;
  for (const file of rankFiles(files, { strategy: 'source-first' })) {
    if (file.size > options.maxFileBytes || budget <= 0) continue;
    if (resolveInsideRepository(options.realRoot, file.path) !== 'inside') continue;
    const read = readTextHeadSync(path.join(options.repoDir, file.path), Math.min(DEFAULT_SCORE_FILE_BYTES, budget));
    if (read.kind !== 'text') continue;
    budget -= Math.min(file.size, DEFAULT_SCORE_FILE_BYTES);
    scores.set(file.path, fileRelevance(file.path, read.text, options.localHits?.get(file.path)));
  }
  return scores;
}
