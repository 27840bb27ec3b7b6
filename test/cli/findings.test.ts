import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FindingRecord } from '../../workers/findings/index.js';
import { makeRepo } from '../helpers/fixtureRepo.js';
import { NO_CLAUDE_ENV, runCli } from '../helpers/cliProcess.js';

const CONFIG = ["export const region = 'eu-west-1';", "export const awsAccessKeyId = 'AKIAQ3EGRJ7XWY5NZ2VB';", "export const slack = 'xoxb-2048837412-4829102938475-q8Zk2LmNp4XrT7vBw9YcHd3F';", ''].join('\n');
const DB = ['export function findUser(name: string) {', '  return query("SELECT * FROM users WHERE name = \'" + name + "\'");', '}', ''].join('\n');

async function findings(repo: string, ...args: string[]): Promise<FindingRecord[]> {
  const result = await runCli(['findings', '--repo', repo, '--json', ...args]);
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as FindingRecord[];
}

describe('findings across two audits', () => {
  let repo: string;
  beforeEach(async () => {
    repo = await makeRepo({ 'src/config.ts': CONFIG, 'src/db.ts': DB });
  });
  afterEach(async () => {
    await rm(repo, { recursive: true, force: true });
  });

  it('shows exactly one fixed, one new and the rest open after one secret is removed and one added', async () => {
    await runCli(['run', 'audit', '--repo', repo], { env: NO_CLAUDE_ENV });
    await writeFile(path.join(repo, 'src/config.ts'), CONFIG.split('\n').filter((line) => !line.includes('xoxb')).join('\n'));
    await writeFile(path.join(repo, 'src/more.ts'), 'export const gh = "ghp_Zx8kQ2mN5pL7rT9vB3wY6cH4dF1gJ0sA2eK8";\n');
    await writeFile(path.join(repo, 'src/db.ts'), `// moved down by a comment\n\n${DB}`);

    const second = await runCli(['run', 'audit', '--repo', repo], { env: NO_CLAUDE_ENV });

    expect(second.stdout).toMatch(/findings: 1 new, 0 returned, 1 fixed, 2 open, 0 suppressed/);
    const all = [...(await findings(repo)), ...(await findings(repo, '--state', 'fixed'))];
    const byState = (state: string) => all.filter((f) => f.state === state).map((f) => `${f.ruleId}@${f.file}`).sort();
    expect(byState('new')).toEqual(['github-pat@src/more.ts']);
    expect(byState('fixed')).toEqual(['slack-token@src/config.ts']);
    expect(byState('open')).toEqual(['aws-access-key-id@src/config.ts', 'sql-injection@src/db.ts']);
    const table = await runCli(['findings', '--repo', repo], { env: { COLUMNS: '160' } });
    expect(table.stdout).toMatch(/^1 new, 0 returned, 2 open, 0 suppressed, 1 fixed/);
    expect(table.stdout).not.toContain('ghp_Zx8kQ2mN5pL7rT9vB3wY6cH4dF1gJ0sA2eK8');
  });

  it('suppress writes the suppressions file; the finding is then kept, counted and marked suppressed', async () => {
    await runCli(['run', 'audit', '--repo', repo], { env: NO_CLAUDE_ENV });
    const sql = (await findings(repo)).find((f) => f.ruleId === 'sql-injection')!;

    const suppressed = await runCli(['suppress', sql.fingerprint, '--reason', 'input is an enum, checked upstream', '--until', '2099-01-01', '--repo', repo]);
    const bad = await runCli(['suppress', 'nonsense', '--reason', 'x', '--repo', repo]);

    expect(suppressed.code).toBe(0);
    expect(await readFile(path.join(repo, 'headless-workers.suppressions'), 'utf8')).toContain(`${sql.fingerprint} until=2099-01-01 input is an enum, checked upstream`);
    expect((await findings(repo, '--state', 'suppressed')).map((f) => f.fingerprint)).toEqual([sql.fingerprint]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/"nonsense" is neither a 20-digit fingerprint nor rule:path-pattern/);
  });
});
