import { readFile, realpath, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isLiveProcess } from '../../cli/daemon/processLiveness.js';
import { CLAUDE_BIN, FAKE_API_KEY } from '../fake-model/claudeTestBed.js';
import { startFakeModelServer, type FakeModelServer } from '../fake-model/index.js';
import { makeRepo, VULNERABLE_APP } from '../helpers/fixtureRepo.js';
import { NO_CLAUDE_ENV, runCli } from '../helpers/cliProcess.js';
import { defaultStateDir } from '../../workers/store/index.js';

interface StatusJson {
  daemon: { running: boolean; pid: number | null; stalePid: number | null; workersEnabled: { total: number; local: number; headless: number } };
  workers: { worker: string; activity: string; lastRunAt?: string; lastOutcome?: string; runs: number; mode: string }[];
}

/** The operator's config file of the test in progress: a repository's own config could only tighten. */
let operatorConfig = '';
const cli: typeof runCli = (args, options) => runCli(['--config', operatorConfig, ...args], options);

async function status(repo: string): Promise<StatusJson> {
  const result = await cli(['daemon', 'status', '--repo', repo, '--json'], { env: NO_CLAUDE_ENV });
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as StatusJson;
}

async function waitFor<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`not reached in time: ${JSON.stringify(value)}`);
    await sleep(200);
  }
}

describe('daemon start / status / trigger / stop', () => {
  let repo: string;
  beforeEach(async () => {
    repo = await makeRepo({ ...VULNERABLE_APP });
    operatorConfig = `${repo}.config.json`;
    await writeFile(operatorConfig, JSON.stringify({ workers: { map: { intervalMs: 1500 }, consolidate: { intervalMs: 1500 }, optimize: { enabled: false }, testgaps: { enabled: false }, audit: { enabled: false } } }));
  });
  afterEach(async () => {
    await cli(['daemon', 'stop', '--repo', repo]);
    await rm(repo, { recursive: true, force: true });
    await rm(operatorConfig, { force: true });
  });

  it('runs the due workers in the background, shows them, answers a trigger, refuses a second start and stops cleanly', async () => {
    const started = await cli(['daemon', 'start', '--local', '--repo', repo], { env: { ...NO_CLAUDE_ENV, HW_DAEMON_TICK_MS: '100' } });
    expect(started.code).toBe(0);
    expect(started.stdout).toMatch(/daemon started \(pid \d+\)/);

    const second = await cli(['daemon', 'start', '--local', '--repo', repo], { env: NO_CLAUDE_ENV });
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(/a daemon is already running on .* \(pid \d+/);

    const report = await waitFor(() => status(repo), (s) => s.workers.filter((w) => ['map', 'consolidate'].includes(w.worker) && w.runs >= 2).length === 2);
    expect(report.daemon).toMatchObject({ running: true, workersEnabled: { total: 2, local: 2, headless: 0 } });
    const map = report.workers.find((w) => w.worker === 'map')!;
    expect(map).toMatchObject({ lastOutcome: 'SUCCEEDED', mode: 'local' });

    const table = await cli(['daemon', 'status', '--show-modes', '--repo', repo], { env: { ...NO_CLAUDE_ENV, COLUMNS: '100' } });
    expect(table.stdout).toMatch(/Daemon:\s+running \(pid \d+\)/);
    expect(table.stdout).toMatch(/WORKER\s+MODE\s+SANDBOX\s+STATUS\s+LAST RUN\s+NEXT RUN\s+OUTCOME\s+COST/);
    expect(table.stdout).toMatch(/\nmap\s+local\s+-\s+\w+\s+(just now|\d+ s ago)/);

    const triggered = await cli(['daemon', 'trigger', '-w', 'testgaps', '--wait', '--json', '--repo', repo], { env: NO_CLAUDE_ENV });
    expect(triggered.code).toBe(0);
    expect(JSON.parse(triggered.stdout)).toMatchObject({ worker: 'testgaps', status: 'SUCCEEDED', mode: 'local' });

    const pid = report.daemon.pid!;
    const stopped = await cli(['daemon', 'stop', '--repo', repo]);
    expect(stopped.stdout).toMatch(`daemon stopped (pid ${pid})`);
    expect(isLiveProcess(pid)).toBe(false);
    expect((await status(repo)).daemon.running).toBe(false);
    const log = await readFile(path.join(defaultStateDir(await realpath(repo)), 'daemon', 'daemon.log'), 'utf8');
    expect(log).toMatch(/"message":"daemon stopped"/);
  });

  it('sees a SIGKILLed daemon as not running and starts again without cleanup', async () => {
    await cli(['daemon', 'start', '--local', '--repo', repo], { env: NO_CLAUDE_ENV });
    const { daemon } = await status(repo);
    expect(daemon.running).toBe(true);

    process.kill(daemon.pid!, 'SIGKILL');
    await waitFor(async () => isLiveProcess(daemon.pid!), (alive) => !alive);

    const after = await status(repo);
    expect(after.daemon).toMatchObject({ running: false, stalePid: daemon.pid });
    expect(after.workers.every((w) => w.activity !== 'running' && w.activity !== 'queued')).toBe(true);
    const restarted = await cli(['daemon', 'start', '--local', '--repo', repo], { env: NO_CLAUDE_ENV });
    expect(restarted.code).toBe(0);
    expect((await status(repo)).daemon.running).toBe(true);
  });

  it('runs a trigger in the foreground when no daemon runs', async () => {
    const result = await cli(['daemon', 'trigger', '-w', 'map', '--repo', repo], { env: NO_CLAUDE_ENV });

    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/no daemon running: running in the foreground/);
    expect(result.stdout).toMatch(/map on .* · SUCCEEDED · local/);
  });

  it('refuses an unknown worker in --workers', async () => {
    await writeFile(path.join(repo, 'x'), '');
    const result = await cli(['daemon', 'start', '--foreground', '--workers', 'mapp', '--repo', repo], { env: NO_CLAUDE_ENV });

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown worker "mapp" in --workers/);
  });
});

/** Pids of processes whose working directory is `dir` (Claude Code runs there). */
async function processesIn(dir: string): Promise<number[]> {
  const { readdir, readlink } = await import('node:fs/promises');
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cwd = await readlink(`/proc/${entry}/cwd`).catch(() => null);
    if (cwd === dir && isLiveProcess(Number(entry))) pids.push(Number(entry));
  }
  return pids;
}

describe('daemon stop with a headless run in flight', () => {
  let repo: string;
  let server: FakeModelServer;
  beforeEach(async () => {
    repo = await realpath(await makeRepo({ ...VULNERABLE_APP }));
    operatorConfig = `${repo}.config.json`;
    await writeFile(operatorConfig, JSON.stringify({ workers: { map: { enabled: false }, consolidate: { enabled: false }, optimize: { enabled: false }, testgaps: { enabled: false } } }));
    server = await startFakeModelServer({ reply: [{ kind: 'neverEnding', intervalMs: 200 }] });
  });
  afterEach(async () => {
    await cli(['daemon', 'stop', '--repo', repo]);
    await server.close();
    await rm(repo, { recursive: true, force: true });
    await rm(operatorConfig, { force: true });
  });

  it('kills the running Claude Code process tree and records the run as cancelled', async () => {
    const env = { ANTHROPIC_BASE_URL: server.url, ANTHROPIC_API_KEY: FAKE_API_KEY, HW_CLAUDE_BIN: CLAUDE_BIN, DISABLE_TELEMETRY: '1', CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1' };
    await cli(['daemon', 'start', '--repo', repo], { env });
    const claudePids = await waitFor(() => processesIn(repo), (pids) => pids.length > 0 && server.mainRequests().length > 0);

    const stopped = await cli(['daemon', 'stop', '--repo', repo], { env });

    expect(stopped.stdout).toMatch(/daemon stopped/);
    expect(claudePids.filter((pid) => isLiveProcess(pid))).toEqual([]);
    expect(await processesIn(repo)).toEqual([]);
    const audit = (await status(repo)).workers.find((w) => w.worker === 'audit');
    expect(audit?.lastOutcome).toBe('CANCELLED');
  });
});
