import type { Finding } from '../../run/types.js';
import type { FindingRecord } from '../types.js';

/*
 * The part of SARIF 2.1.0 (OASIS) this module writes: property names and
 * nesting follow the standard exactly, optional members we never fill are left
 * out of the types.
 */

export type SarifLevel = 'error' | 'warning' | 'note' | 'none';

/** A SARIF property bag. */
export type SarifProperties = Readonly<Record<string, unknown>>;

export interface SarifMessage {
  readonly text: string;
}

export interface SarifMultiformatMessage {
  readonly text: string;
  readonly markdown?: string;
}

/** A `reportingDescriptor`: one rule in `tool.driver.rules`. */
export interface SarifRule {
  readonly id: string;
  readonly name?: string;
  readonly shortDescription: SarifMultiformatMessage;
  readonly fullDescription: SarifMultiformatMessage;
  readonly help: SarifMultiformatMessage;
  readonly defaultConfiguration: { readonly level: SarifLevel };
  readonly properties: SarifProperties & { readonly tags: readonly string[]; readonly 'security-severity': string };
}

export interface SarifRegion {
  readonly startLine: number;
  readonly snippet?: { readonly text: string };
}

/** A place in a file, or (for a finding about the whole repository) a logical location only. */
export interface SarifLocation {
  readonly physicalLocation?: {
    readonly artifactLocation: { readonly uri: string; readonly uriBaseId: string };
    readonly region: SarifRegion;
  };
  readonly logicalLocations?: readonly { readonly name: string; readonly kind: string }[];
}

export interface SarifSuppression {
  readonly kind: 'inSource' | 'external';
  readonly status?: 'accepted' | 'underReview' | 'rejected';
  readonly justification?: string;
  readonly properties?: SarifProperties;
}

export interface SarifResult {
  readonly ruleId: string;
  readonly ruleIndex: number;
  readonly level: SarifLevel;
  readonly message: SarifMessage;
  readonly locations: readonly SarifLocation[];
  readonly partialFingerprints?: Readonly<Record<string, string>>;
  readonly baselineState?: 'new' | 'unchanged' | 'updated' | 'absent';
  readonly suppressions?: readonly SarifSuppression[];
  readonly properties: SarifProperties;
}

export interface SarifNotification {
  readonly level: SarifLevel;
  readonly message: SarifMessage;
}

export interface SarifInvocation {
  readonly executionSuccessful: boolean;
  readonly startTimeUtc?: string;
  readonly endTimeUtc?: string;
  readonly toolExecutionNotifications?: readonly SarifNotification[];
}

export interface SarifVersionControlDetails {
  readonly repositoryUri: string;
  readonly revisionId: string;
  readonly branch?: string;
  readonly mappedTo: { readonly uriBaseId: string };
}

export interface SarifRun {
  readonly tool: {
    readonly driver: {
      readonly name: string;
      readonly informationUri: string;
      readonly version: string;
      readonly rules: readonly SarifRule[];
    };
  };
  readonly automationDetails?: { readonly id: string };
  readonly versionControlProvenance?: readonly SarifVersionControlDetails[];
  readonly invocations?: readonly SarifInvocation[];
  readonly results: readonly SarifResult[];
  readonly properties?: SarifProperties;
}

/** A whole SARIF file. */
export interface SarifLog {
  readonly $schema: string;
  readonly version: '2.1.0';
  readonly runs: readonly SarifRun[];
}

/** The commit the findings were made on. */
export interface SarifVersionControl {
  /** Absolute URI of the repository (`https://github.com/org/repo`, `file:///srv/repo`). */
  readonly repositoryUri: string;
  /** The commit id. */
  readonly revisionId: string;
  readonly branch?: string;
}

/** Options of every export. */
export interface SarifOptions {
  /** `tool.driver.version`: the headless-workers version that produced the findings. */
  readonly toolVersion: string;
  /** `tool.driver.informationUri` (default: {@link DEFAULT_INFORMATION_URI}). */
  readonly informationUri?: string;
  /** Written as `versionControlProvenance` when the commit is known; left out otherwise. */
  readonly versionControl?: SarifVersionControl;
}

/**
 * Fingerprints of a run's findings: by index into `parsedOutput.findings`, or a
 * function of the finding. A finding without one gets no `partialFingerprints`
 * (GitHub then computes its own from the line's text).
 */
export type FindingFingerprints =
  | ReadonlyMap<number, string>
  | ((finding: Finding, index: number) => string | undefined);

/** Options of {@link sarifForRun}. */
export interface SarifRunOptions extends SarifOptions {
  readonly fingerprints?: FindingFingerprints;
  /**
   * The tracked record of a finding (by index into the run's findings), when
   * the run was tracked: its fingerprint, state and suppression win over
   * `fingerprints`, so a run's export dismisses what `findings --sarif` dismisses.
   */
  readonly trackedRecords?: (finding: Finding, index: number) => FindingRecord | undefined;
}

/** Options of {@link sarifForFindings}. */
export interface SarifFindingsOptions extends SarifOptions {
  /**
   * The (worker, target) the records were read for: names the single run of an
   * export without records, so an empty upload still closes that category's
   * alerts. Records of other pairs are not filtered by it.
   */
  readonly scope?: { readonly worker: string; readonly target: string };
}
