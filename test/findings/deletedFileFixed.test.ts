import { execFileSync } from 'node:child_process';
import { rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FindingRecord } from '../../workers/findings/index.js';
import { NO_CLAUDE_ENV, runCli } from '../helpers/cliProcess.js';
import { makeRepo } from '../helpers/fixtureRepo.js';

// Issue 13: "Audit a repo with secrets in src/a.ts and src/c.ts, delete a.ts (committed or not), audit
// again: the run says "0 fixed", and `findings` keeps a.ts as `new` forever."
const A = "export const awsAccessKeyId = 'AKIAQ3EGRJ7XWY5NZ2VB';\n";
const C = "export const slack = 'xoxb-2048837412-4829102938475-q8Zk2LmNp4XrT7vBw9YcHd3F';\n";

function git(cwd: string, ...args: string[]): void {
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd, stdio: 'ignore' });
}

async function allFindings(repo: string): Promise<FindingRecord[]> {
  const all: FindingRecord[] = [];
  for (const state of [[], ['--state', 'fixed']]) {
    const result = await runCli(['findings', '--repo', repo, '--json', ...state]);
    expect(result.code, result.stderr).toBe(0);
    all.push(...(JSON.parse(result.stdout) as FindingRecord[]));
  }
  return all.sort((a, b) => a.file.localeCompare(b.file));
}

const audit = (repo: string) => runCli(['run', 'audit', '--repo', repo], { env: NO_CLAUDE_ENV });

describe('a finding whose file is gone', () => {
  let repo: string;
  beforeEach(async () => {
    repo = await makeRepo({ 'src/a.ts': A, 'src/c.ts': C });
    git(repo, 'init', '-q');
    git(repo, 'add', '.');
    git(repo, 'commit', '-q', '-m', 'two secrets');
  });
  afterEach(async () => {
    await rm(repo, { recursive: true, force: true });
  });

  it('is fixed by the next complete audit, whether the deletion is uncommitted or committed', async () => {
    await audit(repo);
    await rm(path.join(repo, 'src/a.ts'));

    const uncommitted = await audit(repo);

    expect(uncommitted.stdout).toMatch(/findings: 0 new, 0 returned, 1 fixed, 1 open, 0 suppressed/);
    const states = Object.fromEntries((await allFindings(repo)).map((f) => [f.file, f.state]));
    expect(states).toEqual({ 'src/a.ts': 'fixed', 'src/c.ts': 'open' });

    git(repo, 'commit', '-q', '-am', 'remove the key');
    await rm(path.join(repo, 'src/c.ts'));
    git(repo, 'commit', '-q', '-am', 'remove the token');
    const committed = await audit(repo);

    expect(committed.stdout).toMatch(/findings: 0 new, 0 returned, 1 fixed, 0 open, 0 suppressed/);
    expect((await allFindings(repo)).map((f) => f.state)).toEqual(['fixed', 'fixed']);
  });

  it('moved to another file keeps its fingerprint and history instead of one fixed and one new', async () => {
    await audit(repo);
    const before = (await allFindings(repo)).find((f) => f.file === 'src/a.ts')!;
    await rename(path.join(repo, 'src/a.ts'), path.join(repo, 'src/keys.ts'));

    const moved = await audit(repo);
    const again = await audit(repo);

    expect(moved.stdout).toMatch(/findings: 0 new, 0 returned, 0 fixed, 2 open, 0 suppressed/);
    expect(again.stdout).toMatch(/findings: 0 new, 0 returned, 0 fixed, 2 open, 0 suppressed/);
    const after = (await allFindings(repo)).find((f) => f.fingerprint === before.fingerprint);
    expect(after).toMatchObject({ file: 'src/keys.ts', renamedFrom: 'src/a.ts', state: 'open', firstSeen: before.firstSeen, runCount: 3 });
  });
});
