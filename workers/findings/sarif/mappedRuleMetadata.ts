import { LEARNED_RULES } from '../learnedFindings.js';
import { PREDICTED_RISK_RULE } from '../predictionFindings.js';
import type { RuleMetadata } from './ruleMetadata.js';

/** What the rules that predict and ultralearn outputs map to say about themselves (see workerFindings.ts). */
const MAPPED_RULES: Readonly<Record<string, Omit<RuleMetadata, 'severity' | 'local'>>> = {
  [PREDICTED_RISK_RULE]: {
    id: PREDICTED_RISK_RULE,
    name: 'PredictedRisk',
    shortDescription: 'A file where the next problems are likely to come from.',
    fullDescription: 'The predict worker expects problems in this file, from recent churn, complexity, fragile dependencies or missing tests; the message gives the areas and reasons.',
    help: 'Review the recent changes to the file and cover its risky paths with tests before the next change; the message may suggest an action.',
    tags: ['maintainability', 'prediction', 'model-reported'],
  },
  [LEARNED_RULES.convention]: {
    id: LEARNED_RULES.convention,
    name: 'LearnedConvention',
    shortDescription: 'A convention the code follows, learned from the repository.',
    fullDescription: 'The ultralearn worker found that the code follows this convention (naming, error handling, layout, testing, logging); later reviews respect it.',
    help: 'Nothing to fix: keep following the convention, or suppress it if it is not one the team wants.',
    tags: ['convention', 'model-reported'],
  },
  [LEARNED_RULES.glossary]: {
    id: LEARNED_RULES.glossary,
    name: 'GlossaryTerm',
    shortDescription: 'A domain term the code uses, and its meaning.',
    fullDescription: 'The ultralearn worker found this domain term in the code; the message gives its meaning as the code uses it.',
    help: 'Nothing to fix: correct the meaning in the code or documentation if it is wrong.',
    tags: ['glossary', 'model-reported'],
  },
};

/**
 * Metadata of a rule that a predict or ultralearn output maps to, with the
 * severity of its first finding (the rule is then as severe as its most
 * severe finding, like a model's rule); null for any other id.
 *
 * @example mappedRuleMetadata('predicted-risk', 'high')?.name === 'PredictedRisk'
 */
export function mappedRuleMetadata(ruleId: string, severity: RuleMetadata['severity']): RuleMetadata | null {
  const rule = MAPPED_RULES[ruleId];
  return rule ? { ...rule, severity, local: false } : null;
}
