import { randomUUID } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FunctionDispatcherInvoker } from '../../cli/cloud/DispatcherInvoker.js';
import { reportCommand } from '../../cli/commands/reportCommand.js';
import { EXIT } from '../../cli/exitCodes.js';
import { DynamoFindingStore } from '../../workers/cloudRuntime/index.js';
import { parseConfig } from '../../workers/config/index.js';
import { WorkerEngine } from '../../workers/engine/WorkerEngine.js';
import { NO_CLAUDE_ENV } from '../helpers/cliProcess.js';
import { AUDIT_CONFIG_FILE, dynamoResultStore, GITHUB_TOKEN, useMotoAuditFixture } from '../helpers/motoAuditFixture.js';
import { motoProcessEnv } from '../helpers/motoServer.js';

/*
 * `report --cloud`: the same report from the deployed stack (moto): findings
 * from its results table, runs through the dispatcher, called in-process
 * (moto's Lambda Invoke needs Docker, so the handler stands in for it).
 */
const fixture = useMotoAuditFixture();
const savedEnv = { ...process.env };

beforeEach(() => {
  Object.assign(process.env, motoProcessEnv(fixture.moto.endpoint));
});
afterEach(() => {
  for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
  Object.assign(process.env, savedEnv);
});

describe('report --cloud (moto)', () => {
  it('renders the stack\'s findings and runs: counts from the table, runs from the dispatcher, secrets masked', async () => {
    // prepare: two audits by the task runner's engine, findings tracked in the stack's table
    const { pipeline, repo, stateDir } = fixture;
    const engine = new WorkerEngine({
      config: parseConfig({}),
      store: dynamoResultStore(pipeline, ['audit']),
      findingStore: new DynamoFindingStore({ documentClient: pipeline.clients.documentClient, tableName: pipeline.tableName }),
      stateDir,
      env: { ...NO_CLAUDE_ENV },
    });
    await engine.run({ worker: 'audit', repoDir: repo, target: 'demo', mode: 'local' });
    await writeFile(path.join(repo, 'src/config.ts'), AUDIT_CONFIG_FILE.split('\n').filter((line) => !line.includes('xoxb')).join('\n'));
    await writeFile(path.join(repo, 'src/more.ts'), `export const gh = "${GITHUB_TOKEN}";\n`);
    await engine.run({ worker: 'audit', repoDir: repo, target: 'demo', mode: 'local' });
    const out = path.join(stateDir, 'cloud-report.html');
    let code: number = EXIT.ok;
    const command = reportCommand((c) => (code = c), {
      connect: async () => ({ invoker: new FunctionDispatcherInvoker((payload) => pipeline.dispatch(payload, { awsRequestId: randomUUID() })), s3: pipeline.clients.s3 }),
    });

    // act
    await new Command('headless-workers').exitOverride().addCommand(command).parseAsync(['report', '--cloud', '--table', pipeline.tableName, '--function', 'dispatcher', '--target', 'demo', '--out', out], { from: 'user' });

    // assess
    expect(code).toBe(EXIT.ok);
    const html = await readFile(out, 'utf8');
    const figure = (name: string) => new RegExp(`data-figure="${name}">([^<]*)<`).exec(html)?.[1];
    expect(figure('count-critical-open')).toBe('1'); // the AWS key id, reported twice
    expect(figure('count-critical-new')).toBe('1'); // the GitHub token of the second run
    expect(figure('count-high-open')).toBe('1'); // the SQL injection
    expect(Number(figure('count-critical-fixed')) + Number(figure('count-high-fixed'))).toBe(1); // the Slack token removed
    expect(figure('runs-audit')).toBe('2');
    expect(html).toContain('From the deployed stack');
    expect(html).not.toContain(GITHUB_TOKEN);
  }, 180_000);
});
