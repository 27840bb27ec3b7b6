import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CloudFormationClient, CreateStackCommand } from '@aws-sdk/client-cloudformation';
import { beforeEach, describe, expect, it } from 'vitest';
import { STACK_OUTPUTS } from '../../workers/cloud/index.js';
import { DynamoFindingStore } from '../../workers/cloudRuntime/index.js';
import { parseConfig } from '../../workers/config/index.js';
import { WorkerEngine } from '../../workers/engine/WorkerEngine.js';
import type { FindingRecord } from '../../workers/findings/index.js';
import type { SarifLog } from '../../workers/findings/sarif/index.js';
import { NO_CLAUDE_ENV, runCli } from '../helpers/cliProcess.js';
import { AUDIT_CONFIG_FILE, AUDIT_DB_FILE, dynamoResultStore, GITHUB_TOKEN, useMotoAuditFixture } from '../helpers/motoAuditFixture.js';
import { TEST_STACK, type TestPipeline } from '../helpers/motoPipeline.js';
import { motoClientConfig, motoProcessEnv } from '../helpers/motoServer.js';
import { validateSarif } from '../helpers/sarifValidator.js';

/*
 * `findings --cloud`: the real CLI process reads the findings the deployed
 * stack tracks (moto: a CloudFormation stack whose ResultsTableName output
 * names the table, reached through HW_AWS_ENDPOINT) and prints them as the
 * local `findings` prints the local state.
 */
const fixture = useMotoAuditFixture();
const CONFIG = AUDIT_CONFIG_FILE;
const DB = AUDIT_DB_FILE;
const GITHUB = GITHUB_TOKEN;
let pipeline: TestPipeline;
let repo: string;
let stateDir: string;
const moto = fixture.moto;

beforeEach(async () => {
  ({ pipeline, repo, stateDir } = fixture);
  // The deployed stack as the CLI finds it: its outputs name the results table.
  await new CloudFormationClient(motoClientConfig(moto.endpoint)).send(
    new CreateStackCommand({
      StackName: TEST_STACK,
      TemplateBody: JSON.stringify({ Resources: { Queue: { Type: 'AWS::SQS::Queue' } }, Outputs: { [STACK_OUTPUTS.tableName]: { Value: pipeline.tableName } } }),
    }),
  );
});

/** The task runner's engine: local audit, findings tracked in the stack's table. */
function cloudEngine(options: { suppressions?: string[]; clock?: () => Date } = {}): WorkerEngine {
  return new WorkerEngine({
    config: parseConfig({ suppressions: options.suppressions ?? [] }),
    store: dynamoResultStore(pipeline, ['audit']),
    findingStore: new DynamoFindingStore({ documentClient: pipeline.clients.documentClient, tableName: pipeline.tableName }),
    stateDir,
    env: { ...NO_CLAUDE_ENV },
    ...(options.clock ? { clock: options.clock } : {}),
  });
}

const cli = (...args: string[]) => runCli(args, { env: { ...motoProcessEnv(moto.endpoint), COLUMNS: '160' } });
const parsed = async (...args: string[]) => {
  const result = await cli(...args, '--json');
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as FindingRecord[];
};
/** What must be equal between the local and the cloud store (run ids and times differ). */
const comparable = (records: readonly FindingRecord[]) =>
  records.map((r) => [r.state, r.ruleId, r.severity, r.file, r.line, r.fingerprint, r.message, r.runCount, r.target, r.worker].join(' | ')).sort();

describe('findings --cloud (moto)', () => {
  it('shows the stack\'s findings exactly as the local command shows the same two audits: table, JSON, filters and SARIF', async () => {
    // prepare: the same two audits locally (CLI) and in the cloud (task runner's engine)
    const engine = cloudEngine();
    const auditBoth = async () => {
      await runCli(['run', 'audit', '--repo', repo, '--target', 'demo'], { env: NO_CLAUDE_ENV });
      await engine.run({ worker: 'audit', repoDir: repo, target: 'demo', mode: 'local' });
    };
    await auditBoth();
    await writeFile(path.join(repo, 'src/config.ts'), CONFIG.split('\n').filter((line) => !line.includes('xoxb')).join('\n'));
    await writeFile(path.join(repo, 'src/more.ts'), `export const gh = "${GITHUB}";\n`);
    await writeFile(path.join(repo, 'src/db.ts'), `// moved down by a comment\n\n${DB}`);
    await auditBoth();
    const sarifFile = path.join(stateDir, 'open.sarif');

    // act
    const cloudOpen = await parsed('findings', '--cloud');
    const cloudFixed = await parsed('findings', '--cloud', '--state', 'fixed');
    const localOpen = await parsed('findings', '--repo', repo);
    const localFixed = await parsed('findings', '--repo', repo, '--state', 'fixed');
    const table = await cli('findings', '--cloud', '--sarif', sarifFile);
    const otherTarget = await cli('findings', '--cloud', '--target', 'api', '--worker', 'audit');

    // assess
    expect(comparable(cloudOpen)).toEqual(comparable(localOpen));
    expect(comparable(cloudFixed)).toEqual(comparable(localFixed));
    expect(cloudOpen.map((r) => `${r.state}:${r.ruleId}`).sort()).toEqual(['new:github-pat', 'open:aws-access-key-id', 'open:sql-injection']);
    expect(cloudFixed.map((r) => `${r.state}:${r.ruleId}`)).toEqual(['fixed:slack-token']);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/^1 new, 0 returned, 2 open, 0 suppressed, 1 fixed\n\nSTATE +SEVERITY +LOCATION +RULE +FINGERPRINT/);
    for (const record of cloudOpen) expect(table.stdout).toContain(record.fingerprint);
    expect(table.stdout).not.toContain(GITHUB);
    expect(table.stderr).toContain(`wrote ${sarifFile}\n`);
    const validation = await validateSarif(sarifFile);
    expect(validation.errors, validation.report).toEqual([]);
    const log = JSON.parse(await readFile(sarifFile, 'utf8')) as SarifLog;
    expect(log.runs.map((run) => [run.automationDetails?.id, run.results.length])).toEqual([['audit/demo/', 3]]);
    expect(otherTarget).toMatchObject({ code: 0, stdout: '0 new, 0 returned, 0 open, 0 suppressed, 0 fixed\n\nno findings in this selection\n' });
  }, 180_000);

  it('shows a finding whose stored suppression has expired since the last run as unsuppressed', async () => {
    // prepare: the run happened on Nov 1st, the suppression ran until Nov 20th
    const engine = cloudEngine({ suppressions: ['sql-injection:src/** until=2026-11-20 reviewed, expires'], clock: () => new Date('2026-11-01T09:00:00Z') });
    const run = await engine.run({ worker: 'audit', repoDir: repo, target: 'demo', mode: 'local' });
    const stored = await new DynamoFindingStore({ documentClient: pipeline.clients.documentClient, tableName: pipeline.tableName }).load('demo', 'audit');

    // act
    const shown = await parsed('findings', '--cloud');

    // assess
    expect(run.findingSummary).toMatchObject({ suppressed: 1 });
    expect(stored.records.find((r) => r.ruleId === 'sql-injection')?.state).toBe('suppressed');
    expect(shown.find((r) => r.ruleId === 'sql-injection')).toMatchObject({ state: 'new' });
    expect(shown.find((r) => r.ruleId === 'sql-injection')?.suppression).toBeUndefined();
  }, 120_000);

  it('says which stack or table it cannot read, and exits 1 without a stack trace', async () => {
    // act
    const noStack = await cli('findings', '--cloud', '--stack', 'Elsewhere');
    const noTable = await cli('findings', '--cloud', '--table', 'no-such-table');
    const localOption = await cli('findings', '--cloud', '--state-dir', stateDir);
    const withoutCloud = await cli('findings', '--repo', stateDir, '--endpoint-url', moto.endpoint);

    // assess
    expect(noStack.code).toBe(1);
    expect(noStack.stderr).toMatch(/^error: cannot read stack "Elsewhere": .*Deploy it with `cdk deploy`, or name it with --stack/m);
    expect(noTable.code).toBe(1);
    expect(noTable.stderr).toMatch(/^error: cannot read findings from table "no-such-table": ResourceNotFoundException/m);
    expect(localOption.code).toBe(2);
    expect(localOption.stderr).toMatch(/--state-dir names local state; drop it with --cloud/);
    expect(withoutCloud.code).toBe(2);
    expect(withoutCloud.stderr).toMatch(/--endpoint-url reads the deployed stack: add --cloud/);
    for (const result of [noStack, noTable, localOption, withoutCloud]) expect(result.stderr).not.toMatch(/\n\s+at /);
  }, 120_000);
});
