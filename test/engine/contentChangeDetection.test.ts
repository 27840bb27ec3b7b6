import { execFileSync } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../workers/config/index.js';
import { WorkerEngine } from '../../workers/engine/WorkerEngine.js';
import { openLocalState } from '../../workers/store/index.js';
import { CLAUDE_BIN, createClaudeTestBed, type ClaudeTestBed } from '../fake-model/claudeTestBed.js';
import { startFakeModelServer, type FakeModelServer } from '../fake-model/index.js';

// Issue 13: "A dirty working tree is re-sent to the model on every run: one uncommitted file changed since the
// last commit is "incremental, 1 file changed" three runs in a row, so a daemon pays for it every interval."
const AUDIT = { summary: 'nothing', findings: [] };

function git(cwd: string, ...args: string[]): void {
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd, stdio: 'ignore' });
}

describe('incremental scans judge change by content', () => {
  let bed: ClaudeTestBed;
  let server: FakeModelServer;
  /** What the scripted model answers: a test sets it before a run. */
  let answer: unknown = AUDIT;
  beforeEach(async () => {
    answer = AUDIT;
    bed = await createClaudeTestBed({ 'src/auth.ts': 'export const checkAuthMarker = 1;\n', 'src/billing.ts': 'export const billingMarker = 2;\n' });
    git(bed.workspace, 'init', '-q');
    git(bed.workspace, 'add', '.');
    git(bed.workspace, 'commit', '-q', '-m', 'first');
    server = await startFakeModelServer({ reply: () => ({ kind: 'structuredOutput', value: answer }) });
  });
  afterEach(async () => {
    await server.close();
    await bed.cleanup();
  });

  it('sends an uncommitted change once, not on every run, and not again once it is committed as it was', async () => {
    const state = await openLocalState(bed.workspace, path.join(bed.root, 'state'));
    const engine = new WorkerEngine({ config: parseConfig({}), store: state.store, stateDir: state.stateDir, env: { ...bed.env(server.url), HW_CLAUDE_BIN: CLAUDE_BIN } });
    const run = () => engine.run({ worker: 'audit', repoDir: bed.workspace });
    const modelCalls = () => server.mainRequests().length;

    const baseline = await run();
    expect(baseline.scan?.contentHashes).toHaveProperty('src/auth.ts');
    await writeFile(path.join(bed.workspace, 'src/auth.ts'), 'export const checkAuthMarker = 3;\n');
    const dirty = await run();
    const callsAfterDirty = modelCalls();
    const again = await run();
    const third = await run();
    git(bed.workspace, 'commit', '-q', '-am', 'the change, committed as reviewed');
    const committed = await run();

    expect(dirty).toMatchObject({ status: 'SUCCEEDED', scan: { kind: 'incremental', changedFiles: 1 } });
    expect(dirty.context?.files.map((f) => f.path)).toEqual(['src/auth.ts']);
    for (const skipped of [again, third, committed]) {
      expect(skipped).toMatchObject({ status: 'SKIPPED', costUsd: 0, scan: { kind: 'incremental', changedFiles: 0, unchangedByContent: 1 } });
      expect(skipped.error).toMatch(/1 changed file\(s\) have the content a run already showed the model/);
    }
    expect(modelCalls()).toBe(callsAfterDirty);

    await writeFile(path.join(bed.workspace, 'src/auth.ts'), 'export const checkAuthMarker = 4;\n');
    await writeFile(path.join(bed.workspace, 'src/billing.ts'), 'export const billingMarker = 2;\n');
    const edited = await run();

    expect(edited.scan).toMatchObject({ kind: 'incremental', changedFiles: 1 });
    expect(server.mainRequests().at(-1)?.rawBody).toContain('checkAuthMarker = 4');
  });

  it('marks fixed the findings of a file deleted since the baseline, in an incremental headless scan', async () => {
    const state = await openLocalState(bed.workspace, path.join(bed.root, 'state'));
    const engine = new WorkerEngine({ config: parseConfig({}), store: state.store, findingStore: state.findingStore, stateDir: state.stateDir, env: { ...bed.env(server.url), HW_CLAUDE_BIN: CLAUDE_BIN } });
    const finding = { ruleId: 'hardcoded-secret', severity: 'high', file: 'src/billing.ts', line: 1, message: 'a marker that looks like a secret', evidence: 'billingMarker = 2' };
    answer = { summary: 'one', findings: [finding] };
    const baseline = await engine.run({ worker: 'audit', repoDir: bed.workspace });
    answer = AUDIT;
    await rm(path.join(bed.workspace, 'src/billing.ts'));
    const afterDelete = await engine.run({ worker: 'audit', repoDir: bed.workspace });

    expect(baseline.findingSummary).toMatchObject({ new: 1 });
    expect(afterDelete).toMatchObject({ status: 'SUCCEEDED', scan: { kind: 'incremental' }, findingSummary: { new: 0, fixed: 1, open: 0 } });
  });
});
