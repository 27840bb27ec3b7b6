import type { Finding } from '../../run/types.js';
import { mappedRuleMetadata } from './mappedRuleMetadata.js';
import { LOCAL_RULE_METADATA, modelRuleMetadata, type RuleMetadata } from './ruleMetadata.js';
import { moreSevere, sarifLevel, securitySeverity } from './severityMapping.js';
import type { SarifRule } from './types.js';

/** The fields of a finding a rule is described from. */
export interface RuleSource {
  readonly ruleId: string;
  readonly severity: Finding['severity'];
  readonly message: string;
  readonly recommendation?: string;
}

/**
 * The `tool.driver.rules` of one SARIF run, built as results are added: each
 * rule appears once, in order of first use, so `ruleIndex` is stable for a
 * given list of findings. Only rules that have results are listed.
 *
 * @example
 * const rules = new SarifRuleSet();
 * const ruleIndex = rules.indexFor(finding);
 * const driverRules = rules.toSarif();
 */
export class SarifRuleSet {
  private readonly entries = new Map<string, { readonly index: number; readonly metadata: RuleMetadata; severity: Finding['severity'] }>();

  /** The index of the finding's rule, adding the rule on its first finding. */
  public indexFor(finding: RuleSource): number {
    const existing = this.entries.get(finding.ruleId);
    if (existing) {
      // A model's rule is as severe as its most severe finding; a local rule keeps its own severity.
      if (!existing.metadata.local) existing.severity = moreSevere(existing.severity, finding.severity);
      return existing.index;
    }
    const metadata = LOCAL_RULE_METADATA.get(finding.ruleId) ?? mappedRuleMetadata(finding.ruleId, finding.severity) ?? modelRuleMetadata(finding);
    const index = this.entries.size;
    this.entries.set(finding.ruleId, { index, metadata, severity: metadata.severity });
    return index;
  }

  /** The rules as SARIF `reportingDescriptor`s, in index order. */
  public toSarif(): SarifRule[] {
    return [...this.entries.values()].map(({ metadata, severity }) => ({
      id: metadata.id,
      ...(metadata.name ? { name: metadata.name } : {}),
      shortDescription: { text: metadata.shortDescription },
      fullDescription: { text: metadata.fullDescription },
      help: { text: metadata.help },
      defaultConfiguration: { level: sarifLevel(severity) },
      properties: { tags: metadata.tags, 'security-severity': securitySeverity(severity) },
    }));
  }
}
