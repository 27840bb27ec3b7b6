import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { gitChangedFiles } from '../../workers/context/gitChangedFiles.js';
import { gitEnvironment } from '../../workers/context/gitEnvironment.js';
import { readGitHead } from '../../workers/context/gitHead.js';
import { readGitRecency } from '../../workers/context/gitRecency.js';
import type { RunResult } from '../../workers/run/types.js';
import { CLAUDE_BIN, FAKE_API_KEY } from '../fake-model/claudeTestBed.js';
import { startFakeModelServer } from '../fake-model/index.js';
import { useClaudeTestBed } from '../fake-model/useClaudeTestBed.js';
import { runCli } from '../helpers/cliProcess.js';
import { armHostileConfig, buildHostileRepo, markerReport, markersLeft, setupGit, withCleanConfig } from '../helpers/hostileGitRepo.js';
import { giveToUnprivileged } from '../helpers/unprivilegedUser.js';

/*
 * Case 3 of issue 11: a repository's `.git/config` runs commands in whatever
 * runs git in it. The attacker's repository defines every kind of command git
 * can start (see hostileGitRepo.ts) and dirties its working tree so that
 * `git status` has to read file contents (where filters run). The product's
 * incremental scan runs git on it through the real CLI, as an unprivileged
 * user, with Claude Code (real, pinned) against the fake model, and with
 * secrets in its environment. Nothing the repository defines may run, and
 * the scan must still see what changed.
 */

const FILES = {
  'src/auth.ts': 'export const checkAuthMarker = 1;\n',
  'src/billing.ts': 'export const billingMarker = 2;\n',
  'src/legacy.js': 'module.exports = 3;\n',
  'tools/build.py': 'print("build")\n',
  'README.md': '# Demo\n',
};

/** Secrets of the runner, put in the CLI's environment: none may reach git or anything it starts. */
const RUNNER_SECRETS = {
  AWS_ACCESS_KEY_ID: 'AKIAQ3EGRJ7XWY5NZ2VB',
  AWS_SECRET_ACCESS_KEY: 'runner-aws-secret-canary-7f3a9c',
  AWS_SESSION_TOKEN: 'runner-session-token-canary-1b2c',
  AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://169.254.170.23/v1/credentials-canary',
  GITHUB_TOKEN: 'ghp_runnerTokenCanary000000000000000000',
};

const AUDIT = { summary: 'nothing', findings: [] };
const t = useClaudeTestBed(FILES);

function markersDir(): string {
  return path.join(t.bed.root, 'markers');
}

async function runAudit(stateDir: string): Promise<RunResult> {
  const result = await runCli(['run', 'audit', '--repo', t.bed.workspace, '--state-dir', stateDir, '--headless', '--json'], {
    unprivileged: true,
    env: { ...t.bed.env(t.server!.url), HW_CLAUDE_BIN: CLAUDE_BIN, ...RUNNER_SECRETS },
    timeoutMs: 90_000,
  });
  expect(result.stderr).not.toMatch(/\n\s+at /);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as RunResult;
}

/** Every tracked file gets a new modification time with the same content: git must compare contents. */
async function touchAll(repo: string, files: readonly string[]): Promise<void> {
  const later = new Date(Date.now() + 3_600_000);
  for (const file of files) await utimes(path.join(repo, file), later, later);
}

describe('git never runs what a hostile repository configures', () => {
  it('the incremental audit through the CLI runs none of the commands of .git/config, its includes, hooks or attributes, and still sees every change', async () => {
    // prepare: a first commit, the hostile config planted, a first (full) run
    const repo = t.bed.workspace;
    await buildHostileRepo(repo, markersDir(), FILES);
    await armHostileConfig(repo);
    const stateDir = path.join(t.bed.root, 'state');
    await mkdir(stateDir);
    await giveToUnprivileged(t.bed.root);
    t.server = await startFakeModelServer({ reply: () => ({ kind: 'structuredOutput', value: AUDIT }) });
    const first = await runAudit(stateDir);
    // a committed change, then a dirty tree: an uncommitted change, a new file, every file touched
    const base = setupGit(repo, 'rev-parse', 'HEAD');
    await withCleanConfig(repo, async () => {
      await writeFile(path.join(repo, 'src/auth.ts'), 'export const checkAuthMarker = 3;\n');
      setupGit(repo, 'commit', '-q', '-am', 'second');
    });
    await writeFile(path.join(repo, 'README.md'), '# Demo!\n');
    await writeFile(path.join(repo, 'src/new.ts'), 'export const fresh = 4;\n');
    await touchAll(repo, Object.keys(FILES).filter((file) => file !== 'src/auth.ts'));
    await giveToUnprivileged(t.bed.root);

    // act
    const second = await runAudit(stateDir);

    // assess
    expect(await markersLeft(markersDir()), await markerReport(markersDir(), { ...RUNNER_SECRETS, ANTHROPIC_API_KEY: FAKE_API_KEY })).toEqual([]);
    expect(first).toMatchObject({ status: 'SUCCEEDED', scan: { kind: 'full', headCommit: base } });
    expect(second).toMatchObject({ status: 'SUCCEEDED', scan: { kind: 'incremental', baseCommit: base, changedFiles: 3 } });
    // README.md changed too, but is not among the audit's context patterns.
    expect(second.context?.files.map((f) => f.path).sort()).toEqual(['src/auth.ts', 'src/new.ts']);
  });

  it('the same repository run through plain git does run the planted commands (the test can fail)', async () => {
    // prepare
    const repo = t.bed.workspace;
    await buildHostileRepo(repo, markersDir(), FILES);
    await armHostileConfig(repo);
    await touchAll(repo, Object.keys(FILES));

    // act: what the scanner did before, minus the `-c` pins it had
    try {
      execFileSync('git', ['status', '--porcelain'], { cwd: repo, stdio: 'ignore', env: { PATH: process.env.PATH, HOME: t.bed.home, GIT_CONFIG_NOSYSTEM: '1' } });
    } catch {
      // a failing payload may fail git too: the markers are what counts
    }

    // assess
    expect(await markersLeft(markersDir())).toEqual(expect.arrayContaining(['filter-clean.env', 'include-path-filter.env', 'includeIf-filter.env']));
  });

  it('a FIFO at .git/info/exclude does not block a run: both runs finish and the second is incremental', async () => {
    // prepare
    const repo = t.bed.workspace;
    await buildHostileRepo(repo, markersDir(), FILES);
    await armHostileConfig(repo);
    await mkdir(path.join(repo, '.git', 'info'), { recursive: true });
    await rm(path.join(repo, '.git', 'info', 'exclude'), { force: true });
    execFileSync('mkfifo', [path.join(repo, '.git', 'info', 'exclude')]);
    const stateDir = path.join(t.bed.root, 'state');
    await mkdir(stateDir);
    await giveToUnprivileged(t.bed.root);
    t.server = await startFakeModelServer({ reply: () => ({ kind: 'structuredOutput', value: AUDIT }) });

    // act
    const first = await runAudit(stateDir);
    await writeFile(path.join(repo, 'src/billing.ts'), 'export const billingMarker = 5;\n');
    await giveToUnprivileged(t.bed.root);
    const second = await runAudit(stateDir);

    // assess
    expect(first).toMatchObject({ status: 'SUCCEEDED', scan: { kind: 'full' } });
    expect(second).toMatchObject({ status: 'SUCCEEDED', scan: { kind: 'incremental', changedFiles: 1 } });
    expect(await markersLeft(markersDir())).toEqual([]);
  }, 120_000);

  it('history kept elsewhere is never followed: a gitdir: file, a linked .git and alternates count as no history', async () => {
    // prepare: a hostile repository outside, and three checkouts that point into it
    const outside = path.join(t.bed.root, 'outside');
    await mkdir(outside);
    await buildHostileRepo(outside, markersDir(), FILES);
    await armHostileConfig(outside);
    await touchAll(outside, Object.keys(FILES));
    const gitFile = path.join(t.bed.root, 'gitfile');
    const linked = path.join(t.bed.root, 'linked');
    const alternates = path.join(t.bed.root, 'alternates');
    for (const dir of [gitFile, linked, alternates]) await mkdir(dir);
    await writeFile(path.join(gitFile, '.git'), `gitdir: ${path.join(outside, '.git')}\n`);
    await symlink(path.join(outside, '.git'), path.join(linked, '.git'));
    setupGit(alternates, 'init', '-q');
    await writeFile(path.join(alternates, '.git', 'objects', 'info', 'alternates'), `${path.join(outside, '.git', 'objects')}\n`);
    await writeFile(path.join(alternates, '.git', 'HEAD'), `${setupGit(outside, 'rev-parse', 'HEAD')}\n`);

    // act
    const heads = await Promise.all([gitFile, linked, alternates].map((dir) => readGitHead(dir)));
    const recency = await Promise.all([gitFile, linked, alternates].map((dir) => readGitRecency(dir)));
    const changed = await Promise.all([gitFile, linked, alternates].map((dir) => gitChangedFiles(dir, 'a'.repeat(40))));

    // assess
    expect(heads).toEqual([null, null, null]);
    expect(recency.map((map) => map.size)).toEqual([0, 0, 0]);
    expect(changed).toEqual([null, null, null]);
    expect(await markersLeft(markersDir())).toEqual([]);
  });

  it('the hostile repository read directly still gives its history: HEAD, recency and changes, with no command run', async () => {
    // prepare: a submodule-like nested repository with its own hostile config, too
    const repo = t.bed.workspace;
    await buildHostileRepo(repo, markersDir(), FILES);
    const base = setupGit(repo, 'rev-parse', 'HEAD');
    const nested = path.join(repo, 'vendor', 'lib');
    await mkdir(nested, { recursive: true });
    await buildHostileRepo(nested, markersDir(), { 'lib.ts': 'export const lib = 1;\n' });
    await armHostileConfig(nested);
    setupGit(repo, 'add', 'vendor/lib');
    setupGit(repo, 'commit', '-q', '-m', 'nested');
    await armHostileConfig(repo);
    await writeFile(path.join(repo, 'src/auth.ts'), 'export const checkAuthMarker = 9;\n');
    await touchAll(repo, Object.keys(FILES).filter((file) => file !== 'src/auth.ts'));
    await touchAll(nested, ['lib.ts']);

    // act
    const head = await readGitHead(repo);
    const recency = await readGitRecency(repo);
    const changed = await gitChangedFiles(repo, base);

    // assess
    expect(head).toBe(setupGit(repo, 'rev-parse', 'HEAD'));
    // Submodules are ignored (git would start a git inside each, reading its own config): the gitlink is no file anyway.
    expect([...recency.keys()]).toEqual(expect.arrayContaining(['src/auth.ts', 'README.md']));
    expect([...(changed ?? [])]).toEqual(['src/auth.ts']);
    expect(await markersLeft(markersDir())).toEqual([]);
  });
});

describe('gitEnvironment', () => {
  it('gives git none of the caller\'s environment: no key, credential or token, and a PATH without relative entries', async () => {
    // prepare
    const home = await mkdtemp(path.join(os.tmpdir(), 'hw-git-env-'));

    // act
    const env = gitEnvironment({ home, ceiling: '/work', path: `.:/usr/bin::bin:${path.delimiter}/bin` });

    // assess
    expect(Object.keys(env).sort()).toEqual(
      ['GIT_ATTR_NOSYSTEM', 'GIT_CEILING_DIRECTORIES', 'GIT_CONFIG_GLOBAL', 'GIT_CONFIG_NOSYSTEM', 'GIT_NO_REPLACE_OBJECTS', 'GIT_OPTIONAL_LOCKS', 'GIT_PAGER', 'GIT_TERMINAL_PROMPT', 'HOME', 'LC_ALL', 'PATH'].sort(),
    );
    expect(env).toMatchObject({ HOME: home, PATH: '/usr/bin:/bin', GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0' });
    for (const value of Object.values(RUNNER_SECRETS)) expect(JSON.stringify(env)).not.toContain(value);
    await rm(home, { recursive: true, force: true });
  });
});
