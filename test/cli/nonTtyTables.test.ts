import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeRepo } from '../helpers/fixtureRepo.js';
import { NO_CLAUDE_ENV, runCli } from '../helpers/cliProcess.js';

/*
 * Issue 13: tables cut LOCATION line numbers and rule ids when output is not a
 * terminal. runCli's stdout is a pipe, as in CI logs or `| grep`: identifiers
 * must come out whole there, whatever the width, while free text wraps.
 */

const DEEP_FILE = 'src/services/payments/providers/legacy-gateway/configuration/credentials.ts';
const FILES = {
  [DEEP_FILE]: ["export const region = 'eu-west-1';", "export const awsAccessKeyId = 'AKIAQ3EGRJ7XWY5NZ2VB';", ''].join('\n'),
  'src/db.ts': ['export function findUser(name: string) {', '  return query("SELECT * FROM users WHERE name = \'" + name + "\'");', '}', ''].join('\n'),
};

describe('tables when output is not a terminal', () => {
  let repo: string;
  beforeAll(async () => {
    repo = await makeRepo(FILES);
  });
  afterAll(async () => {
    await rm(repo, { recursive: true, force: true });
  });

  it.each([['the default width', {}], ['COLUMNS=60', { COLUMNS: '60' }]])('run and findings print every location and rule id whole at %s', async (_name, env) => {
    const run = await runCli(['run', 'audit', '--repo', repo], { env: { ...NO_CLAUDE_ENV, ...env } });
    const findings = await runCli(['findings', '--repo', repo], { env });

    for (const result of [run, findings]) {
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).not.toContain('…');
      expect(result.stdout).toMatch(new RegExp(`^\\S.*  ${DEEP_FILE.replace(/[.]/g, '\\.')}:2  +aws-access-key-id( |$)`, 'm'));
      expect(result.stdout).toMatch(/ src\/db\.ts:2 +sql-injection( |$)/m);
    }
    // Free text wraps instead: every word of the message is there, in order, whatever the width.
    const words = (text: string) => text.split(/\s+/).filter((word) => /^[a-z:]+$/i.test(word)).join(' ');
    expect(words(run.stdout)).toContain('SQL built by string concatenation or interpolation: use parameterised queries');
    // The fingerprints, identifiers too, come out whole (20 hex digits), each on its finding's first line.
    expect(findings.stdout.match(/ [0-9a-f]{20}( |$)/gm)).toHaveLength(2);
  });
});
