import type { JsonSchema } from './types.js';

const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'];

/** One finding: the shape shared by the model's answer and the local rules. */
const findingSchema: JsonSchema = {
  type: 'object',
  required: ['ruleId', 'severity', 'file', 'line', 'message'],
  properties: {
    ruleId: { type: 'string', minLength: 1, description: 'Short kebab-case category, e.g. sql-injection, hardcoded-secret' },
    severity: { type: 'string', enum: SEVERITIES },
    file: { type: 'string', minLength: 1, description: 'Path relative to the repository root' },
    line: { type: 'integer', minimum: 0 },
    message: { type: 'string', minLength: 1 },
    evidence: { type: 'string', description: 'The offending code, secrets masked' },
    recommendation: { type: 'string' },
    context: { type: 'string', enum: ['test', 'docs', 'i18n', 'example'], description: 'Set by the runner from the file path; a model leaves it out' },
  },
  additionalProperties: false,
};

/** Output of the audit worker (headless and local fallback). */
export const AUDIT_OUTPUT_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['summary', 'findings'],
  properties: {
    summary: { type: 'string' },
    findings: { type: 'array', items: findingSchema },
    stats: { type: 'object' },
    incomplete: { type: 'string', description: 'Set by the local analysis when part of the tree could not be read' },
  },
  additionalProperties: false,
};

/** Output of the predict worker: where the next problems are likely to come from. */
export const PREDICT_OUTPUT_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['summary', 'predictions'],
  properties: {
    summary: { type: 'string' },
    predictions: {
      type: 'array',
      items: {
        type: 'object',
        required: ['area', 'likelihood', 'reason', 'files'],
        properties: {
          area: { type: 'string', minLength: 1 },
          likelihood: { type: 'string', enum: ['high', 'medium', 'low'] },
          reason: { type: 'string', minLength: 1 },
          files: { type: 'array', items: { type: 'string' } },
          suggestedAction: { type: 'string' },
        },
        additionalProperties: false,
      },
    },
  },
  additionalProperties: false,
};

/** Output of the ultralearn worker: the codebase's conventions and vocabulary. */
export const ULTRALEARN_OUTPUT_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['summary', 'conventions', 'glossary'],
  properties: {
    summary: { type: 'string' },
    conventions: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name', 'description'],
        properties: {
          name: { type: 'string', minLength: 1 },
          description: { type: 'string', minLength: 1 },
          examples: { type: 'array', items: { type: 'string' } },
        },
        additionalProperties: false,
      },
    },
    glossary: {
      type: 'array',
      items: {
        type: 'object',
        required: ['term', 'meaning'],
        properties: { term: { type: 'string', minLength: 1 }, meaning: { type: 'string', minLength: 1 } },
        additionalProperties: false,
      },
    },
    architecture: { type: 'string' },
  },
  additionalProperties: false,
};
