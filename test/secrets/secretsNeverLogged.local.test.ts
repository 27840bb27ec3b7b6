import { mkdtemp, readFile, realpath, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLAUDE_BIN, FAKE_API_KEY } from '../fake-model/claudeTestBed.js';
import { startFakeModelServer, type FakeModelServer } from '../fake-model/index.js';
import { runCli, type CliResult } from '../helpers/cliProcess.js';
import { makeRepo } from '../helpers/fixtureRepo.js';
import { defaultStateDir } from '../../workers/store/index.js';
import { filesUnder, findLeaks, plantedSecretRepo, secretQuotingModel, type Exhibit } from '../helpers/secretLeakHunt.js';

const planted = plantedSecretRepo();
/** The file the model opens: it holds many of the planted values. */
const SECRET_FILE = 'src/aws.ts';

describe('planted secrets never reach a log line, an output or a stored file (local engine + CLI)', () => {
  let repo: string;
  let scratch: string;
  let model: FakeModelServer;
  const exhibits: Exhibit[] = [];

  const cli = async (label: string, args: string[]): Promise<CliResult> => {
    const result = await runCli(args, {
      cwd: repo,
      env: {
        HOME: path.join(scratch, 'home'),
        ANTHROPIC_BASE_URL: model.url,
        ANTHROPIC_API_KEY: FAKE_API_KEY,
        HW_CLAUDE_BIN: CLAUDE_BIN,
        HW_DAEMON_TICK_MS: '100',
      },
      timeoutMs: 120_000,
    });
    exhibits.push({ where: `${label} stdout`, text: result.stdout }, { where: `${label} stderr`, text: result.stderr });
    return result;
  };

  beforeAll(async () => {
    repo = await makeRepo({ ...planted.files, [SECRET_FILE]: planted.files[SECRET_FILE] ?? '', 'headless-workers.config.json': JSON.stringify({ workers: { audit: { intervalMs: 3_600_000 } } }) });
    scratch = await mkdtemp(path.join(os.tmpdir(), 'hw-leaks-'));
    model = await startFakeModelServer({ reply: secretQuotingModel(planted, SECRET_FILE) });
  });
  afterAll(async () => {
    await runCli(['daemon', 'stop', '--repo', repo]);
    await model.close();
    await rm(repo, { recursive: true, force: true });
    await rm(scratch, { recursive: true, force: true });
  });

  it('headless and local runs, the daemon and the findings commands: no planted value in any output or file', async () => {
    const sarif = (name: string) => path.join(scratch, `${name}.sarif`);

    const headless = await cli('run audit --json', ['run', 'audit', '--json', '--sarif', sarif('headless')]);
    const shown = await cli('run audit', ['run', 'audit', '--full', '--sarif', sarif('headless-again')]);
    const local = await cli('run audit --local', ['run', 'audit', '--local', '--sarif', sarif('local')]);
    await cli('findings', ['findings', '--sarif', sarif('findings')]);
    await cli('findings --json', ['findings', '--json', '--state', 'new']);
    const started = await cli('daemon start', ['daemon', 'start', '--workers', 'audit']);
    const triggered = await cli('daemon trigger', ['daemon', 'trigger', '-w', 'audit', '--wait']);
    await cli('daemon stop', ['daemon', 'stop']);

    // The runs happened as meant: the model read raw secrets, quoted them, tried a command carrying one.
    expect(headless.code, headless.stderr).toBe(0);
    const record = JSON.parse(headless.stdout) as { mode: string; status: string; violations: unknown[] };
    expect(record).toMatchObject({ mode: 'headless', status: 'SUCCEEDED' });
    expect(record.violations, JSON.stringify(record.violations)).toHaveLength(1);
    expect(shown.stdout).toMatch(/refused: Bash/);
    expect(local.code).toBe(0);
    expect(started.code, started.stderr).toBe(0);
    expect(triggered.code, triggered.stderr).toBe(0);
    const sentToModel = model.mainRequests().map((r) => r.rawBody).join('\n');
    expect(findLeaks([{ where: 'model requests', text: sentToModel }], planted).length).toBeGreaterThan(0);

    // Every output and every file the product wrote (results, findings, daemon log and state, SARIF).
    exhibits.push(...(await filesUnder(defaultStateDir(await realpath(repo)))));
    for (const name of ['headless', 'headless-again', 'local', 'findings']) exhibits.push({ where: `${name}.sarif`, text: await readFile(sarif(name), 'utf8') });
    expect(exhibits.some((e) => e.where.endsWith('daemon.log'))).toBe(true);
    expect(findLeaks(exhibits, planted)).toEqual([]);
  }, 300_000);
});
