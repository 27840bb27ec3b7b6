import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../workers/config/index.js';
import { WorkerEngine } from '../../workers/engine/WorkerEngine.js';
import { FileModelPause, FileSpendLedger, type ModelPause, type SpendLedger } from '../../workers/spend/index.js';
import { openLocalState } from '../../workers/store/index.js';
import { CLAUDE_BIN } from '../fake-model/claudeTestBed.js';
import { useClaudeTestBed } from '../fake-model/useClaudeTestBed.js';
import { SAMPLE_AUDIT, startFakeModelServer, type FakeReply } from '../fake-model/index.js';
import { VULNERABLE_APP } from '../helpers/fixtureRepo.js';

// The engine's spend ledger and model pause are ports (issue 14): two engines with their own
// state directories but the same injected ledger and pause behave as two Fargate tasks of one
// deployment. Real Claude Code against the fake model API.

describe('WorkerEngine with injected spend ledger and model pause', () => {
  const t = useClaudeTestBed(VULNERABLE_APP);

  /** Shared ports, as the deployment's table would be, in a directory neither engine's state uses. */
  async function sharedPorts(): Promise<{ ledger: FileSpendLedger; pause: FileModelPause }> {
    const shared = path.join(t.bed.root, 'deployment');
    await mkdir(shared, { recursive: true });
    return { ledger: new FileSpendLedger(shared), pause: new FileModelPause(shared) };
  }

  async function engine(name: string, ports: { ledger: SpendLedger; pause: ModelPause }, config = parseConfig({ limits: { dailyUsd: 1 } })) {
    const state = await openLocalState(t.bed.workspace, path.join(t.bed.root, name));
    const built = new WorkerEngine({ config, store: state.store, stateDir: state.stateDir, spendLedger: ports.ledger, modelPause: ports.pause, env: { ...t.bed.env(t.server!.url), HW_CLAUDE_BIN: CLAUDE_BIN } });
    return { engine: built, stateDir: state.stateDir };
  }

  it('a run reserves its budget in the injected ledger and settles to its measured cost; nothing goes to the engine\'s own state directory', async () => {
    // prepare
    t.server = await startFakeModelServer({ reply: () => ({ kind: 'structuredOutput', value: SAMPLE_AUDIT }) satisfies FakeReply });
    const ports = await sharedPorts();
    const { engine: task, stateDir } = await engine('task-a', ports);

    // act
    const result = await task.run({ worker: 'audit', repoDir: t.bed.workspace });

    // assess
    expect(result).toMatchObject({ mode: 'headless', status: 'SUCCEEDED' });
    expect(await ports.ledger.summary()).toMatchObject({ runs: 1, launches: 1, reservedUsd: 0, costUsd: result.costUsd });
    expect(existsSync(path.join(stateDir, 'spend-ledger.json'))).toBe(false);
  });

  it('at the shared daily cap: audit falls back to its local analysis and optimize is SKIPPED, both saying the daily cap is reached; no model call', async () => {
    // prepare: another task holds the whole day's budget
    t.server = await startFakeModelServer({ reply: () => ({ kind: 'structuredOutput', value: SAMPLE_AUDIT }) satisfies FakeReply });
    const ports = await sharedPorts();
    await ports.ledger.reserve({ dailyUsd: 1 }, { id: 'run-on-another-task', budgetUsd: 1 });
    const { engine: task } = await engine('task-b', ports);

    // act
    const audit = await task.run({ worker: 'audit', repoDir: t.bed.workspace });
    const optimize = await task.run({ worker: 'optimize', repoDir: t.bed.workspace });

    // assess
    expect(audit).toMatchObject({ mode: 'local', status: 'SUCCEEDED' });
    expect(audit.fallbackReason).toBe('audit ran its local analysis: daily spend cap reached: $1.00 (of which $1.00 reserved by runs in progress) of $1.00 (set limits.dailyUsd to raise it)');
    expect(optimize).toMatchObject({ status: 'SKIPPED', success: false });
    expect(optimize.error).toMatch(/and here daily spend cap reached: \$1\.00 .* of \$1\.00 .*; it was not run$/);
    expect(t.server.mainRequests()).toHaveLength(0);
  });

  it('a 429 one engine meets pauses the other: its next run falls back to local without calling the model', async () => {
    // prepare
    t.server = await startFakeModelServer({ reply: () => ({ kind: 'httpError', status: 429, retryAfterSeconds: 600 }) satisfies FakeReply });
    const ports = await sharedPorts();
    const { engine: first } = await engine('task-c', ports);
    const { engine: second } = await engine('task-d', ports);

    // act
    const limited = await first.run({ worker: 'audit', repoDir: t.bed.workspace });
    const calls = t.server.mainRequests().length;
    const next = await second.run({ worker: 'audit', repoDir: t.bed.workspace });

    // assess
    expect(limited).toMatchObject({ mode: 'headless', status: 'FAILED' });
    expect(next).toMatchObject({ mode: 'local', status: 'SUCCEEDED' });
    expect(next.fallbackReason).toMatch(/headless runs are paused until \S+: the API answered with a rate limit, quota or overload error/);
    expect(t.server.mainRequests()).toHaveLength(calls);
    expect(await ports.ledger.summary()).toMatchObject({ runs: 1, reservedUsd: 0 });
  });
});
