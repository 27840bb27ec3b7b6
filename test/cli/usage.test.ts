import { existsSync } from 'node:fs';
import { realpath, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeRepo, VULNERABLE_APP } from '../helpers/fixtureRepo.js';
import { NO_CLAUDE_ENV, runCli } from '../helpers/cliProcess.js';
import { defaultStateDir } from '../../workers/store/index.js';

describe('the CLI on bad input', () => {
  let repo: string;
  beforeAll(async () => {
    repo = await makeRepo(VULNERABLE_APP);
  });
  afterAll(async () => {
    await rm(repo, { recursive: true, force: true });
  });

  it.each([
    [['run'], /missing required argument 'worker'/],
    [['run', 'map', '--bogus'], /unknown option '--bogus'/],
    [['run', 'audit', '--sandbox', 'loose'], /option '--sandbox <profile>' argument 'loose' is invalid. Allowed choices are strict, permissive, disabled/],
    [['frobnicate'], /unknown command 'frobnicate'/],
    [['daemon', 'trigger'], /required option '-w, --worker <worker>' not specified/],
  ])('%j prints a usage message and exits 2 without a stack trace', async (args, message) => {
    const result = await runCli(args, { cwd: repo });

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('names the problem of an unknown worker, a missing repository and a bad config, with exit 2', async () => {
    const unknown = await runCli(['run', 'audti', '--repo', repo]);
    const missing = await runCli(['run', 'map', '--repo', `${repo}/nope`]);
    const badConfig = await runCli(['run', 'map', '--repo', repo, '--config', `${repo}/README.md`]);

    expect(unknown).toMatchObject({ code: 2 });
    expect(unknown.stderr).toMatch(/^error: unknown worker "audti"; known workers: map, audit/);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/repository path .*nope does not exist/);
    expect(badConfig.code).toBe(2);
    expect(badConfig.stderr).toMatch(/Config file .*README\.md is not valid JSON/);
    for (const r of [unknown, missing, badConfig]) expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 1 when a run fails, 0 when it succeeds', async () => {
    const failed = await runCli(['run', 'audit', '--repo', repo, '--headless'], { env: NO_CLAUDE_ENV });
    const ok = await runCli(['run', 'map', '--repo', repo]);

    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/FAILED/);
    expect(ok.code).toBe(0);
  });
});

describe('the CLI on a repository without Claude Code', () => {
  let repo: string;
  beforeAll(async () => {
    repo = await makeRepo(VULNERABLE_APP);
  });
  afterAll(async () => {
    await rm(repo, { recursive: true, force: true });
  });

  it('run audit prints real local findings, says it fell back, and stores the run', async () => {
    const result = await runCli(['run', 'audit', '--repo', repo], { env: NO_CLAUDE_ENV });

    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/note: audit ran its local analysis/);
    expect(result.stdout).toMatch(/src\/config\.ts:2/);
    expect(result.stdout).toMatch(/src\/db\.ts:4/);
    expect(result.stdout).not.toContain('AKIAQ3EGRJ7XWY5NZ2VB');
    // State is kept outside the repository, in the state folder of its real path.
    expect(result.stdout).toContain(`saved ${path.join(defaultStateDir(await realpath(repo)), 'results', 'audit')}/`);
    expect(existsSync(path.join(repo, '.headless-workers'))).toBe(false);
  });

  it('run map --json prints the stored record', async () => {
    const result = await runCli(['run', 'map', '--repo', repo, '--json']);

    const record = JSON.parse(result.stdout) as { worker: string; status: string; parsedOutput: { files: number } };
    expect(record).toMatchObject({ worker: 'map', status: 'SUCCEEDED', parsedOutput: { files: 5 } });
  });

  it('workers lists the catalog as a table that fits a narrow terminal', async () => {
    const result = await runCli(['workers'], { cwd: repo, env: { COLUMNS: '70' } });

    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^WORKER\s+MODE\s+SANDBOX\s+MODEL\s+PRIORITY\s+INTERVAL\s+ENABLED/);
    expect(lines).toHaveLength(14);
    expect(lines.every((line) => [...line].length <= 70)).toBe(true);
    expect(result.stdout).not.toMatch(/\u001b\[/);
    expect(lines.find((line) => line.startsWith('audit'))).toMatch(/audit\s+headless\s+strict\s+haiku\s+critical\s+30 min\s+yes/);
  });
});
