/** Worker names of the built-in catalog, in the order the original design lists them. */
export const WORKER_TYPES = [
  'map',
  'audit',
  'optimize',
  'consolidate',
  'testgaps',
  'predict',
  'document',
  'ultralearn',
  'refactor',
  'benchmark',
  'deepdive',
  'preload',
] as const;

/** Highest first: the order in which queues are drained and due runs are started. */
export const PRIORITIES = ['critical', 'high', 'normal', 'low'] as const;

/** How a worker runs: plain code, or the Claude Code CLI non-interactively. */
export const WORKER_MODES = ['local', 'headless'] as const;

/**
 * Sandbox profiles of headless workers, tightest first. `local` is the profile
 * of plain-code workers in the cloud (no model, no key).
 */
export const SANDBOX_MODES = ['strict', 'permissive', 'disabled'] as const;

/** Cloud execution profiles: one queue set, task definition and role each. */
export const EXECUTION_PROFILES = ['local', 'strict', 'permissive', 'disabled'] as const;

/** Model aliases the catalog speaks; mapped to model ids in `headless/modelIds.ts`. */
export const MODEL_ALIASES = ['haiku', 'sonnet', 'opus'] as const;

export const OUTPUT_FORMATS = ['json', 'markdown', 'text'] as const;

/**
 * States of a run record. SKIPPED: the worker had nothing it could honestly do
 * (a headless worker without a local equivalent and no Claude Code).
 * INCOMPLETE: the run finished but could not read part of the repository (an
 * unreadable or too deep directory): its findings are tracked, files it could
 * not read keep theirs, and its `error` names what was not read.
 */
export const RUN_STATUSES = ['QUEUED', 'RUNNING', 'SUCCEEDED', 'INCOMPLETE', 'FAILED', 'TIMED_OUT', 'CANCELLED', 'SKIPPED'] as const;

/** Statuses after which a run record never changes again. */
export const FINAL_RUN_STATUSES = ['SUCCEEDED', 'INCOMPLETE', 'FAILED', 'TIMED_OUT', 'CANCELLED', 'SKIPPED'] as const;

export const MINUTE_MS = 60_000;
