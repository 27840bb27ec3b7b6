import { DANGEROUS_CALL_RULES } from '../../local/audit/dangerousCallRules.js';
import type { Finding } from '../../run/types.js';
import { SECRET_RULES } from '../../secrets/secretRules.js';
import { knownSeverity } from './severityMapping.js';

/** What a SARIF rule says about itself, before levels and indexes are attached. */
export interface RuleMetadata {
  readonly id: string;
  /** PascalCase friendly name (`AwsAccessKeyId`); absent when the id has no letters or digits. */
  readonly name?: string;
  readonly shortDescription: string;
  readonly fullDescription: string;
  readonly help: string;
  readonly tags: readonly string[];
  /** The rule's severity: fixed for local rules, the first finding's for a model's. */
  readonly severity: Finding['severity'];
  /** True for the project's own rules, false for ids a model made up. */
  readonly local: boolean;
}

/** CWE of each dangerous-call rule, as GitHub's `external/cwe/cwe-NNN` tags read them. */
const DANGEROUS_CALL_CWE: Readonly<Record<string, number>> = {
  'js-eval': 95,
  'js-new-function': 95,
  'js-string-timer': 95,
  'py-eval-exec': 95,
  'js-command-injection': 78,
  'py-os-system': 78,
  'py-subprocess-shell': 78,
  'go-shell-command-injection': 78,
  'js-html-injection': 79,
  'js-insert-adjacent-html': 79,
  'js-document-write': 79,
  'react-dangerously-set-inner-html': 79,
  'py-pickle-load': 502,
  'py-yaml-unsafe-load': 502,
  'sql-injection': 89,
  'weak-password-hash': 916,
  'tls-verification-disabled': 295,
};

/** CWE-798: use of hard-coded credentials. */
const HARD_CODED_CREDENTIALS_CWE = 798;

const SHORT_DESCRIPTION_CHARS = 120;

/** `external/cwe/cwe-089`: zero-padded as CodeQL writes it. */
function cweTag(cwe: number): string {
  return `external/cwe/cwe-${String(cwe).padStart(3, '0')}`;
}

/** `aws-access-key-id` → `AwsAccessKeyId`. */
export function pascalName(id: string): string | undefined {
  const name = id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join('');
  return /^[A-Za-z]/.test(name) ? name : undefined;
}

/** Ends a text with a full stop unless it already ends with punctuation. */
export function asSentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?…]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/** The first sentence or clause of a message, cut at a word to at most 120 characters. */
function shortForm(message: string): string {
  const flat = message.replace(/\s+/g, ' ').trim();
  const clause = flat.split(/(?<=[.!?])\s|;\s|:\s/)[0] ?? flat;
  if (clause.length <= SHORT_DESCRIPTION_CHARS) return asSentence(clause);
  const cut = clause.slice(0, SHORT_DESCRIPTION_CHARS - 1);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), SHORT_DESCRIPTION_CHARS / 2)).trimEnd()}…`;
}

function secretRuleMetadata(): RuleMetadata[] {
  return SECRET_RULES.filter((rule) => !rule.redactOnly).map((rule) => ({
    id: rule.id,
    name: pascalName(rule.id),
    shortDescription: asSentence(rule.description),
    fullDescription: asSentence(
      `${rule.description} committed to the repository: anyone who can read the repository (or a copy of it) can use it`,
    ),
    help:
      'Treat the value as leaked: revoke or rotate it where it was issued, remove it from the code (and from the ' +
      'history if the repository is shared), and load it at run time from a secret store or the environment.',
    tags: ['security', 'secret', cweTag(HARD_CODED_CREDENTIALS_CWE)],
    severity: rule.severity,
    local: true,
  }));
}

function dangerousCallRuleMetadata(): RuleMetadata[] {
  return DANGEROUS_CALL_RULES.map((rule) => {
    const cwe = DANGEROUS_CALL_CWE[rule.id];
    return {
      id: rule.id,
      name: pascalName(rule.id),
      shortDescription: shortForm(rule.message),
      fullDescription: asSentence(rule.message),
      help: asSentence(rule.message),
      tags: ['security', 'dangerous-call', ...rule.languages.map((language) => `language/${language}`), ...(cwe ? [cweTag(cwe)] : [])],
      severity: rule.severity,
      local: true,
    };
  });
}

/**
 * Metadata of the project's own rules (the reporting secret rules and the
 * dangerous-call rules) by id. A secret rule wins over a dangerous-call rule of
 * the same id.
 *
 * @example LOCAL_RULE_METADATA.get('sql-injection')?.tags // ['security', 'dangerous-call', ..., 'external/cwe/cwe-089']
 */
export const LOCAL_RULE_METADATA: ReadonlyMap<string, RuleMetadata> = new Map(
  [...dangerousCallRuleMetadata(), ...secretRuleMetadata()].map((metadata) => [metadata.id, metadata]),
);

/**
 * Metadata of a rule id a model made up, described by the first finding seen
 * under it: its message's first sentence as the short description, the whole
 * message as the full one, its recommendation (when the output has one) as the
 * help. Texts are expected to be secret-free already (see `maskSecretsIn`).
 *
 * @example modelRuleMetadata({ ruleId: 'missing-auth', severity: 'high', message: 'Route has no auth check. Add one.' }).shortDescription === 'Route has no auth check.'
 */
export function modelRuleMetadata(finding: {
  readonly ruleId: string;
  readonly severity: Finding['severity'];
  readonly message: string;
  readonly recommendation?: string;
}): RuleMetadata {
  const message = finding.message.trim() || finding.ruleId;
  const recommendation = finding.recommendation?.trim();
  return {
    id: finding.ruleId,
    name: pascalName(finding.ruleId),
    shortDescription: shortForm(message),
    fullDescription: asSentence(message),
    help: asSentence(recommendation || message),
    tags: ['security', 'model-reported'],
    severity: knownSeverity(finding.severity),
    local: false,
  };
}
