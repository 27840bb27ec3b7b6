import { FINDING_CONTEXTS } from '../findingContext.js';
import type { Finding } from '../../run/types.js';
import { artifactUri } from './artifactUri.js';
import { FINGERPRINT_KEY, SOURCE_ROOT_BASE_ID } from './constants.js';
import { maskSecretsIn } from './maskSecretsIn.js';
import type { SarifRuleSet } from './SarifRuleSet.js';
import { knownSeverity, sarifLevel, securitySeverity } from './severityMapping.js';
import { REPOSITORY_SCOPE } from '../types.js';
import type { SarifLocation, SarifProperties, SarifResult, SarifSuppression } from './types.js';

/** What a result carries beyond its finding. */
export interface ResultExtras {
  /** The finding's stable fingerprint, written under {@link FINGERPRINT_KEY}. */
  readonly fingerprint?: string;
  readonly baselineState?: SarifResult['baselineState'];
  readonly suppression?: SarifSuppression;
  readonly properties?: SarifProperties;
}

/** A finding as it may arrive from a model: the schema's optional `recommendation` included. */
type LooseFinding = Finding & { readonly recommendation?: string };

/**
 * Reads one entry of a `findings` array: null unless it has a rule id, a file
 * and a message. Output validated against the worker's schema always passes;
 * this guards callers that skipped validation.
 */
export function readFinding(value: unknown): LooseFinding | null {
  if (typeof value !== 'object' || value === null) return null;
  const entry = value as Record<string, unknown>;
  if (typeof entry.ruleId !== 'string' || entry.ruleId.trim() === '') return null;
  if (typeof entry.file !== 'string' || typeof entry.message !== 'string') return null;
  return {
    ruleId: entry.ruleId.trim(),
    severity: knownSeverity(entry.severity),
    file: entry.file,
    line: typeof entry.line === 'number' ? entry.line : 0,
    message: entry.message,
    ...(typeof entry.evidence === 'string' ? { evidence: entry.evidence } : {}),
    ...(typeof entry.recommendation === 'string' ? { recommendation: entry.recommendation } : {}),
    ...(typeof entry.context === 'string' && (FINDING_CONTEXTS as readonly string[]).includes(entry.context) ? { context: entry.context as NonNullable<Finding['context']> } : {}),
  };
}

/**
 * Where a finding about the whole repository (REPOSITORY_SCOPE: a learned
 * convention) is: a logical location, since no file or line is meant. The
 * official validator accepts it; code scanning lists only results with a
 * physical location, so such findings stay out of its alerts.
 */
const REPOSITORY_LOCATION: SarifLocation = { logicalLocations: [{ name: 'repository', kind: 'module' }] };

/** `startLine` is 1-based: line 0 (a whole-file finding) and nonsense values point at line 1. */
export function startLineOf(line: number): number {
  return Number.isSafeInteger(line) && line >= 1 ? line : 1;
}

/**
 * One finding as a SARIF result, its rule registered in `rules`. Message,
 * evidence and recommendation pass through {@link maskSecretsIn} first; the
 * snippet is the finding's evidence and nothing else from the file. Null when
 * the finding's file is not a path inside the repository (see `artifactUri`)
 * nor REPOSITORY_SCOPE.
 *
 * @example toSarifResult(finding, rules, { fingerprint: 'a1b2…' })?.level === 'error'
 */
export function toSarifResult(finding: LooseFinding, rules: SarifRuleSet, extras: ResultExtras = {}): SarifResult | null {
  const repositoryWide = finding.file === REPOSITORY_SCOPE;
  const uri = repositoryWide ? null : artifactUri(finding.file);
  if (uri === null && !repositoryWide) return null;
  const severity = knownSeverity(finding.severity);
  const message = maskSecretsIn(finding.message, finding.file).trim();
  const evidence = finding.evidence === undefined ? '' : maskSecretsIn(finding.evidence, finding.file);
  const recommendation = finding.recommendation === undefined ? undefined : maskSecretsIn(finding.recommendation, finding.file);
  const ruleIndex = rules.indexFor({
    ruleId: finding.ruleId,
    severity,
    message: message || finding.ruleId,
    ...(recommendation === undefined ? {} : { recommendation }),
  });
  return {
    ruleId: finding.ruleId,
    ruleIndex,
    level: sarifLevel(severity),
    message: { text: message || finding.ruleId },
    locations: [
      uri === null
        ? REPOSITORY_LOCATION
        : {
            physicalLocation: {
              artifactLocation: { uri, uriBaseId: SOURCE_ROOT_BASE_ID },
              region: { startLine: startLineOf(finding.line), ...(evidence.trim() ? { snippet: { text: evidence } } : {}) },
            },
          },
    ],
    ...(extras.fingerprint ? { partialFingerprints: { [FINGERPRINT_KEY]: extras.fingerprint } } : {}),
    ...(extras.baselineState ? { baselineState: extras.baselineState } : {}),
    ...(extras.suppression ? { suppressions: [extras.suppression] } : {}),
    // Outside production code (tests, docs, i18n, examples) the severity is already at most low, so the level is `note`; the context says why.
    properties: { severity, 'security-severity': securitySeverity(severity), ...(finding.context ? { context: finding.context } : {}), ...extras.properties },
  };
}
