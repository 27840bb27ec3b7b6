import { execFileSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FindingRecord } from '../../workers/findings/index.js';
import { packageVersion } from '../../workers/packageVersion.js';
import { CLAUDE_BIN } from '../fake-model/claudeTestBed.js';
import { startFakeModelServer } from '../fake-model/index.js';
import { useClaudeTestBed } from '../fake-model/useClaudeTestBed.js';
import { NO_CLAUDE_ENV, runCli, type CliResult } from '../helpers/cliProcess.js';
import { makeRepo, VULNERABLE_APP } from '../helpers/fixtureRepo.js';
import { canDropPrivileges, giveToUnprivileged } from '../helpers/unprivilegedUser.js';

/*
 * Issue 13, "exit codes contradict what happened": each case runs the real CLI
 * and checks its exit code (0 done, 1 the run failed or found problems at or
 * above --fail-on, 2 bad usage or input) and that the message is a plain
 * sentence naming the field or file and the fix: no stack trace, no raw errno.
 */

/** A message for a person: no stack frame, no errno text such as `EACCES: permission denied, mkdir '…'`. */
function expectPlainMessage(result: CliResult): void {
  expect(result.stderr).not.toMatch(/\n\s+at /);
  expect(result.stderr).not.toMatch(/\bE[A-Z]{3,}\b(:|,| \()/);
}

let scratch: string;
const repos: string[] = [];
async function vulnerableRepo(): Promise<string> {
  const repo = await makeRepo(VULNERABLE_APP, 'hw-exit-codes-repo-');
  repos.push(repo);
  return repo;
}
beforeEach(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), 'hw-exit-codes-'));
});
afterEach(async () => {
  for (const dir of [scratch, ...repos.splice(0)]) await rm(dir, { recursive: true, force: true });
});

describe('a run that had nothing to do is done', () => {
  const t = useClaudeTestBed({ 'src/auth.ts': 'export const token = checkToken(input);\n', 'src/billing.ts': 'export const billingMarker = 2;\n' });
  const AUDIT = { summary: 'one problem', findings: [{ severity: 'high', ruleId: 'missing-auth-check', file: 'src/auth.ts', line: 1, message: 'token is not verified' }] };

  it('"nothing changed" SKIPPED exits 0 with a note, not error:, and --fail-on still counts the findings it carried over', async () => {
    const repo = t.bed.workspace;
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd: repo, stdio: 'ignore' });
    git('init', '-q');
    git('add', '.');
    git('commit', '-q', '-m', 'first');
    t.server = await startFakeModelServer({ reply: () => ({ kind: 'structuredOutput', value: AUDIT }) });
    const env = { ...t.bed.env(t.server.url), HW_CLAUDE_BIN: CLAUDE_BIN };
    const stateDir = path.join(t.bed.root, 'state');
    const audit = (...extra: string[]) => runCli(['run', 'audit', '--repo', repo, '--state-dir', stateDir, '--headless', ...extra], { env, timeoutMs: 90_000 });
    const first = await audit();
    expect(first.code, first.stderr).toBe(0);

    const skipped = await audit();
    const gateHigh = await audit('--fail-on', 'high');
    const gateCritical = await audit('--fail-on', 'critical');

    expect(skipped.stdout).toMatch(/SKIPPED/);
    expect(skipped.code).toBe(0);
    expect(skipped.stdout).toMatch(/note: nothing changed since commit/);
    expect(`${skipped.stdout}${skipped.stderr}`).not.toMatch(/error:/);
    expect(gateHigh.code).toBe(1);
    expect(gateHigh.stderr).toMatch(/fail-on: 1 unresolved finding\(s\) at high or above/);
    expect(gateCritical.code).toBe(0);
  });
});

describe('exit codes and messages of the CLI', () => {
  it('--version prints the package version and exits 0', async () => {
    const result = await runCli(['--version'], { cwd: scratch });

    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe(packageVersion());
  });

  it('a corrupt findings store fails the run (exit 1), naming the file and the fix', async () => {
    const repo = await vulnerableRepo();
    const stateDir = path.join(scratch, 'state');
    const first = await runCli(['run', 'audit', '--repo', repo, '--state-dir', stateDir], { env: NO_CLAUDE_ENV });
    expect(first.code).toBe(0);
    const store = path.join(stateDir, 'findings', path.basename(repo), 'audit.json');
    await writeFile(store, '{"target": ');

    const result = await runCli(['run', 'audit', '--repo', repo, '--state-dir', stateDir], { env: NO_CLAUDE_ENV });

    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/error: findings were not tracked: .*audit\.json is not valid JSON .*fix or delete it/);
    expectPlainMessage(result);
  });

  it.runIf(canDropPrivileges())('a repository the user cannot read is bad input (exit 2), not a clean run of no files', async () => {
    const home = path.join(scratch, 'home');
    const repo = path.join(scratch, 'locked');
    await mkdir(home);
    await mkdir(path.join(repo, 'src'), { recursive: true });
    await writeFile(path.join(repo, 'src/config.ts'), "export const awsAccessKeyId = 'AKIAQ3EGRJ7XWY5NZ2VB';\n");
    await giveToUnprivileged(home);
    await chmod(scratch, 0o755); // the way to it is open (stat works)...
    await chmod(repo, 0o700); // ...but the folder, owned by root, may not be listed: it used to be walked as empty and reported clean

    const results = await Promise.all([
      runCli(['run', 'audit', '--repo', repo], { unprivileged: true, env: { ...NO_CLAUDE_ENV, HOME: home } }),
      runCli(['run', 'map', '--repo', repo], { unprivileged: true, env: { HOME: home } }),
      runCli(['findings', '--repo', repo], { unprivileged: true, env: { HOME: home } }),
    ]);

    for (const result of results) {
      expect(result.code, result.stdout + result.stderr).toBe(2);
      expect(result.stderr).toContain(`error: repository path ${repo} is not readable by this user (permission denied)`);
      expect(result.stderr).toMatch(/give this user read access to it, or pass --repo DIR/);
      expect(result.stdout).not.toMatch(/SUCCEEDED/);
      expectPlainMessage(result);
    }
  });

  it.runIf(canDropPrivileges())('a file operation that fails mid-command is worded, not a raw errno (suppress into a repository this user cannot write)', async () => {
    const home = path.join(scratch, 'home');
    const repo = path.join(scratch, 'read-only');
    await mkdir(home);
    await mkdir(repo);
    await giveToUnprivileged(home);
    await chmod(scratch, 0o755);
    await chmod(repo, 0o755); // owned by root: readable, not writable, by the unprivileged user

    const result = await runCli(['suppress', 'hardcoded-secret:test/**', '--reason', 'fixtures', '--repo', repo], { unprivileged: true, env: { HOME: home } });

    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`error: cannot open ${path.join(repo, 'headless-workers.suppressions')}: permission denied for this user\n`);
    expectPlainMessage(result);
  });

  it('--repo "" is a usage error (exit 2), not an audit of the current directory', async () => {
    const results = await Promise.all([
      runCli(['run', 'map', '--repo', ''], { cwd: scratch }),
      runCli(['findings', '--repo', ' '], { cwd: scratch }),
      runCli(['run', 'map', '--repo', scratch, '--sarif', ''], { cwd: scratch }),
    ]);

    for (const result of results) {
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/option '--(repo <dir>|sarif <file>)' argument '\s*' is invalid\. it is empty; give (a directory, e\.g\. --repo \.|a file)/);
      expect(result.stdout).toBe('');
      expectPlainMessage(result);
    }
  });

  it('a --sarif path under a file is refused before the run (exit 2), and no run is stored', async () => {
    const repo = await vulnerableRepo();
    const stateDir = path.join(scratch, 'state');

    const underFile = await runCli(['run', 'audit', '--repo', repo, '--state-dir', stateDir, '--sarif', path.join(repo, 'README.md', 'out.sarif')], { env: NO_CLAUDE_ENV });
    const isFolder = await runCli(['findings', '--repo', repo, '--state-dir', stateDir, '--sarif', repo]);

    expect(underFile.code).toBe(2);
    expect(underFile.stderr).toContain(`error: --sarif ${path.join(repo, 'README.md', 'out.sarif')} is under ${path.join(repo, 'README.md')}, which is a file, not a folder; give a path in a folder`);
    expect(underFile.stdout).toBe('');
    expect(await readdir(path.join(stateDir, 'results')).catch(() => [])).toEqual([]);
    expect(isFolder.code).toBe(2);
    expect(isFolder.stderr).toMatch(/error: --sarif .* is a directory; give a file path, e\.g\. --sarif .*results\.sarif/);
    for (const result of [underFile, isFolder]) expectPlainMessage(result);
  });

  it('a --state-dir that is or lies under a file, and a missing --config, are bad input (exit 2) in words, not errno codes', async () => {
    const repo = await vulnerableRepo();
    const file = path.join(repo, 'README.md');

    const [underFile, isFile, noConfig] = await Promise.all([
      runCli(['run', 'map', '--repo', repo, '--state-dir', path.join(file, 'state')]),
      runCli(['findings', '--repo', repo, '--state-dir', file]),
      runCli(['--config', path.join(scratch, 'none.json'), 'run', 'map', '--repo', repo]),
    ]);

    expect(underFile).toMatchObject({ code: 2, stdout: '' });
    expect(underFile.stderr).toBe(`error: --state-dir ${path.join(file, 'state')} is under ${file}, which is a file, not a folder; give a path in a folder\n`);
    expect(isFile).toMatchObject({ code: 2, stdout: '' });
    expect(isFile.stderr).toBe(`error: --state-dir ${file} is a file, not a folder; give a folder (it is created when missing)\n`);
    expect(noConfig).toMatchObject({ code: 2, stdout: '' });
    expect(noConfig.stderr).toBe(`error: Cannot read config file ${path.join(scratch, 'none.json')}: it does not exist; pass --config FILE naming a file you can read\n`);
    for (const result of [underFile, isFile, noConfig]) expectPlainMessage(result);
  });

  it('suppress refuses an unknown fingerprint and a past --until (exit 2), and accepts a tracked one', async () => {
    const repo = await vulnerableRepo();
    const stateDir = path.join(scratch, 'state');
    await runCli(['run', 'audit', '--repo', repo, '--state-dir', stateDir], { env: NO_CLAUDE_ENV });
    const tracked = JSON.parse((await runCli(['findings', '--repo', repo, '--state-dir', stateDir, '--json'])).stdout) as FindingRecord[];
    const known = tracked[0]!.fingerprint;
    const unknown = known.replace(/^./, (c) => (c === '0' ? '1' : '0'));

    const [typo, past] = await Promise.all([
      runCli(['suppress', unknown, '--reason', 'fake key', '--repo', repo, '--state-dir', stateDir]),
      runCli(['suppress', known, '--reason', 'fake key', '--until', '2020-01-01', '--repo', repo, '--state-dir', stateDir]),
    ]);
    const accepted = await runCli(['suppress', known, '--reason', 'fake key', '--repo', repo, '--state-dir', stateDir]);

    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(new RegExp(`error: no tracked finding of .* has fingerprint ${unknown} .*copy one from \`headless-workers findings --repo .*\`.*--untracked`));
    expect(past.code).toBe(2);
    expect(past.stderr).toMatch(/error: --until 2020-01-01 is not in the future: .*give a later date, e\.g\. --until \d{4}-\d{2}-\d{2}/);
    expect(accepted.code).toBe(0);
    const file = await readFile(path.join(repo, 'headless-workers.suppressions'), 'utf8');
    expect(file).toContain(`${known} fake key`);
    expect(file).not.toContain(unknown);
    expect(file).not.toContain('2020-01-01');
    for (const result of [typo, past]) expectPlainMessage(result);
  });

  it('run map --sandbox strict is a usage error (exit 2) naming the option', async () => {
    const repo = await vulnerableRepo();

    const result = await runCli(['run', 'map', '--repo', repo, '--sandbox', 'strict']);

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: sandbox: "map" is a local worker \(no model\): it has no sandbox to choose/);
    expect(result.stdout).toBe('');
    expectPlainMessage(result);
  });

  it('a config with a top-level error still reports every worker-level error, all at once (exit 2)', async () => {
    const config = path.join(scratch, 'config.json');
    await writeFile(config, JSON.stringify({ resultTtlDays: -1, colour: 'blue', workers: { audit: { sandbox: 'loose' }, map: { model: 'haiku' }, audti: {} }, bashAllowList: ['sh:*'] }));

    const result = await runCli(['--config', config, 'workers'], { cwd: scratch });

    expect(result.code).toBe(2);
    const problems = result.stderr.split('\n').filter((line) => line.startsWith('  - '));
    expect(problems).toEqual([
      '  - resultTtlDays: must be greater than 0 (got -1)',
      '  - unknown field "colour"',
      '  - workers.audit.sandbox: must be one of strict, permissive, disabled (got "loose")',
      '  - workers.map.model: "map" is a local worker (no model); model applies only to headless workers',
      expect.stringMatching(/^ {2}- workers\.audti: unknown worker; known workers: map, audit/),
      expect.stringMatching(/^ {2}- bashAllowList\[0\] "sh:\*" runs sh with a wildcard/),
    ]);
    expectPlainMessage(result);
  });

  it('run optimize without credentials says it was not run, never that it ran its local analysis (exit 1)', async () => {
    const repo = await vulnerableRepo();

    const result = await runCli(['run', 'optimize', '--repo', repo], { env: NO_CLAUDE_ENV });

    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/SKIPPED/);
    expect(result.stdout).not.toMatch(/ran its local analysis/);
    expect(result.stdout).toMatch(/error: optimize has no local equivalent: it needs Claude Code and credentials .*, and here HW_CLAUDE_BIN=\/nonexistent\/claude .*; it was not run/);
  });
});
