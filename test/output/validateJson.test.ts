import { describe, expect, it } from 'vitest';
import { validateJson } from '../../workers/output/validateJson.js';

const findingsSchema = {
  type: 'object',
  required: ['findings'],
  additionalProperties: false,
  properties: {
    findings: {
      type: 'array',
      items: {
        type: 'object',
        required: ['ruleId', 'severity', 'line'],
        properties: {
          ruleId: { type: 'string' },
          severity: { enum: ['critical', 'high', 'medium', 'low', 'info'] },
          line: { type: 'integer' },
        },
      },
    },
  },
};

describe('validateJson', () => {
  it('accepts a value that fits the schema', () => {
    // prepare
    const value = { findings: [{ ruleId: 'R1', severity: 'high', line: 3 }] };

    // act
    const verdict = validateJson(value, findingsSchema);

    // assess
    expect(verdict).toEqual({ valid: true });
  });

  it('names the JSON path of each error in words', () => {
    // prepare
    const value = { findings: [{ ruleId: 'R1', severity: 'urgent', line: '3' }, { severity: 'low', line: 1 }], extra: true };

    // act
    const verdict = validateJson(value, findingsSchema);

    // assess
    expect(verdict.valid).toBe(false);
    const errors = verdict.valid ? [] : verdict.errors;
    expect(errors).toContain('/findings/0/severity must be one of critical, high, medium, low, info');
    expect(errors).toContain('/findings/0/line must be integer, got string');
    expect(errors).toContain('/findings/1/ruleId is required');
    expect(errors).toContain('/extra is not allowed');
  });

  it('reports a wrong root type as (root)', () => {
    // act
    const verdict = validateJson([], findingsSchema);

    // assess
    expect(verdict).toEqual({ valid: false, errors: ['(root) must be object, got array'] });
  });

  it('compiles a schema rebuilt with another key order from the cache, with the same verdicts', () => {
    // prepare
    const reordered = { properties: findingsSchema.properties, additionalProperties: false, required: ['findings'], type: 'object' };

    // act
    const first = validateJson({ findings: [] }, reordered);
    const second = validateJson({ findings: 'no' }, reordered);

    // assess
    expect(first).toEqual({ valid: true });
    expect(second).toEqual({ valid: false, errors: ['/findings must be array, got string'] });
  });

  it('understands draft-07 schemas and the date-time format', () => {
    // prepare
    const schema = {
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      properties: { at: { type: 'string', format: 'date-time' } },
    };

    // act
    const good = validateJson({ at: '2025-01-02T03:04:05Z' }, schema);
    const bad = validateJson({ at: 'yesterday' }, schema);

    // assess
    expect(good).toEqual({ valid: true });
    expect(bad).toEqual({ valid: false, errors: ['/at must match format "date-time"'] });
  });

  it('throws on a schema that is not a JSON Schema', () => {
    // act / assess
    expect(() => validateJson(1, { type: 'nonsense' })).toThrow(/invalid JSON Schema/);
  });
});
