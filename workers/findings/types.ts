import type { Finding } from '../run/types.js';

/**
 * The `file` of a finding about the repository as a whole (a convention, a
 * glossary term): it has no line to point at, only a run that looked at the
 * whole repository can mark it fixed, and SARIF gives it a logical location.
 */
export const REPOSITORY_SCOPE = '.';

/**
 * A finding as a worker's output maps to one, before fingerprinting. Findings
 * about a whole file or the whole repository (predictions, conventions) have
 * no line of code to anchor to: their `subject` (the prediction's file, the
 * convention's name) is the anchor instead.
 */
export interface TrackableFinding extends Finding {
  readonly subject?: string;
}

/** Where a finding stands across the runs of one (target, worker). */
export const FINDING_STATES = ['new', 'open', 'fixed', 'returned', 'suppressed'] as const;
export type FindingState = (typeof FINDING_STATES)[number];

/** A finding tracked across runs: the same shape in the local store and DynamoDB. */
export interface FindingRecord extends Finding {
  /** Stable identity (see fingerprintFinding.ts for the rule and its limits). */
  readonly fingerprint: string;
  /**
   * The fingerprint without the file path (see findingIdentity): a finding
   * found again in another file, after its own file disappeared, is this one
   * renamed and keeps its fingerprint and history.
   */
  readonly contentFingerprint?: string;
  /** The file it was tracked in before its last rename. */
  readonly renamedFrom?: string;
  readonly target: string;
  readonly worker: string;
  readonly state: FindingState;
  /**
   * Which analysis last reported it. Only a run of the same kind can mark it
   * fixed: a local fallback run does not look for what the model finds, and
   * the model does not re-check every local rule.
   */
  readonly detectedBy: 'local' | 'headless';
  /** State before suppression, so an expired suppression restores it. */
  readonly stateBeforeSuppression?: FindingState;
  readonly firstSeen: string;
  readonly lastSeen: string;
  readonly fixedAt?: string;
  /** Runs that reported it. */
  readonly runCount: number;
  readonly latestRunId: string;
  /** The suppression that applies, when state is suppressed. */
  readonly suppression?: {
    readonly reason: string;
    readonly until?: string;
    readonly source: string;
    /** `repository` when the analysed repository suppressed its own finding (absent in records stored before origins). */
    readonly origin?: 'operator' | 'repository';
  };
}

/** What one run covered: only files it covered can have their findings marked fixed. */
export interface RunCoverage {
  /** The run ended normally (not failed, timed out or cancelled). */
  readonly complete: boolean;
  /** Repository-relative files the run analysed in full. */
  readonly files: ReadonlySet<string>;
  /** The run looked at the repository as a whole (complete and not incremental): it can fix REPOSITORY_SCOPE findings. */
  readonly repository?: boolean;
  /**
   * Files of tracked findings that no longer exist when a complete run ends:
   * their findings are fixed whatever the run's kind or scope (deleting a
   * file is the most common fix), or carried to the file they moved to.
   */
  readonly goneFiles?: ReadonlySet<string>;
}

/** How many findings moved to each state in one lifecycle update. */
export interface LifecycleChanges {
  readonly new: readonly FindingRecord[];
  readonly returned: readonly FindingRecord[];
  readonly fixed: readonly FindingRecord[];
  readonly open: number;
  readonly suppressed: number;
}
