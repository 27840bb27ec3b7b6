import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { announcedFindings, FINDING_EVENT_TYPES, findingEventType } from '../../workers/cloudRuntime/index.js';
import type { FindingRecord } from '../../workers/findings/types.js';
import type { RunResult } from '../../workers/run/types.js';
import { NO_CLAUDE_ENV, runCli } from '../helpers/cliProcess.js';
import { VULNERABLE_APP } from '../helpers/fixtureRepo.js';
import { giveToUnprivileged } from '../helpers/unprivilegedUser.js';

/** What a repository commits to silence its own audit: blankets, plus one narrow line a team would write. */
const PLANTED_SUPPRESSIONS = [
  '*:** everything is fine',
  '*:* really fine',
  'aws-access-key-id:/** nothing to see',
  '*:**/* nothing at all',
  'not a suppression line',
  'sql-injection:src/db.ts reviewed by the team: the query builder escapes it',
].join('\n');

describe('suppressions the analysed repository commits', () => {
  let root: string;
  let repo: string;
  let stateDir: string;
  let home: string;

  beforeEach(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'hw-hostile-suppress-'));
    repo = path.join(root, 'repo');
    stateDir = path.join(root, 'state');
    home = path.join(root, 'home');
    await Promise.all([mkdir(repo), mkdir(stateDir), mkdir(home)]);
    for (const [file, content] of Object.entries({ ...VULNERABLE_APP, 'headless-workers.suppressions': PLANTED_SUPPRESSIONS })) {
      await mkdir(path.dirname(path.join(repo, file)), { recursive: true });
      await writeFile(path.join(repo, file), content);
    }
    await giveToUnprivileged(root);
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  const cli = (args: readonly string[]) => runCli(args, { cwd: repo, unprivileged: true, env: { ...NO_CLAUDE_ENV, HOME: home, COLUMNS: '200' } });

  it('cannot silence everything: blanket and malformed lines are refused and reported, a narrow one applies and is marked as the repository\'s in the record, the table and SARIF', async () => {
    // act
    const run = await cli(['run', 'audit', '--repo', repo, '--state-dir', stateDir, '--json']);
    const table = await cli(['findings', '--repo', repo, '--state-dir', stateDir]);
    const sarifFile = path.join(stateDir, 'findings.sarif');
    await cli(['findings', '--repo', repo, '--state-dir', stateDir, '--sarif', sarifFile]);

    // assess
    const record = JSON.parse(run.stdout) as RunResult;
    expect(record.status).toBe('SUCCEEDED');
    expect(record.findingSummary).toMatchObject({ suppressed: 1 });
    expect(record.findingSummary!.new).toBeGreaterThanOrEqual(1);
    expect(record.repositorySuppressions?.applied).toBe(1);
    const refused = record.repositorySuppressions?.refused.join('\n') ?? '';
    for (const line of [1, 2, 3, 4]) expect(refused).toMatch(new RegExp(`headless-workers.suppressions:${line}: .* covers every file`));
    expect(refused).toMatch(/headless-workers.suppressions:5: "not" is neither a 20-digit fingerprint nor rule:path-pattern/);
    expect(table.stdout).toMatch(/suppressed .*src\/db\.ts.*\[suppressed by the repository: reviewed by the team/);
    expect(table.stdout).toMatch(/new .*src\/config\.ts/);
    const sarif = JSON.parse(await readFile(sarifFile, 'utf8')) as { runs: { results: { ruleId: string; suppressions?: { kind: string; justification?: string; properties?: { origin?: string } }[] }[] }[] };
    const suppressed = sarif.runs.flatMap((r) => r.results).filter((r) => r.suppressions?.length);
    expect(suppressed).toHaveLength(1);
    expect(suppressed[0]?.suppressions?.[0]).toMatchObject({ kind: 'inSource', properties: { origin: 'repository' } });
    expect(suppressed[0]?.suppressions?.[0]?.justification).toMatch(/^\[suppressed by the repository\]/);
  });

  it('the operator can turn repository suppressions off', async () => {
    // prepare
    const operatorConfig = path.join(root, 'operator.json');
    await writeFile(operatorConfig, JSON.stringify({ repositorySuppressions: false }));
    await giveToUnprivileged(root);

    // act
    const run = await cli(['--config', operatorConfig, 'run', 'audit', '--repo', repo, '--state-dir', stateDir, '--json']);

    // assess
    const record = JSON.parse(run.stdout) as RunResult;
    expect(record.findingSummary).toMatchObject({ suppressed: 0 });
    expect(record.repositorySuppressions?.applied).toBe(0);
    expect(record.repositorySuppressions?.refused.every((line) => /turned off by the operator|covers every file|neither/.test(line))).toBe(true);
  });
});

describe('finding events of repository suppressions', () => {
  const record = (fingerprint: string, fields: Partial<FindingRecord>): FindingRecord => ({
    fingerprint,
    target: 'api',
    worker: 'audit',
    state: 'new',
    detectedBy: 'local',
    firstSeen: '2026-12-04T10:00:00.000Z',
    lastSeen: '2026-12-04T10:00:00.000Z',
    runCount: 1,
    latestRunId: 'run-2',
    ruleId: 'sql-injection',
    severity: 'high',
    file: 'src/db.ts',
    line: 4,
    message: 'SQL built by concatenation',
    ...fields,
  });

  it('a new finding the repository suppressed is announced as such; one the operator suppressed stays silent', () => {
    // prepare
    const before = { target: 'api', worker: 'audit', lastRunId: 'run-1', records: [] };
    const after = {
      ...before,
      lastRunId: 'run-2',
      records: [
        record('a'.repeat(20), { state: 'suppressed', stateBeforeSuppression: 'new', suppression: { reason: 'fine', source: 'headless-workers.suppressions:1', origin: 'repository' } }),
        record('b'.repeat(20), { state: 'suppressed', stateBeforeSuppression: 'new', suppression: { reason: 'accepted risk', source: 'config suppressions[0]', origin: 'operator' } }),
        record('c'.repeat(20), { state: 'new' }),
      ],
    };

    // act
    const announced = announcedFindings(before, after);

    // assess
    expect(announced.map((r) => [r.fingerprint[0], findingEventType(r)])).toEqual([
      ['a', FINDING_EVENT_TYPES.suppressedByRepository],
      ['c', FINDING_EVENT_TYPES.new],
    ]);
  });
});
