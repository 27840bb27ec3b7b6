import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../../../workers/run/types.js';
import { NO_CLAUDE_ENV, PROJECT_ROOT, runCli } from '../../helpers/cliProcess.js';

/** The labelled corpus (see ../shared/corpora/README.md); a checkout without it skips, and says so. */
const CORPUS = path.resolve(PROJECT_ROOT, '../shared/corpora/juice-shop.tar.gz');
const present = existsSync(CORPUS);
if (!present) console.warn(`skipped: ${CORPUS} is not here (the signal-first check needs the corpus)`);

/**
 * Signal first, measured on a real application nobody here wrote: the
 * default `findings` table shows production code only; `--all` adds the
 * findings in tests and translations. The test knows no path of the corpus:
 * it reads the context the audit gave each finding.
 */
describe.skipIf(!present)('local audit on the labelled corpus', () => {
  let work: string;
  let repo: string;
  let env: Record<string, string | undefined>;
  let result: RunResult;

  beforeAll(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), 'hw-corpus-'));
    execFileSync('tar', ['-xzf', CORPUS, '-C', work]);
    repo = path.join(work, 'repo');
    env = { ...NO_CLAUDE_ENV, HW_STATE_DIR: path.join(work, 'state'), COLUMNS: '400' };
    const run = await runCli(['run', 'audit', '--repo', repo, '--local', '--json'], { env, timeoutMs: 120_000 });
    result = JSON.parse(run.stdout) as RunResult;
  }, 180_000);

  afterAll(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('puts tests and translations out of the default table, and --all shows them', async () => {
    // Prepare
    const findings = (result.parsedOutput as { findings: { file: string; line: number; context?: string }[] }).findings;
    const elsewhere = findings.filter((finding) => finding.context === 'test' || finding.context === 'i18n');
    const production = findings.filter((finding) => finding.context === undefined);

    // Act
    const table = await runCli(['findings', '--repo', repo], { env });
    const all = await runCli(['findings', '--repo', repo, '--all'], { env });

    // Assess
    expect(result.status).toBe('SUCCEEDED');
    expect(elsewhere.length).toBeGreaterThan(0);
    expect(production.length).toBeGreaterThan(0);
    expect(table.code).toBe(0);
    expect(table.stdout).not.toMatch(/\[(?:test|i18n)\]/);
    for (const finding of elsewhere) expect(table.stdout).not.toContain(`${finding.file}:${finding.line} `);
    for (const finding of production) expect(table.stdout).toContain(`${finding.file}:${finding.line}`);
    expect(table.stdout).toMatch(/more in tests, docs, examples or translations \(--all shows them\)/);
    for (const finding of elsewhere) expect(all.stdout).toContain(`${finding.file}:${finding.line}`);
  });

  it('does not take translated "password" labels for passwords', () => {
    // Assess: a translation file may still hold a secret, but not dozens of labels.
    const findings = (result.parsedOutput as { findings: { ruleId: string; context?: string }[] }).findings;
    expect(findings.filter((finding) => finding.ruleId === 'password-assignment' && finding.context === 'i18n').length).toBeLessThanOrEqual(2);
  });
});
