export { runLocalAudit, compareFindings, type LocalAuditOptions } from './runLocalAudit.js';
export { scanDangerousCalls } from './scanDangerousCalls.js';
export { DANGEROUS_CALL_RULES } from './dangerousCallRules.js';
export { codeLanguageOf } from './codeLanguageOf.js';
export type { CodeLanguage, DangerousCallRule, LocalAuditResult, LocalAuditStats } from './types.js';
export { localHitsByFile } from './localHitsByFile.js';
