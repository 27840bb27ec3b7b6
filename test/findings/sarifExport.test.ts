import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fingerprintFinding, type FindingRecord, type FindingState } from '../../workers/findings/index.js';
import { FINGERPRINT_KEY, sarifForFindings, sarifForRun, writeSarif, type SarifLog } from '../../workers/findings/sarif/index.js';
import { runLocalAudit } from '../../workers/local/audit/index.js';
import type { Finding } from '../../workers/run/types.js';
import { createTempDirs, writeTree } from '../helpers/contextFixtures.js';
import { validateSarif } from '../helpers/sarifValidator.js';
import { fakeToken, CHARSETS } from '../helpers/secretFixtures.js';
import { auditFixtureTree } from '../helpers/sourceTreeFixtures.js';
import { runResultOf } from '../helpers/runResultFixture.js';

const temp = createTempDirs();
afterEach(() => temp.cleanup());

const TOOL_VERSION = '0.1.0';

/** Writes the log, runs the official validator on it, and returns the file's text. */
async function writeAndValidate(log: SarifLog, name: string): Promise<string> {
  const dir = await temp.make('hw-sarif-');
  const file = path.join(dir, name);
  await writeSarif(log, file);
  const validation = await validateSarif(file);
  expect(validation.errors, `sarif-multitool validate ${name}:\n${validation.report}`).toEqual([]);
  return readFile(file, 'utf8');
}

describe('SARIF export against the official validator (sarif-multitool validate)', () => {
  it('exports a real local audit run: planted secrets masked, SQL injection and odd paths located', async () => {
    // Prepare
    const repo = await temp.make('hw-sarif-repo-');
    const { tree, plants } = auditFixtureTree();
    const oddFiles = { 'src/my dir/#1 données.py': 'import os\nos.system("rm -rf " + target)\n' };
    await writeTree(repo, { ...tree, ...oddFiles });
    const output = await runLocalAudit(repo);
    const fingerprints = new Map<number, string>();
    for (const [index, finding] of output.findings.entries()) {
      const lines = (await readFile(path.join(repo, finding.file), 'utf8')).split('\n');
      fingerprints.set(index, fingerprintFinding(finding, lines));
    }
    const result = runResultOf(output);

    // Act
    const log = sarifForRun(result, {
      toolVersion: TOOL_VERSION,
      fingerprints,
      versionControl: { repositoryUri: 'https://git.example.com/team/demo-app', revisionId: '0123456789abcdef0123456789abcdef01234567', branch: 'main' },
    });
    const text = await writeAndValidate(log, 'local-audit.sarif');

    // Assess
    const run = log.runs[0]!;
    // The lock file is scanned for secrets too (a registry token there is a real leak).
    expect(run.results.map((r) => [r.ruleId, r.level, r.locations[0]!.physicalLocation!.artifactLocation.uri, r.locations[0]!.physicalLocation!.region.startLine])).toEqual([
      ['github-pat', 'error', 'package-lock.json', 1],
      ['aws-access-key-id', 'error', 'src/config.ts', 2],
      ['password-in-config', 'error', '.env', 3],
      ['sql-injection', 'error', 'src/db.ts', 3],
      ['js-eval', 'error', 'src/db.ts', 4],
      ['py-os-system', 'error', 'src/my%20dir/%231%20donn%C3%A9es.py', 2],
      ['py-os-system', 'error', 'tools/run.py', 2],
      ['py-pickle-load', 'error', 'tools/run.py', 3],
      ['js-html-injection', 'warning', 'web/app.js', 2],
    ]);
    expect(run.results.map((r) => r.partialFingerprints?.[FINGERPRINT_KEY])).toEqual(output.findings.map((_, index) => fingerprints.get(index)));
    expect(run.results.map((r) => r.locations[0]!.physicalLocation!.region.snippet?.text)).toEqual(output.findings.map((f) => f.evidence));
    expect(run.tool.driver.rules.map((rule) => rule.id)).toEqual(['github-pat', 'aws-access-key-id', 'password-in-config', 'sql-injection', 'js-eval', 'py-os-system', 'py-pickle-load', 'js-html-injection']);
    expect(run.results.every((r) => run.tool.driver.rules[r.ruleIndex]!.id === r.ruleId)).toBe(true);
    expect(run.tool.driver.rules.find((rule) => rule.id === 'sql-injection')?.properties.tags).toContain('external/cwe/cwe-089');
    expect(run.automationDetails).toEqual({ id: 'audit/demo-app/' });
    expect(run.invocations?.[0]).toEqual({ executionSuccessful: true, startTimeUtc: '2026-01-05T10:00:00.000Z', endTimeUtc: '2026-01-05T10:00:02.500Z' });
    expect(run.versionControlProvenance?.[0]).toMatchObject({ revisionId: '0123456789abcdef0123456789abcdef01234567', mappedTo: { uriBaseId: '%SRCROOT%' } });
    expect(text).not.toContain(plants.awsKeyId);
    expect(text).not.toContain(plants.dbPassword);
  });

  it('exports a headless audit result: rules for the model ruleIds, leaked secrets masked, outside paths left out', async () => {
    // Prepare
    const leakedToken = `ghp_${fakeToken(CHARSETS.ALNUM, 36, 901)}`;
    const findings = [
      {
        ruleId: 'missing-authorization',
        severity: 'high',
        file: 'src/routes/admin.ts',
        line: 14,
        message: 'The DELETE /users/:id route has no authorization check. Any signed-in user can delete accounts.',
        evidence: 'router.delete("/users/:id", deleteUser);',
        recommendation: 'Add the requireAdmin middleware to the route.',
      },
      { ruleId: 'missing-authorization', severity: 'critical', file: 'src/routes/billing.ts', line: 0, message: 'Refund endpoint skips the ownership check' },
      {
        ruleId: 'hardcoded-secret',
        severity: 'critical',
        file: 'config/settings.py',
        line: 3,
        message: `GitHub token ${leakedToken} is committed`,
        evidence: `GITHUB_TOKEN = "${leakedToken}"`,
      },
      { ruleId: 'path-traversal', severity: 'medium', file: '../other-repo/server.js', line: 9, message: 'Outside the repository' },
      { ruleId: 'weak-randomness', severity: 'low', file: 'src/token.ts', line: 5, message: 'Math.random() used for a reset token' },
    ] satisfies (Finding & { recommendation?: string })[];
    const result = runResultOf(
      { summary: 'Five issues', findings },
      { mode: 'headless', requestedMode: 'headless', model: 'claude-sonnet-4-5', sandboxMode: 'strict', numTurns: 7 },
    );

    // Act
    const log = sarifForRun(result, { toolVersion: TOOL_VERSION, fingerprints: (finding) => fingerprintFinding(finding, null) });
    const text = await writeAndValidate(log, 'headless-audit.sarif');

    // Assess
    const run = log.runs[0]!;
    expect(run.results.map((r) => [r.ruleId, r.ruleIndex, r.level, r.properties['security-severity']])).toEqual([
      ['missing-authorization', 0, 'error', '8.0'],
      ['missing-authorization', 0, 'error', '9.5'],
      ['hardcoded-secret', 1, 'error', '9.5'],
      ['weak-randomness', 2, 'note', '3.0'],
    ]);
    const [authorization, secret, randomness] = run.tool.driver.rules;
    expect(authorization).toMatchObject({
      id: 'missing-authorization',
      name: 'MissingAuthorization',
      shortDescription: { text: 'The DELETE /users/:id route has no authorization check.' },
      fullDescription: { text: 'The DELETE /users/:id route has no authorization check. Any signed-in user can delete accounts.' },
      help: { text: 'Add the requireAdmin middleware to the route.' },
      // The rule is as severe as its worst finding.
      defaultConfiguration: { level: 'error' },
      properties: { tags: ['security', 'model-reported'], 'security-severity': '9.5' },
    });
    expect(secret?.id).toBe('hardcoded-secret');
    expect(randomness).toMatchObject({ id: 'weak-randomness', defaultConfiguration: { level: 'note' } });
    expect(run.results[1]!.locations[0]!.physicalLocation!.region.startLine).toBe(1);
    expect(run.invocations?.[0]?.toolExecutionNotifications).toEqual([
      { level: 'warning', message: { text: '1 finding was left out: not a finding, or its file is not a path inside the repository.' } },
    ]);
    expect(run.properties).toMatchObject({ mode: 'headless', model: 'claude-sonnet-4-5' });
    expect(text).not.toContain(leakedToken);
    expect(text).toContain('ghp_****');
  });

  it('exports the open findings now: every state but fixed, suppressed ones marked external with their reason', async () => {
    // Prepare
    const fingerprint = (index: number): string => `fp${index}`.padEnd(20, '0');
    const record = (state: FindingState, index: number, extra: Partial<FindingRecord> = {}): FindingRecord => ({
      ruleId: 'sql-injection',
      severity: 'high',
      file: `src/repo ${index}/query#${index}.ts`,
      line: 10 + index,
      message: 'SQL built by string concatenation or interpolation: use parameterised queries',
      evidence: `db.query("SELECT * FROM t" + id${index})`,
      fingerprint: fingerprint(index),
      target: 'demo-app',
      worker: 'audit',
      state,
      detectedBy: 'local',
      firstSeen: '2026-01-01T00:00:00.000Z',
      lastSeen: '2026-01-05T00:00:00.000Z',
      runCount: index + 1,
      latestRunId: `run-${index}`,
      ...extra,
    });
    const records = [
      record('new', 1),
      record('open', 2),
      record('fixed', 3, { fixedAt: '2026-01-04T00:00:00.000Z' }),
      record('returned', 4),
      record('suppressed', 5, {
        stateBeforeSuppression: 'open',
        suppression: { reason: 'Test fixture, not deployed', until: '2026-12-31', source: '.headless-workers/suppressions' },
      }),
      record('open', 6, { worker: 'audit', target: 'billing-api', ruleId: 'js-eval', severity: 'medium' }),
    ];

    // Act
    const log = sarifForFindings(records, { toolVersion: TOOL_VERSION });
    await writeAndValidate(log, 'open-findings.sarif');

    // Assess
    expect(log.runs.map((run) => [run.automationDetails?.id, run.results.length])).toEqual([
      ['audit/billing-api/', 1],
      ['audit/demo-app/', 4],
    ]);
    const demo = log.runs[1]!;
    expect(demo.results.map((r) => [r.properties.state, r.baselineState, r.partialFingerprints?.[FINGERPRINT_KEY], r.suppressions])).toEqual([
      ['new', 'new', fingerprint(1), undefined],
      ['open', 'unchanged', fingerprint(2), undefined],
      ['returned', 'new', fingerprint(4), undefined],
      [
        'suppressed',
        'unchanged',
        fingerprint(5),
        [
          {
            kind: 'external',
            status: 'accepted',
            justification: 'Test fixture, not deployed',
            properties: { source: '.headless-workers/suppressions', origin: 'operator', until: '2026-12-31' },
          },
        ],
      ],
    ]);
    expect(demo.results[0]!.locations[0]!.physicalLocation!.artifactLocation.uri).toBe('src/repo%201/query%231.ts');
    expect(demo.results[0]!.properties).toMatchObject({ detectedBy: 'local', firstSeen: '2026-01-01T00:00:00.000Z', lastSeen: '2026-01-05T00:00:00.000Z', runCount: 2 });
    expect(log.runs[0]!.results[0]).toMatchObject({ ruleId: 'js-eval', level: 'warning', properties: { 'security-severity': '5.5' } });
  });

  it('exports an empty run, a failed run and an empty snapshot as valid logs with zero results', async () => {
    // Prepare
    const empty = runResultOf({ summary: 'Local audit: no findings in 3 files.', findings: [], stats: {} });
    const failed = runResultOf(undefined, {
      status: 'TIMED_OUT',
      success: false,
      mode: 'headless',
      requestedMode: 'headless',
      error: 'Timed out after 900 s',
      outputFormat: 'json',
      output: '',
    });
    const map = runResultOf({ summary: 'TypeScript, 12 files', languages: [] }, { worker: 'map' });

    // Act
    const logs = {
      empty: sarifForRun(empty, { toolVersion: TOOL_VERSION }),
      failed: sarifForRun(failed, { toolVersion: TOOL_VERSION }),
      map: sarifForRun(map, { toolVersion: TOOL_VERSION }),
      snapshot: sarifForFindings([], { toolVersion: TOOL_VERSION, scope: { worker: 'audit', target: 'demo-app' } }),
    };
    for (const [name, log] of Object.entries(logs)) await writeAndValidate(log, `${name}.sarif`);

    // Assess
    for (const log of Object.values(logs)) {
      expect(log.runs).toHaveLength(1);
      expect(log.runs[0]!.results).toEqual([]);
      expect(log.runs[0]!.tool.driver.rules).toEqual([]);
    }
    expect(logs.empty.runs[0]!.invocations?.[0]).toEqual({ executionSuccessful: true, startTimeUtc: '2026-01-05T10:00:00.000Z', endTimeUtc: '2026-01-05T10:00:02.500Z' });
    expect(logs.failed.runs[0]!.invocations?.[0]).toMatchObject({
      executionSuccessful: false,
      toolExecutionNotifications: [{ level: 'error', message: { text: 'The run ended TIMED_OUT: Timed out after 900 s' } }],
    });
    expect(logs.map.runs[0]!.automationDetails).toEqual({ id: 'map/demo-app/' });
    expect(logs.snapshot.runs[0]!.automationDetails).toEqual({ id: 'audit/demo-app/' });
  });
});
