import { Ajv } from 'ajv';
import { afterEach, describe, expect, it } from 'vitest';
import { AUDIT_OUTPUT_SCHEMA } from '../../../workers/catalog/outputSchemas.js';
import { runLocalAudit } from '../../../workers/local/audit/index.js';
import { createTempDirs, writeTree } from '../../helpers/contextFixtures.js';
import { auditFixtureTree } from '../../helpers/sourceTreeFixtures.js';

const temp = createTempDirs();
afterEach(() => temp.cleanup());

describe('runLocalAudit', () => {
  it('finds the planted secrets and dangerous calls, in severity, file, line order', async () => {
    // Prepare
    const repo = await temp.make('hw-audit-');
    const { tree } = auditFixtureTree();
    await writeTree(repo, tree);

    // Act
    const result = await runLocalAudit(repo);

    // Assess
    // A lock file is scanned for secrets (a registry token in it is a real leak), not for dangerous calls.
    expect(result.findings.map((finding) => [finding.severity, finding.file, finding.line, finding.ruleId])).toEqual([
      ['critical', 'package-lock.json', 1, 'github-pat'],
      ['critical', 'src/config.ts', 2, 'aws-access-key-id'],
      ['high', '.env', 3, 'password-in-config'],
      ['high', 'src/db.ts', 3, 'sql-injection'],
      ['high', 'src/db.ts', 4, 'js-eval'],
      ['high', 'tools/run.py', 2, 'py-os-system'],
      ['high', 'tools/run.py', 3, 'py-pickle-load'],
      ['medium', 'web/app.js', 2, 'js-html-injection'],
    ]);
  });

  it('reports figures and a one-line summary', async () => {
    // Prepare
    const repo = await temp.make('hw-audit-');
    const { tree } = auditFixtureTree();
    await writeTree(repo, tree);
    const scanned = ['src/db.ts', 'src/config.ts', 'web/app.js', 'tools/run.py', '.env', '.env.example', 'README.md', '.gitignore', 'package-lock.json'];
    const expectedBytes = scanned.reduce((sum, file) => sum + Buffer.byteLength(tree[file] as string), 0);

    // Act
    const result = await runLocalAudit(repo);

    // Assess
    expect(result.stats.filesScanned).toBe(scanned.length);
    expect(result.stats.bytesScanned).toBe(expectedBytes);
    expect(result.stats.findingsBySeverity).toEqual({ critical: 2, high: 5, medium: 1, low: 0, info: 0 });
    expect(result.stats.durationMs).toBeGreaterThanOrEqual(0);
    expect(result.summary).toBe('Local audit: 8 findings (2 critical, 5 high, 1 medium) in 9 files.');
    expect(result.stats.notAnalysed).toEqual({ binary: 1, gitignored: 1, vendored: 1 });
    expect(result.stats.secretsOnly).toEqual({ lockfile: 1 });
  });

  it('never puts a planted secret into evidence or messages', async () => {
    // Prepare
    const repo = await temp.make('hw-audit-');
    const { tree, plants } = auditFixtureTree();
    await writeTree(repo, tree);

    // Act
    const result = await runLocalAudit(repo);

    // Assess
    const text = JSON.stringify(result);
    expect(text).not.toContain(plants.awsKeyId);
    expect(text).not.toContain(plants.dbPassword);
  });

  it('produces output that validates against the headless audit schema', async () => {
    // Prepare
    const repo = await temp.make('hw-audit-');
    await writeTree(repo, auditFixtureTree().tree);
    const validate = new Ajv({ strict: false }).compile(AUDIT_OUTPUT_SCHEMA);

    // Act
    const result = await runLocalAudit(repo);

    // Assess
    expect(validate(JSON.parse(JSON.stringify(result))), JSON.stringify(validate.errors)).toBe(true);
  });

  it('gives the same output on a second run', async () => {
    // Prepare
    const repo = await temp.make('hw-audit-');
    await writeTree(repo, auditFixtureTree().tree);

    // Act
    const first = await runLocalAudit(repo, { concurrency: 1 });
    const second = await runLocalAudit(repo, { concurrency: 8 });

    // Assess
    expect(second.findings).toEqual(first.findings);
  });

  it('reports a clean repository as such', async () => {
    // Prepare
    const repo = await temp.make('hw-audit-');
    await writeTree(repo, { 'src/index.ts': 'export const answer = 42;\n' });

    // Act
    const result = await runLocalAudit(repo);

    // Assess
    expect(result.findings).toEqual([]);
    expect(result.summary).toBe('Local audit: no findings in 1 file.');
  });
});
