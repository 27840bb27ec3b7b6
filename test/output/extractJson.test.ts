import { describe, expect, it } from 'vitest';
import { extractJsonOutput } from '../../workers/output/extractJson.js';

const schema = {
  type: 'object',
  required: ['findings'],
  properties: {
    findings: {
      type: 'array',
      items: {
        type: 'object',
        required: ['severity'],
        properties: { severity: { enum: ['critical', 'high', 'medium', 'low', 'info'] } },
      },
    },
  },
};

const fence = (lang: string, body: string): string => `\`\`\`${lang}\n${body}\n\`\`\``;

describe('extractJsonOutput', () => {
  it('takes a whole-text JSON answer', () => {
    // act
    const out = extractJsonOutput('  {"findings": []}\n', schema);

    // assess
    expect(out).toEqual({ ok: true, value: { findings: [] }, source: 'whole' });
  });

  it('takes JSON from a ```json fence inside prose', () => {
    // prepare
    const text = `Here is the audit.\n\n${fence('json', '{"findings": [{"severity": "high"}]}')}\n\nDone.`;

    // act
    const out = extractJsonOutput(text, schema);

    // assess
    expect(out).toEqual({ ok: true, value: { findings: [{ severity: 'high' }] }, source: 'fence' });
  });

  it('skips an earlier fence that holds something else', () => {
    // prepare
    const text = [
      'First run this:',
      fence('bash', 'npm test -- --grep "{x}"'),
      'An example of the format:',
      fence('', '{"example": true}'),
      'The result:',
      fence('', '{"findings": [{"severity": "low"}]}'),
    ].join('\n');

    // act
    const out = extractJsonOutput(text, schema);

    // assess
    expect(out).toEqual({ ok: true, value: { findings: [{ severity: 'low' }] }, source: 'fence' });
  });

  it('tries ```json fences before unlabelled ones', () => {
    // prepare
    const text = `${fence('', '[1, 2]')}\n${fence('json', '{"a": 1}')}`;

    // act
    const out = extractJsonOutput(text);

    // assess
    expect(out).toEqual({ ok: true, value: { a: 1 }, source: 'fence' });
  });

  it('finds a JSON object in prose, brackets inside strings included', () => {
    // prepare
    const text = 'I looked [carefully] at {the code}. Result: {"findings": [{"severity": "info", "note": "a } and a ] in a string"}]} -- end';

    // act
    const out = extractJsonOutput(text, schema);

    // assess
    expect(out).toEqual({
      ok: true,
      value: { findings: [{ severity: 'info', note: 'a } and a ] in a string' }] },
      source: 'embedded',
    });
  });

  it('finds JSON nested inside a bracketed span that is not JSON', () => {
    // prepare
    const text = '(see {appendix: {"findings": []}})';

    // act
    const out = extractJsonOutput(text, schema);

    // assess
    expect(out).toEqual({ ok: true, value: { findings: [] }, source: 'embedded' });
  });

  it('keeps a reason naming the closest candidate\'s schema errors when none validates', () => {
    // prepare
    const text = `${fence('json', '{"findings": [{"severity": "urgent"}]}')}\nand also {"other": 1}`;

    // act
    const out = extractJsonOutput(text, schema);

    // assess
    expect(out.ok).toBe(false);
    expect(out.ok ? '' : out.reason).toContain('/findings/0/severity must be one of critical, high, medium, low, info');
    expect(out.ok ? '' : out.reason).toContain('fence 1');
  });

  it('says the JSON does not parse when it is broken', () => {
    // prepare
    const text = `Result:\n${fence('json', '{"findings": [,]}')}`;

    // act
    const out = extractJsonOutput(text, schema);

    // assess
    expect(out.ok).toBe(false);
    expect(out.ok ? '' : out.reason).toMatch(/no JSON in the output parses/);
  });

  it('says there is no JSON at all in plain prose', () => {
    // act
    const out = extractJsonOutput('I could not finish the audit.', schema);

    // assess
    expect(out.ok).toBe(false);
    expect(out.ok ? '' : out.reason).toMatch(/no JSON found in the output/);
  });

  it('prefers a valid structured_output over the text', () => {
    // prepare
    const structuredOutput = { findings: [{ severity: 'critical' }] };

    // act
    const out = extractJsonOutput('{"findings": []}', schema, { structuredOutput });

    // assess
    expect(out).toEqual({ ok: true, value: structuredOutput, source: 'structured' });
  });

  it('falls back to the text when structured_output does not fit the schema', () => {
    // act
    const out = extractJsonOutput('{"findings": []}', schema, { structuredOutput: { nope: 1 } });

    // assess
    expect(out).toEqual({ ok: true, value: { findings: [] }, source: 'whole' });
  });

  it('takes the first parsable candidate when there is no schema', () => {
    // act
    const out = extractJsonOutput('answer: [1, {"a": 2}] then {"b": 3}');

    // assess
    expect(out).toEqual({ ok: true, value: [1, { a: 2 }], source: 'embedded' });
  });
});
