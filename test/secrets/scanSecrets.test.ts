import { describe, expect, it } from 'vitest';
import { SECRET_RULES, scanTextForSecrets } from '../../workers/secrets/index.js';
import { secretRuleCases } from '../helpers/secretFixtures.js';

const cases = secretRuleCases();

describe('scanTextForSecrets', () => {
  it('has a test case for every reported rule', () => {
    // Prepare
    const reported = SECRET_RULES.filter((rule) => !rule.redactOnly).map((rule) => rule.id);

    // Act
    const covered = new Set(cases.map((testCase) => testCase.ruleId));

    // Assess
    expect(reported.filter((id) => !covered.has(id))).toEqual([]);
  });

  describe.each(cases)('$ruleId', (testCase) => {
    it('reports the planted secret once, on its line, masked', () => {
      // Prepare
      const expectedLine = testCase.positive.slice(0, testCase.positive.indexOf(testCase.secret)).split('\n').length;

      // Act
      const findings = scanTextForSecrets(testCase.positive, testCase.file);

      // Assess
      expect(findings.map((finding) => finding.ruleId)).toEqual([testCase.ruleId]);
      const [finding] = findings;
      expect(finding!.file).toBe(testCase.file);
      expect(finding!.line).toBeLessThanOrEqual(expectedLine);
      expect(finding!.line).toBeGreaterThanOrEqual(expectedLine - 1);
      expect(finding!.evidence).not.toContain(testCase.secret);
      expect(finding!.message).not.toContain(testCase.secret);
      if (testCase.ruleId !== 'private-key') expect(finding!.evidence).toContain('*');
    });

    it.each(testCase.negatives)('stays quiet on the near miss %j', (negative) => {
      // Act
      const findings = scanTextForSecrets(negative, testCase.file);

      // Assess
      expect(findings).toEqual([]);
    });
  });

  it('reports a value matched by a provider rule and a generic rule only under the provider rule', () => {
    // Prepare
    const token = cases.find((testCase) => testCase.ruleId === 'github-pat')!.secret;

    // Act
    const findings = scanTextForSecrets(`GITHUB_TOKEN = "${token}"\n`, 'src/config.py');

    // Assess
    expect(findings.map((finding) => finding.ruleId)).toEqual(['github-pat']);
  });

  it('masks every secret on a line with two of them', () => {
    // Prepare
    const aws = cases.find((testCase) => testCase.ruleId === 'aws-access-key-id')!.secret;
    const ghp = cases.find((testCase) => testCase.ruleId === 'github-pat')!.secret;

    // Act
    const findings = scanTextForSecrets(`tokens = ["${aws}", "${ghp}"]\n`, 'src/tokens.py');

    // Assess
    expect(findings.map((finding) => finding.ruleId)).toEqual(['aws-access-key-id', 'github-pat']);
    for (const finding of findings) {
      expect(finding.evidence).not.toContain(aws);
      expect(finding.evidence).not.toContain(ghp);
    }
  });

  it('points a private key finding at its BEGIN line', () => {
    // Prepare
    const testCase = cases.find((candidate) => candidate.ruleId === 'private-key')!;

    // Act
    const [finding] = scanTextForSecrets(`// header\n${testCase.positive}`, 'keys/server.txt');

    // Assess
    expect(finding!.line).toBe(3);
    expect(finding!.evidence).toBe('-----BEGIN RSA PRIVATE KEY-----');
  });

  it('returns nothing for ordinary code', () => {
    // Prepare
    const code = [
      "import { readFile } from 'node:fs/promises';",
      'const apiVersion = "2024-01-01";',
      'const tokenizer = new Tokenizer({ maxTokens: 4096 });',
      'const password = await prompt("Password: ");',
      'export const AUTH_HEADER = "Authorization";',
      'const cacheKey = `user:${id}`;',
      "const secretName = 'prod/db/credentials';",
    ].join('\n');

    // Act
    const findings = scanTextForSecrets(code, 'src/app.ts');

    // Assess
    expect(findings).toEqual([]);
  });
});
