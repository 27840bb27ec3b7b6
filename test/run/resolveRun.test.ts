import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { HeadlessWorkerDefinition } from '../../workers/catalog/types.js';
import { parseConfig } from '../../workers/config/index.js';
import { WorkerEngine } from '../../workers/engine/WorkerEngine.js';
import { RunRejected } from '../../workers/run/errors.js';
import { resolveRun } from '../../workers/run/resolveRun.js';
import { openLocalState } from '../../workers/store/index.js';
import { NO_CLAUDE_ENV } from '../helpers/cliProcess.js';

const config = parseConfig({ models: { sonnet: 'claude-sonnet-4-6' } });
const policy = { allowDisabledSandbox: false, models: config.models, env: {} };
const def = (name: string) => config.catalog.get(name)!;
const disabledOptimize = { ...(def('optimize') as HeadlessWorkerDefinition), sandbox: 'disabled' as const };

function rejection(run: () => unknown): RunRejected {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(RunRejected);
    return error as RunRejected;
  }
  throw new Error('expected the run to be rejected');
}

describe('resolveRun', () => {
  it('keeps the catalog when nothing is asked, and lets a run tighten its sandbox', () => {
    expect(resolveRun(def('audit'), {}, policy)).toEqual({ profile: 'strict', sandbox: 'strict', model: 'haiku', modelId: 'claude-haiku-5-5' });
    expect(resolveRun(def('optimize'), { sandbox: 'strict' }, policy)).toMatchObject({ profile: 'strict', sandbox: 'strict' });
    expect(resolveRun(def('optimize'), { model: 'sonnet' }, policy)).toMatchObject({ profile: 'permissive', modelId: 'claude-sonnet-4-6' });
    expect(resolveRun(def('map'), {}, policy)).toEqual({ profile: 'local', sandbox: null, model: null, modelId: null });
    expect(resolveRun(def('audit'), { mode: 'local' }, policy)).toMatchObject({ profile: 'local', sandbox: null });
  });

  it('refuses to loosen, to disable without the operator, an unknown model, and choices a local worker does not have', () => {
    expect(rejection(() => resolveRun(def('audit'), { sandbox: 'permissive' }, policy))).toMatchObject({ field: 'sandbox', allowed: ['strict'] });
    expect(rejection(() => resolveRun(disabledOptimize, {}, policy)).message).toMatch(/allowDisabledSandbox/);
    expect(resolveRun(disabledOptimize, {}, { ...policy, allowDisabledSandbox: true })).toMatchObject({ profile: 'disabled' });
    expect(rejection(() => resolveRun(def('audit'), { model: 'gpt-4; rm -rf /' }, policy))).toMatchObject({ field: 'model' });
    expect(rejection(() => resolveRun(def('audit'), { model: `claude-${'x'.repeat(200)}` }, policy))).toMatchObject({ field: 'model' });
    expect(rejection(() => resolveRun(def('map'), { sandbox: 'strict' }, policy))).toMatchObject({ field: 'sandbox' });
    expect(rejection(() => resolveRun(def('map'), { model: 'haiku' }, policy))).toMatchObject({ field: 'model' });
  });

  it('a tightened run that fails is recorded with the sandbox it used, not the catalog\'s', async () => {
    // prepare: a permissive worker tightened to strict, headless required, no Claude Code
    const repo = await mkdtemp(path.join(os.tmpdir(), 'hw-resolve-'));
    await writeFile(path.join(repo, 'a.ts'), 'export const a = 1;\n');
    const state = await openLocalState(repo, path.join(repo, '..', `${path.basename(repo)}-state`));
    const engine = new WorkerEngine({ config, store: state.store, stateDir: state.stateDir, env: { ...NO_CLAUDE_ENV } });

    // act
    const result = await engine.run({ worker: 'optimize', repoDir: repo, sandbox: 'strict', mode: 'headless' });

    // assess
    expect(result).toMatchObject({ status: 'FAILED', sandboxMode: 'strict' });
    await rm(repo, { recursive: true, force: true });
    await rm(state.stateDir, { recursive: true, force: true });
  });
});
