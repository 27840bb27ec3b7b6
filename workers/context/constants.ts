/**
 * Orders in which candidate files compete for a context budget; each serves a
 * worker whose question favours different files.
 */
export const RANKING_STRATEGIES = ['default', 'source-first', 'tests-and-source', 'docs-first', 'recent-first', 'security'] as const;

/** Files over this size are never read for a context: their head is rarely what a worker needs. */
export const DEFAULT_MAX_FILE_BYTES = 2 * 1024 * 1024;

/** Share of the file budget one file may take, so one big file cannot crowd out the rest. */
export const DEFAULT_MAX_FILE_SHARE = 0.4;

/**
 * Under the `security` ranking, the widening pass sends a relevant file whole
 * up to this size; a larger one goes as the regions around its relevant lines.
 */
export const DEFAULT_WHOLE_FILE_CHARS = 8_000;

/** A relevant file up to this size always goes whole: its regions would cost nearly as much. */
export const DEFAULT_SMALL_FILE_CHARS = 1_500;

/** The compact view of a larger relevant file: its strongest lines within this much. */
export const DEFAULT_COMPACT_FILE_CHARS = 600;

/** Share of the budget the first, tight pass (every sink and entry line, a line either side) may fill, in rank order. */
export const DEFAULT_TIGHT_SHARE = 0.6;

/** Share of the budget that small files named for trust (roles, security questions, policies) may take, whole. */
export const DEFAULT_TRUST_SHARE = 0.05;

/** Share of the budget filled once compact views of the relevant files the tight pass did not reach are added. */
export const DEFAULT_COMPACT_SHARE = 0.85;

/** A file whose tight regions would cost this share of the whole file goes whole: the rest costs little more. */
export const DEFAULT_WHOLE_WHEN_COVERED = 0.7;

/** Share of the file budget one file may take under the `security` ranking, so a huge route table cannot crowd out the rest. */
export const DEFAULT_REGION_SHARE = 0.2;

/** A truncated file shorter than this is noise: the budget is left to the next file instead. */
export const DEFAULT_MIN_TRUNCATED_CHARS = 64;

/** Paths offered to the prompt's {{fileList}}; beyond this the list costs more than it tells. */
export const DEFAULT_FILE_LIST_CAP = 2000;

/** Exclusions kept in a result, so a run record of a huge tree stays small enough to store. */
export const DEFAULT_MAX_EXCLUSIONS = 2000;

/** Commits read for recency: enough to order the files that matter, bounded in time and memory. */
export const DEFAULT_GIT_RECENCY_COMMITS = 300;

/** A git call that takes longer is abandoned; the context is built without recency. */
export const DEFAULT_GIT_TIMEOUT_MS = 10_000;

/**
 * Extra bytes read past what a file may contribute, so a secret that straddles
 * the cut (a PEM block is about 3 KB) reaches the redactor whole.
 */
export const REDACTION_READ_SLACK_BYTES = 8 * 1024;

/** Bumped whenever the persisted file index changes shape; older files are rebuilt. */
export const FILE_INDEX_VERSION = 1;
