import type { ExclusionReason, Finding } from '../../run/types.js';

/** Source languages the dangerous-call rules tell apart. */
export type CodeLanguage = 'javascript' | 'python' | 'go' | 'ruby' | 'php' | 'java' | 'csharp' | 'html';

/**
 * One dangerous-call rule, as plain data: a single-line regex, the languages
 * it applies to, cheap lowercase keywords one of which the line must contain
 * before the regex runs, and an optional pattern that clears a matching line.
 */
export interface DangerousCallRule {
  readonly id: string;
  readonly severity: Finding['severity'];
  readonly message: string;
  readonly languages: readonly CodeLanguage[];
  readonly keywords: readonly string[];
  readonly pattern: RegExp;
  /** A line that also matches this is safe (a constant string, a safe loader, a tagged template). */
  readonly unless?: RegExp;
  /** The file must also contain this (lowercase) for the rule to run: `subprocess` for `shell=True`. */
  readonly fileRequires?: string;
}

/** Figures of one local audit run. */
export interface LocalAuditStats {
  readonly filesScanned: number;
  readonly bytesScanned: number;
  readonly findingsBySeverity: Readonly<Record<Finding['severity'], number>>;
  readonly durationMs: number;
  /** Files and directories not analysed, by reason: nothing is left out without a count. */
  readonly notAnalysed: Readonly<Partial<Record<ExclusionReason, number>>>;
  /** The first of those paths with their reasons. */
  readonly notAnalysedPaths?: readonly { readonly path: string; readonly reason: ExclusionReason }[];
  /** Lock, vendored and generated files: scanned for secrets, not for dangerous calls. */
  readonly secretsOnly?: Readonly<Partial<Record<'lockfile' | 'vendored' | 'generated', number>>>;
  /** Files larger than the read limit: only their head was scanned. */
  readonly truncatedFiles?: number;
}

/**
 * Result of the local audit, shaped like the headless audit worker's output
 * (`AUDIT_OUTPUT_SCHEMA`): a one-line summary, the findings, and the figures
 * under `stats`, so one type serves both modes.
 */
export interface LocalAuditResult {
  readonly summary: string;
  readonly stats: LocalAuditStats;
  /** Set when part of the tree could not be read: the run's status is INCOMPLETE and this is why. */
  readonly incomplete?: string;
  readonly findings: readonly Finding[];
}
