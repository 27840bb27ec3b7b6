import type { Finding } from '../run/types.js';
import type { FindingState } from '../findings/types.js';

/** Most severe first: the order of every severity column and legend. */
export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const satisfies readonly Finding['severity'][];

/** The order states are shown in: what needs action first. */
export const REPORT_STATES = ['new', 'returned', 'open', 'suppressed', 'fixed'] as const satisfies readonly FindingState[];

/** States that still need someone's attention. */
export const UNRESOLVED_STATES: readonly FindingState[] = ['new', 'returned', 'open'];

/** How many files the "top files" table lists. */
export const TOP_FILES = 10;

/** How many runs per worker the runs table lists (newest first); charts use them all. */
export const RUNS_PER_WORKER_SHOWN = 50;
