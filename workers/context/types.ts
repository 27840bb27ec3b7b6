import type { RepoFile, SkippedFile } from '../files/index.js';
import type { BuiltContext } from '../run/types.js';
import type { RANKING_STRATEGIES } from './constants.js';

export type RankingStrategy = (typeof RANKING_STRATEGIES)[number];

/**
 * A repository's analysable files and their git recency, built once (by the
 * preload worker, say) and reused by every context built on the same tree.
 */
export interface FileIndex {
  readonly version: number;
  /** Absolute path of the repository the index describes. */
  readonly repoDir: string;
  /** The fast-glob patterns the listing was made with; an index serves only these. */
  readonly patterns: readonly string[];
  /** Commit checked out when the index was built, or null outside git. */
  readonly head: string | null;
  /** Newest modification time in the listing (milliseconds), for the freshness check. */
  readonly newestMtimeMs: number;
  /** Digest of every listed path, size and mtime: any added, removed or changed file alters it. */
  readonly fingerprint: string;
  readonly files: readonly RepoFile[];
  readonly skipped: readonly SkippedFile[];
  /** Last commit time (epoch seconds) of listed files found in recent history. */
  readonly recency: Readonly<Record<string, number>>;
}

/** How to build a context; `repoDir`, `patterns` and `budgetChars` are required. */
export interface BuildContextOptions {
  readonly repoDir: string;
  /** fast-glob patterns of the files that may go in (the catalog's `contextPatterns`). */
  readonly patterns: readonly string[];
  /** Characters of the final context text, headers included; never exceeded. */
  readonly budgetChars: number;
  /** Default `'default'`. */
  readonly ranking?: RankingStrategy;
  /** Characters taken off the budget for chained inputs. Default 0. */
  readonly reservedChars?: number;
  /** Cap on one file's content. Default 40% of the budget left after `reservedChars`. */
  readonly maxFileChars?: number;
  /** Files larger than this are excluded as `too-large` without being read. Default 2 MB. */
  readonly maxFileBytes?: number;
  /** Smallest useful truncated head; a file that would get less is excluded (`budget`). Default 64. */
  readonly minTruncatedChars?: number;
  /** Cap on `fileList`. Default 2000. */
  readonly fileListCap?: number;
  /** Cap on `excluded`; read-time reasons are kept before `budget`. Default 2000. */
  readonly maxExclusions?: number;
  /** A pre-built index of the same repository and patterns, to skip the walk and the git call. */
  readonly index?: FileIndex;
  /** Lines the local analysis flagged, by repository-relative path: the `security` ranking shows them first. */
  readonly localHits?: ReadonlyMap<string, readonly number[]>;
}

/** A built context, plus what the prompt's {{fileList}} needs. */
export interface ContextBuildResult extends BuiltContext {
  /** Candidate paths (the most relevant `fileListCap` of them), sorted by path. */
  readonly fileList: string[];
  /** All candidate files, including those left out of `fileList`. */
  readonly candidateCount: number;
  /** Exclusions dropped from `excluded` by `maxExclusions`. */
  readonly excludedOmitted: number;
}
