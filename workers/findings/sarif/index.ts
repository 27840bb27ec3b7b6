export { sarifForRun, sarifForFindings } from './toSarif.js';
export { writeSarif } from './writeSarif.js';
export { artifactUri } from './artifactUri.js';
export { sarifLevel, securitySeverity } from './severityMapping.js';
export {
  DEFAULT_INFORMATION_URI,
  FINGERPRINT_KEY,
  SARIF_SCHEMA_URI,
  SARIF_TOOL_NAME,
  SARIF_VERSION,
  SOURCE_ROOT_BASE_ID,
} from './constants.js';
export { SarifExportError } from './errors.js';
export type {
  FindingFingerprints,
  SarifFindingsOptions,
  SarifLevel,
  SarifLog,
  SarifOptions,
  SarifResult,
  SarifRule,
  SarifRun,
  SarifRunOptions,
  SarifVersionControl,
} from './types.js';
