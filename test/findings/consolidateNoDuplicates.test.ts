import { readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FindingRecord } from '../../workers/findings/index.js';
import { NO_CLAUDE_ENV, runCli } from '../helpers/cliProcess.js';
import { makeRepo } from '../helpers/fixtureRepo.js';

// Issue 13: "after one daemon tick on Juice Shop, `findings` shows 163 new plus 228 open, `findings --sarif`
// gets a second run with 162 duplicate fingerprints, and 228 distinct findings collapse into 161."
// Two keys on identical-looking lines: masked, their evidence is the same text, yet they are two findings.
const KEYS = [
  'export function primary() {',
  "  const key = 'AKIAQ3EGRJ7XWY5NZ2VB';",
  '  return key;',
  '}',
  'export function fallback() {',
  "  const key = 'AKIAZ7PLMK2QWE4RT6YU';",
  '  return key;',
  '}',
  '',
].join('\n');
const DB = ['export function findUser(name: string) {', '  return query("SELECT * FROM users WHERE name = \'" + name + "\'");', '}', ''].join('\n');

interface SarifLog {
  runs: { automationDetails?: { id: string }; results: { partialFingerprints?: Record<string, string> }[] }[];
}

describe('consolidate after audits', () => {
  let repo: string;
  beforeEach(async () => {
    repo = await makeRepo({ 'src/keys.ts': KEYS, 'src/db.ts': DB });
  });
  afterEach(async () => {
    await rm(repo, { recursive: true, force: true });
  });

  it('merges the stored runs into the tracked distinct count and tracks no findings of its own', async () => {
    await runCli(['run', 'audit', '--repo', repo], { env: NO_CLAUDE_ENV });
    await runCli(['run', 'audit', '--repo', repo], { env: NO_CLAUDE_ENV });

    const consolidate = await runCli(['run', 'consolidate', '--repo', repo, '--json']);
    const listed = await runCli(['findings', '--repo', repo, '--json']);
    const sarifFile = path.join(os.tmpdir(), `consolidate-${process.pid}-${Date.now()}.sarif`);
    const sarif = await runCli(['findings', '--repo', repo, '--sarif', sarifFile]);

    expect(consolidate.code, consolidate.stderr).toBe(0);
    const output = (JSON.parse(consolidate.stdout) as { parsedOutput: { findingsRead: number; mergedFindings: { fingerprint: string; occurrences: number }[] } }).parsedOutput;
    const tracked = JSON.parse(listed.stdout) as FindingRecord[];
    expect(tracked.map((f) => f.worker)).toEqual(['audit', 'audit', 'audit']);
    expect(tracked.map((f) => f.state)).toEqual(['open', 'open', 'open']);
    expect(output.findingsRead).toBe(6);
    expect(output.mergedFindings.map((f) => f.fingerprint).sort()).toEqual(tracked.map((f) => f.fingerprint).sort());
    expect(output.mergedFindings.every((f) => f.occurrences === 2)).toBe(true);
    expect(sarif.code, sarif.stderr).toBe(0);
    const log = JSON.parse(await readFile(sarifFile, 'utf8')) as SarifLog;
    await rm(sarifFile, { force: true });
    expect(log.runs.map((run) => run.automationDetails?.id)).toEqual([`audit/${path.basename(repo)}/`]);
    const fingerprints = log.runs.flatMap((run) => run.results.map((r) => Object.values(r.partialFingerprints ?? {})[0]));
    expect(new Set(fingerprints).size).toBe(3);
  });
});
