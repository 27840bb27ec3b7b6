import { execFileSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunResult } from '../../workers/run/types.js';
import { NO_CLAUDE_ENV, runCli } from '../helpers/cliProcess.js';
import { makeRepo } from '../helpers/fixtureRepo.js';
import { canDropPrivileges, giveToUnprivileged } from '../helpers/unprivilegedUser.js';

const created: string[] = [];
afterEach(async () => {
  for (const dir of created.splice(0)) {
    await chmod(dir, 0o755).catch(() => {});
    execFileSync('chmod', ['-R', 'u+rwX', dir]);
    await rm(dir, { recursive: true, force: true });
  }
});

/** An AWS access key id nobody owns: AKIA and 16 base32 characters. */
function fakeAwsKeyId(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  return `AKIA${Array.from({ length: 16 }, () => alphabet[randomInt(alphabet.length)]).join('')}`;
}

function git(repo: string, ...args: string[]): void {
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-C', repo, ...args], { stdio: 'ignore' });
}

/**
 * Hostile (and everyday) case: secrets committed where the old audit never
 * looked: a force-added `.env` that `.gitignore` names, `build/`, `out/`,
 * `target/`, `vendor/` and a `*.min.js`. gitleaks finds them; the local audit
 * found 0 of 6 and said "no findings in 0 files".
 */
describe('secrets in committed files the audit used to skip', () => {
  it('finds all six, through the real CLI', async () => {
    // Prepare: a repository whose .gitignore covers every planted file, each force-added.
    const keys = Array.from({ length: 6 }, fakeAwsKeyId);
    const planted: Record<string, string> = {
      '.env': `AWS_ACCESS_KEY_ID=${keys[0]}\nAWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYz9Q4s2Lk8N\n`,
      'build/deploy.js': `module.exports = { accessKeyId: "${keys[1]}" };\n`,
      'out/settings.py': `AWS_KEY = "${keys[2]}"\n`,
      'target/app.properties': `aws.key=${keys[3]}\n`,
      'vendor/acme/client.php': `<?php $key = "${keys[4]}";\n`,
      'web/app.min.js': `var a=1;var k="${keys[5]}";\n`,
    };
    const repo = await makeRepo({ '.gitignore': '.env\nbuild/\nout/\ntarget/\nvendor/\n*.min.js\n', 'src/index.ts': 'export const x = 1;\n', ...planted });
    created.push(repo);
    git(repo, 'init', '-q');
    git(repo, 'add', '.gitignore', 'src/index.ts');
    git(repo, 'add', '-f', ...Object.keys(planted));
    git(repo, 'commit', '-q', '-m', 'init');

    // Act
    const run = await runCli(['run', 'audit', '--repo', repo, '--local', '--json'], { env: { ...NO_CLAUDE_ENV } });

    // Assess
    expect(run.stderr).toBe('');
    const result = JSON.parse(run.stdout) as RunResult;
    expect(result.status).toBe('SUCCEEDED');
    const findings = (result.parsedOutput as { findings: { file: string; ruleId: string }[] }).findings;
    for (const file of Object.keys(planted)) expect(findings.filter((finding) => finding.ruleId === 'aws-access-key-id').map((finding) => finding.file), file).toContain(file);
    expect(run.code).toBe(0);
  });

  it.skipIf(!canDropPrivileges())('reports an unreadable subtree as INCOMPLETE (exit 1), and a tree it cannot read at all as FAILED', async () => {
    // Prepare: as an unprivileged user, a readable file and a folder only root may enter.
    const home = await mkdtemp(path.join(os.tmpdir(), 'hw-home-'));
    const repo = await makeRepo({ 'src/index.ts': 'export const x = eval(process.argv[2]);\n', 'private/keys.ts': `export const k = "${fakeAwsKeyId()}";\n` });
    created.push(home, repo);
    await giveToUnprivileged(home);
    await giveToUnprivileged(repo);
    await chmod(path.join(repo, 'private'), 0o000);
    const env = { ...NO_CLAUDE_ENV, HOME: home, HW_STATE_DIR: path.join(home, 'state') };

    // Act
    const partial = await runCli(['run', 'audit', '--repo', repo, '--local', '--json'], { env, unprivileged: true });
    const human = await runCli(['run', 'audit', '--repo', repo, '--local'], { env, unprivileged: true });
    await chmod(path.join(repo, 'src'), 0o000);
    const nothing = await runCli(['run', 'audit', '--repo', repo, '--local', '--json'], { env, unprivileged: true });

    // Assess
    const result = JSON.parse(partial.stdout) as RunResult;
    expect(result.status).toBe('INCOMPLETE');
    expect(result.error).toMatch(/private \(unreadable\)/);
    expect((result.parsedOutput as { findings: { ruleId: string }[] }).findings.map((finding) => finding.ruleId)).toContain('js-eval');
    expect(partial.code).toBe(1);
    expect(human.stdout).toMatch(/INCOMPLETE/);
    expect(human.stdout).toMatch(/not analysed: 1 unreadable/);
    const failed = JSON.parse(nothing.stdout) as RunResult;
    expect(failed.status).toBe('FAILED');
    expect(failed.error).toMatch(/could not read the repository/);
    expect(nothing.code).toBe(1);
  });
});
