import type { Finding } from '../../run/types.js';

/** The SARIF version this module writes. */
export const SARIF_VERSION = '2.1.0';

/** Where the SARIF 2.1.0 JSON schema lives (the URI GitHub's documentation uses). */
export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';

/** `tool.driver.name`: one tool, whatever worker or rule set produced the finding. */
export const SARIF_TOOL_NAME = 'headless-workers';

/**
 * Default `tool.driver.informationUri` (the npm package page); pass
 * `informationUri` to point at the deployment's own repository instead.
 */
export const DEFAULT_INFORMATION_URI = 'https://www.npmjs.com/package/headless-workers';

/** Base id every artifact URI is relative to: the root of the analysed repository. */
export const SOURCE_ROOT_BASE_ID = '%SRCROOT%';

/**
 * Key of `partialFingerprints`: versioned so a future change of the
 * fingerprint rule can ship under a new key instead of re-keying every alert.
 */
export const FINGERPRINT_KEY = 'headlessWorkers/v1';

/** SARIF `level` of each severity. */
export const SARIF_LEVEL_BY_SEVERITY = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
} as const satisfies Record<Finding['severity'], 'error' | 'warning' | 'note'>;

/**
 * `properties.security-severity` of each severity: GitHub code scanning ranks
 * alerts by it (9.0 and above critical, 7.0 high, 4.0 medium, above 0 low).
 * Strings, as CodeQL writes them.
 */
export const SECURITY_SEVERITY_BY_SEVERITY = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: '1.0',
} as const satisfies Record<Finding['severity'], string>;

/** Severities from most to least severe. */
export const SEVERITY_RANK: readonly Finding['severity'][] = ['critical', 'high', 'medium', 'low', 'info'];
