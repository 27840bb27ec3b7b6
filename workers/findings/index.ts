export { applyRunToFindings, refreshSuppressions, type FingerprintedFinding, type RunFindings } from './applyRunToFindings.js';
export { fingerprintFinding, normalizeCodeLine } from './fingerprintFinding.js';
export type { FindingSet, FindingStore } from './FindingStore.js';
export { LocalFindingStore } from './LocalFindingStore.js';
export { normalizeRuleId } from './normalizeRuleId.js';
export { loadSuppressionsFile, matchSuppression, parseSuppressionLine, parseSuppressions, SUPPRESSIONS_FILE_NAME, SUPPRESSION_SYNTAX, type Suppression } from './suppressions.js';
export { coverageOf, fingerprintFindings, findingsOf, trackRunFindings, type FindingSummary } from './trackRunFindings.js';
export { FINDING_STATES, type FindingRecord, type FindingState, type LifecycleChanges, type RunCoverage } from './types.js';
