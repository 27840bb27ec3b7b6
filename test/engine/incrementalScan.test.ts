import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../workers/config/index.js';
import { WorkerEngine } from '../../workers/engine/WorkerEngine.js';
import { openLocalState } from '../../workers/store/index.js';
import { CLAUDE_BIN, createClaudeTestBed, type ClaudeTestBed } from '../fake-model/claudeTestBed.js';
import { startFakeModelServer, type FakeModelServer } from '../fake-model/index.js';

const AUDIT = { summary: 'nothing', findings: [] };

function git(cwd: string, ...args: string[]): void {
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd, stdio: 'ignore' });
}

describe('incremental scans of git targets', () => {
  let bed: ClaudeTestBed;
  let server: FakeModelServer;
  beforeEach(async () => {
    bed = await createClaudeTestBed({ 'src/auth.ts': 'export const checkAuthMarker = 1;\n', 'src/billing.ts': 'export const billingMarker = 2;\n' });
    git(bed.workspace, 'init', '-q');
    git(bed.workspace, 'add', '.');
    git(bed.workspace, 'commit', '-q', '-m', 'first');
    server = await startFakeModelServer({ reply: () => ({ kind: 'structuredOutput', value: AUDIT }) });
  });
  afterEach(async () => {
    await server.close();
    await bed.cleanup();
  });

  async function engine(config = parseConfig({})) {
    const state = await openLocalState(bed.workspace, path.join(bed.root, 'state'));
    return new WorkerEngine({ config, store: state.store, stateDir: state.stateDir, env: { ...bed.env(server.url), HW_CLAUDE_BIN: CLAUDE_BIN } });
  }
  const lastPrompt = () => server.mainRequests().at(-1)?.rawBody ?? '';

  it('scans in full first, then only the files changed since, skips when nothing changed, and obeys --full', async () => {
    const e = await engine();

    const first = await e.run({ worker: 'audit', repoDir: bed.workspace });
    expect(first.scan).toMatchObject({ kind: 'full', reason: 'no full baseline in the last 10 complete runs' });
    expect(lastPrompt()).toContain('billingMarker');

    await writeFile(path.join(bed.workspace, 'src/auth.ts'), 'export const checkAuthMarker = 3;\n');
    git(bed.workspace, 'commit', '-q', '-am', 'second');
    const second = await e.run({ worker: 'audit', repoDir: bed.workspace });
    expect(second.scan).toMatchObject({ kind: 'incremental', baseCommit: first.scan?.headCommit, changedFiles: 1 });
    expect(second.context?.files.map((f) => f.path)).toEqual(['src/auth.ts']);
    expect(lastPrompt()).toContain('checkAuthMarker = 3');
    expect(lastPrompt()).not.toContain('billingMarker');
    expect(lastPrompt()).toContain('Scope: incremental scan');

    const requestsBefore = server.mainRequests().length;
    const third = await e.run({ worker: 'audit', repoDir: bed.workspace });
    expect(third).toMatchObject({ status: 'SKIPPED', costUsd: 0, scan: { kind: 'incremental', changedFiles: 0 } });
    expect(third.error).toMatch(/nothing changed since commit/);
    expect(server.mainRequests()).toHaveLength(requestsBefore);

    const forced = await e.run({ worker: 'audit', repoDir: bed.workspace, fullScan: true });
    expect(forced.scan).toMatchObject({ kind: 'full', reason: 'a full scan was asked for' });
    expect(lastPrompt()).toContain('billingMarker');
  });

  it('takes a baseline every N runs and scans in full when turned off', async () => {
    const e = await engine(parseConfig({ incremental: { baselineEveryRuns: 2 } }));
    const off = await engine(parseConfig({ incremental: { enabled: false } }));

    await e.run({ worker: 'audit', repoDir: bed.workspace });
    await writeFile(path.join(bed.workspace, 'src/auth.ts'), 'export const checkAuthMarker = 4;\n');
    const second = await e.run({ worker: 'audit', repoDir: bed.workspace });
    await writeFile(path.join(bed.workspace, 'src/auth.ts'), 'export const checkAuthMarker = 5;\n');
    const third = await e.run({ worker: 'audit', repoDir: bed.workspace });
    const disabled = await off.run({ worker: 'audit', repoDir: bed.workspace });

    expect(second.scan?.kind).toBe('incremental');
    expect(third.scan).toMatchObject({ kind: 'full', reason: 'a baseline is due every 2 runs' });
    expect(disabled.scan).toMatchObject({ kind: 'full', reason: 'incremental scans are turned off' });
  });
});
