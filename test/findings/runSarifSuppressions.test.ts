import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NO_CLAUDE_ENV, runCli } from '../helpers/cliProcess.js';
import { makeRepo } from '../helpers/fixtureRepo.js';
import { validateSarif } from '../helpers/sarifValidator.js';

// Issue 13: "`run --sarif` drops suppressions (`findings --sarif` keeps them), so suppressed findings
// alert again in code scanning."
interface SarifResult {
  ruleId: string;
  partialFingerprints?: Record<string, string>;
  suppressions?: { kind: string; status: string; justification?: string; properties?: Record<string, unknown> }[];
  locations: { physicalLocation?: { artifactLocation: { uri: string } } }[];
}
interface SarifLog {
  runs: { results: SarifResult[] }[];
}

const readSarif = async (file: string) => JSON.parse(await readFile(file, 'utf8')) as SarifLog;
/** What code scanning keys an alert and its dismissal on, per file. */
const alertsOf = (log: SarifLog) =>
  log.runs
    .flatMap((run) => run.results)
    .map((r) => ({ file: r.locations[0]?.physicalLocation?.artifactLocation.uri, fingerprint: Object.values(r.partialFingerprints ?? {})[0], suppressions: r.suppressions ?? [] }))
    .sort((a, b) => String(a.file).localeCompare(String(b.file)));

describe('SARIF of a run and of the tracked findings', () => {
  let repo: string;
  let out: string;
  beforeEach(async () => {
    repo = await makeRepo({
      'src/config.ts': "export const awsAccessKeyId = 'AKIAQ3EGRJ7XWY5NZ2VB';\n",
      'test/fixtures/keys.ts': "export const fixtureKey = 'AKIAZ7PLMK2QWE4RT6YU';\n",
      'headless-workers.suppressions': 'aws-access-key-id:test/fixtures/** fake keys for the tests\n',
    });
    out = await mkdtemp(path.join(os.tmpdir(), 'hw-sarif-'));
  });
  afterEach(async () => {
    await rm(repo, { recursive: true, force: true });
    await rm(out, { recursive: true, force: true });
  });

  it('carries the same suppressions and fingerprints in run --sarif as in findings --sarif', async () => {
    const run = await runCli(['run', 'audit', '--repo', repo, '--sarif', path.join(out, 'run.sarif')], { env: NO_CLAUDE_ENV });
    const tracked = await runCli(['findings', '--repo', repo, '--sarif', path.join(out, 'findings.sarif')]);

    expect(run.code, run.stderr).toBe(0);
    expect(tracked.code, tracked.stderr).toBe(0);
    const fromRun = alertsOf(await readSarif(path.join(out, 'run.sarif')));
    const fromFindings = alertsOf(await readSarif(path.join(out, 'findings.sarif')));
    expect(fromRun).toEqual(fromFindings);
    expect(fromRun.map((alert) => [alert.file, alert.suppressions.length])).toEqual([
      ['src/config.ts', 0],
      ['test/fixtures/keys.ts', 1],
    ]);
    expect(fromRun[1]?.suppressions[0]).toMatchObject({ kind: 'inSource', status: 'accepted', properties: { origin: 'repository', source: 'headless-workers.suppressions:1' } });
    const validation = await validateSarif(path.join(out, 'run.sarif'));
    expect(validation.errors, validation.report).toEqual([]);
  });
});
