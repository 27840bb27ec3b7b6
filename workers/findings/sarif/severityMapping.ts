import type { Finding } from '../../run/types.js';
import { SARIF_LEVEL_BY_SEVERITY, SECURITY_SEVERITY_BY_SEVERITY, SEVERITY_RANK } from './constants.js';
import type { SarifLevel } from './types.js';

/**
 * A finding's severity, or `medium` for a value outside the five (output that
 * skipped schema validation): an unknown severity is neither dismissed nor
 * raised to critical.
 */
export function knownSeverity(severity: unknown): Finding['severity'] {
  return SEVERITY_RANK.includes(severity as Finding['severity']) ? (severity as Finding['severity']) : 'medium';
}

/**
 * SARIF `level` of a severity: critical/high → error, medium → warning,
 * low/info → note.
 *
 * @example sarifLevel('high') === 'error'
 */
export function sarifLevel(severity: Finding['severity']): SarifLevel {
  return SARIF_LEVEL_BY_SEVERITY[severity];
}

/**
 * GitHub's `security-severity` score of a severity (critical 9.5, high 8.0,
 * medium 5.5, low 3.0, info 1.0).
 *
 * @example securitySeverity('critical') === '9.5'
 */
export function securitySeverity(severity: Finding['severity']): string {
  return SECURITY_SEVERITY_BY_SEVERITY[severity];
}

/** The more severe of two severities. */
export function moreSevere(a: Finding['severity'], b: Finding['severity']): Finding['severity'] {
  return SEVERITY_RANK.indexOf(a) <= SEVERITY_RANK.indexOf(b) ? a : b;
}
