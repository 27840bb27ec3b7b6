import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  artifactUri,
  FINGERPRINT_KEY,
  SarifExportError,
  sarifForRun,
  sarifLevel,
  securitySeverity,
  writeSarif,
} from '../../workers/findings/sarif/index.js';
import type { Finding, RunResult } from '../../workers/run/types.js';
import { createTempDirs } from '../helpers/contextFixtures.js';
import { CHARSETS, fakeToken } from '../helpers/secretFixtures.js';

const temp = createTempDirs();
afterEach(() => temp.cleanup());

const OPTIONS = { toolVersion: '0.1.0' };

function finding(overrides: Partial<Finding> = {}): Finding {
  return { ruleId: 'sql-injection', severity: 'high', file: 'src/db.ts', line: 4, message: 'SQL built by concatenation', ...overrides };
}

/** A successful audit run whose output holds `findings`. */
function auditRun(findings: readonly unknown[]): RunResult {
  const parsedOutput = { summary: `${findings.length} findings`, findings };
  return {
    runId: 'run-1',
    worker: 'audit',
    target: 'shop',
    mode: 'headless',
    requestedMode: 'headless',
    status: 'SUCCEEDED',
    success: true,
    outputFormat: 'json',
    output: JSON.stringify(parsedOutput),
    parsedOutput,
    startedAt: '2026-02-01T08:00:00Z',
    finishedAt: '2026-02-01T08:01:00Z',
    durationMs: 60_000,
    tokens: { input: 1000, output: 200, cacheRead: 0, cacheCreation: 0 },
    costUsd: 0.01,
    model: 'claude-haiku-4-5',
    sandboxMode: 'strict',
    numTurns: 3,
    violations: [],
    expiresAt: 1_800_000_000,
  };
}

describe('severity mapping', () => {
  it.each([
    ['critical', 'error', '9.5'],
    ['high', 'error', '8.0'],
    ['medium', 'warning', '5.5'],
    ['low', 'note', '3.0'],
    ['info', 'note', '1.0'],
  ] as const)('maps %s to level %s and security-severity %s, on the result and its rule', (severity, level, score) => {
    // Prepare
    const run = auditRun([finding({ severity })]);

    // Act
    const log = sarifForRun(run, OPTIONS);

    // Assess
    expect([sarifLevel(severity), securitySeverity(severity)]).toEqual([level, score]);
    const [result] = log.runs[0]!.results;
    expect(result).toMatchObject({ level, properties: { severity, 'security-severity': score } });
    // A local rule keeps its own severity whatever the finding says.
    expect(log.runs[0]!.tool.driver.rules[0]).toMatchObject({ defaultConfiguration: { level: 'error' }, properties: { 'security-severity': '8.0' } });
  });

  it('treats a severity outside the five as medium', () => {
    // Prepare
    const run = auditRun([{ ...finding({ ruleId: 'odd-thing' }), severity: 'severe' }]);

    // Act
    const log = sarifForRun(run, OPTIONS);

    // Assess
    expect(log.runs[0]!.results[0]).toMatchObject({ level: 'warning', properties: { severity: 'medium' } });
  });
});

describe('artifact URIs', () => {
  it.each([
    ['src/db.ts', 'src/db.ts'],
    ['src\\win\\path.ts', 'src/win/path.ts'],
    ['./src/./a/../b.ts', 'src/b.ts'],
    ['docs/my notes.md', 'docs/my%20notes.md'],
    ['src/#hash?.ts', 'src/%23hash%3F.ts'],
    ['src/100%.ts', 'src/100%25.ts'],
    ['lib/naïve/日本.py', 'lib/na%C3%AFve/%E6%97%A5%E6%9C%AC.py'],
    ['weird:name.ts', 'weird%3Aname.ts'],
    ['/etc/passwd', null],
    ['C:\\repo\\a.ts', null],
    ['../outside.ts', null],
    ['src/../../outside.ts', null],
    ['file:///repo/a.ts', null],
    ['', null],
  ])('%j becomes %j', (file, expected) => {
    // Act
    const uri = artifactUri(file);

    // Assess
    expect(uri).toBe(expected);
    if (uri) expect(decodeURIComponent(uri)).toBe(path.posix.normalize(file.replace(/\\/g, '/')));
  });

  it('writes repository-relative URIs against %SRCROOT% and leaves out findings it cannot place', () => {
    // Prepare
    const run = auditRun([finding({ file: 'src/a b#c é.ts' }), finding({ file: '/abs/path.ts' })]);

    // Act
    const log = sarifForRun(run, OPTIONS);

    // Assess
    expect(log.runs[0]!.results.map((r) => r.locations[0]!.physicalLocation!.artifactLocation)).toEqual([
      { uri: 'src/a%20b%23c%20%C3%A9.ts', uriBaseId: '%SRCROOT%' },
    ]);
    expect(log.runs[0]!.invocations?.[0]?.toolExecutionNotifications?.[0]?.level).toBe('warning');
  });
});

describe('regions and snippets', () => {
  it.each([
    [0, 1],
    [-3, 1],
    [2.5, 1],
    [1, 1],
    [42, 42],
  ])('line %d becomes startLine %d', (line, startLine) => {
    // Act
    const log = sarifForRun(auditRun([finding({ line })]), OPTIONS);

    // Assess
    expect(log.runs[0]!.results[0]!.locations[0]!.physicalLocation!.region.startLine).toBe(startLine);
  });

  it('puts the evidence, and only the evidence, in the snippet; no evidence, no snippet', () => {
    // Prepare
    const run = auditRun([finding({ evidence: 'query("SELECT * FROM t WHERE id=" + id)' }), finding({ line: 9 })]);

    // Act
    const [withEvidence, without] = sarifForRun(run, OPTIONS).runs[0]!.results;

    // Assess
    expect(withEvidence!.locations[0]!.physicalLocation!.region).toEqual({ startLine: 4, snippet: { text: 'query("SELECT * FROM t WHERE id=" + id)' } });
    expect(without!.locations[0]!.physicalLocation!.region).toEqual({ startLine: 9 });
  });

  it('masks a secret a model quoted in its message, evidence or recommendation', () => {
    // Prepare
    const key = `AKIA${fakeToken(CHARSETS.UPPER_BASE32, 16, 77)}`;
    const run = auditRun([
      { ...finding({ ruleId: 'aws-key-in-code', message: `Key ${key} in code`, evidence: `const key = "${key}";` }), recommendation: `Rotate ${key}` },
    ]);

    // Act
    const text = JSON.stringify(sarifForRun(run, OPTIONS));

    // Assess
    expect(text).not.toContain(key);
    expect(text).toContain('AKIA****************');
  });
});

describe('fingerprints', () => {
  it('writes partialFingerprints from a map by finding index, and none for findings without one', () => {
    // Prepare
    const run = auditRun([finding(), finding({ line: 8 })]);

    // Act
    const results = sarifForRun(run, { ...OPTIONS, fingerprints: new Map([[1, 'abc123']]) }).runs[0]!.results;

    // Assess
    expect(results.map((r) => r.partialFingerprints)).toEqual([undefined, { [FINGERPRINT_KEY]: 'abc123' }]);
    expect(FINGERPRINT_KEY).toBe('headlessWorkers/v1');
  });

  it('calls a fingerprint function with each finding and its index', () => {
    // Prepare
    const run = auditRun([finding(), finding({ file: 'src/other.ts' })]);

    // Act
    const results = sarifForRun(run, { ...OPTIONS, fingerprints: (f, index) => `${f.file}:${index}` }).runs[0]!.results;

    // Assess
    expect(results.map((r) => r.partialFingerprints?.[FINGERPRINT_KEY])).toEqual(['src/db.ts:0', 'src/other.ts:1']);
  });
});

describe('rules and run metadata', () => {
  it('describes a model rule by the first message seen, and cuts long ones at a word', () => {
    // Prepare
    const long = `Token compared with == instead of a constant-time comparison ${'which leaks timing information '.repeat(6)}`;
    const run = auditRun([
      finding({ ruleId: 'timing-attack', severity: 'low', message: long }),
      finding({ ruleId: 'timing-attack', severity: 'medium', message: 'Second wording' }),
    ]);

    // Act
    const [rule] = sarifForRun(run, OPTIONS).runs[0]!.tool.driver.rules;

    // Assess
    expect(rule!.shortDescription.text.length).toBeLessThanOrEqual(120);
    expect(rule!.shortDescription.text).toMatch(/^Token compared with == instead of a constant-time comparison which leaks.*[a-z]…$/);
    expect(rule!.fullDescription.text).toBe(`${long.trim()}.`);
    expect(rule!.defaultConfiguration.level).toBe('warning');
  });

  it('describes a local rule from its rule set, whatever the finding says', () => {
    // Act
    const [rule] = sarifForRun(auditRun([finding({ ruleId: 'github-pat', severity: 'low', message: 'GitHub personal access token: ghp_****' })]), OPTIONS)
      .runs[0]!.tool.driver.rules;

    // Assess
    expect(rule).toMatchObject({
      id: 'github-pat',
      name: 'GithubPat',
      shortDescription: { text: 'GitHub personal access token.' },
      defaultConfiguration: { level: 'error' },
      properties: { tags: ['security', 'secret', 'external/cwe/cwe-798'], 'security-severity': '9.5' },
    });
  });

  it('names the tool and the run, and adds versionControlProvenance only when the commit is known', () => {
    // Act
    const plain = sarifForRun(auditRun([]), OPTIONS);
    const withCommit = sarifForRun(auditRun([]), {
      toolVersion: '1.2.3',
      informationUri: 'https://example.com/headless-workers',
      versionControl: { repositoryUri: 'https://example.com/shop.git', revisionId: 'abc1234' },
    });

    // Assess
    expect(plain).toMatchObject({ version: '2.1.0', $schema: 'https://json.schemastore.org/sarif-2.1.0.json' });
    expect(plain.runs[0]!.tool.driver).toMatchObject({ name: 'headless-workers', version: '0.1.0' });
    expect(plain.runs[0]!.versionControlProvenance).toBeUndefined();
    expect(plain.runs[0]!.automationDetails).toEqual({ id: 'audit/shop/' });
    expect(withCommit.runs[0]!.tool.driver).toMatchObject({ version: '1.2.3', informationUri: 'https://example.com/headless-workers' });
    expect(withCommit.runs[0]!.versionControlProvenance).toEqual([
      { repositoryUri: 'https://example.com/shop.git', revisionId: 'abc1234', mappedTo: { uriBaseId: '%SRCROOT%' } },
    ]);
  });

  it('rejects an empty tool version and a relative repository URI', () => {
    // Act / Assess
    expect(() => sarifForRun(auditRun([]), { toolVersion: ' ' })).toThrow(SarifExportError);
    expect(() => sarifForRun(auditRun([]), { toolVersion: '1', versionControl: { repositoryUri: 'shop', revisionId: 'abc' } })).toThrow(
      /repositoryUri must be an absolute URI/,
    );
  });

  it('skips entries of the findings array that are not findings', () => {
    // Act
    const log = sarifForRun(auditRun([null, 'text', { ruleId: 'x' }, finding()]), OPTIONS);

    // Assess
    expect(log.runs[0]!.results).toHaveLength(1);
    expect(log.runs[0]!.invocations?.[0]?.toolExecutionNotifications?.[0]?.message.text).toMatch(/^3 findings were left out/);
  });
});

describe('writeSarif', () => {
  it('writes pretty-printed JSON, creating the folder', async () => {
    // Prepare
    const dir = await temp.make('hw-sarif-write-');
    const file = path.join(dir, 'nested', 'out.sarif');
    const log = sarifForRun(auditRun([finding()]), OPTIONS);

    // Act
    await writeSarif(log, file);

    // Assess
    const text = await readFile(file, 'utf8');
    expect(text).toBe(`${JSON.stringify(log, null, 2)}\n`);
    expect(JSON.parse(text)).toEqual(log);
  });
});
