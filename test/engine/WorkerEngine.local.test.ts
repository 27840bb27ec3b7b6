import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AUDIT_OUTPUT_SCHEMA } from '../../workers/catalog/index.js';
import { parseConfig } from '../../workers/config/index.js';
import { WorkerEngine } from '../../workers/engine/WorkerEngine.js';
import { InputError } from '../../workers/errors.js';
import { validateJson } from '../../workers/output/index.js';
import { openLocalState } from '../../workers/store/index.js';
import { NO_CLAUDE_ENV } from '../helpers/cliProcess.js';
import { makeRepo, VULNERABLE_APP } from '../helpers/fixtureRepo.js';

describe('WorkerEngine without Claude Code', () => {
  let repo: string;
  let engine: WorkerEngine;
  let store: Awaited<ReturnType<typeof openLocalState>>['store'];

  beforeEach(async () => {
    repo = await makeRepo(VULNERABLE_APP);
    const state = await openLocalState(repo);
    store = state.store;
    engine = new WorkerEngine({ config: parseConfig({}), store, stateDir: state.stateDir, env: { ...NO_CLAUDE_ENV } });
  });
  afterEach(async () => {
    await rm(repo, { recursive: true, force: true });
  });

  it('runs map locally and stores the record where the CLI reads it', async () => {
    const result = await engine.run({ worker: 'map', repoDir: repo });

    expect(result).toMatchObject({ worker: 'map', mode: 'local', status: 'SUCCEEDED', success: true, target: path.basename(repo) });
    const output = result.parsedOutput as { files: number; languages: { language: string; code: number }[] };
    expect(output.files).toBe(5);
    expect(output.languages.find((l) => l.language === 'TypeScript')?.code).toBe(10);
    expect(await store.get(result.runId)).toEqual(result);
  });

  it('falls back to the local audit, says why, and finds the planted secret and the SQL injection', async () => {
    const result = await engine.run({ worker: 'audit', repoDir: repo });

    expect(result.mode).toBe('local');
    expect(result.requestedMode).toBe('headless');
    expect(result.fallbackReason).toMatch(/^audit ran its local analysis: .+/);
    expect(result.status).toBe('SUCCEEDED');
    expect(validateJson(result.parsedOutput, AUDIT_OUTPUT_SCHEMA)).toEqual({ valid: true });
    const findings = (result.parsedOutput as { findings: { ruleId: string; file: string; line: number; evidence?: string }[] }).findings;
    expect(findings.some((f) => f.file === 'src/config.ts' && f.line === 2)).toBe(true);
    expect(findings.some((f) => f.file === 'src/db.ts' && f.line === 4)).toBe(true);
    expect(JSON.stringify(result)).not.toContain('AKIAQ3EGRJ7XWY5NZ2VB');
  });

  it('skips a headless worker that has no honest local equivalent, and says what it needs', async () => {
    const result = await engine.run({ worker: 'optimize', repoDir: repo });

    expect(result.status).toBe('SKIPPED');
    expect(result.success).toBe(false);
    expect(result.error).toMatch(/optimize has no local equivalent: it needs Claude Code and credentials/);
  });

  it('fails a run that requires --headless when Claude Code is missing, with the reason', async () => {
    const result = await engine.run({ worker: 'audit', repoDir: repo, mode: 'headless' });

    expect(result.status).toBe('FAILED');
    expect(result.error).toMatch(/^--headless was requested but /);
  });

  it('runs the local fallbacks of testgaps and predict on real files', async () => {
    const testgaps = await engine.run({ worker: 'testgaps', repoDir: repo });
    const predict = await engine.run({ worker: 'predict', repoDir: repo });

    expect(testgaps.status).toBe('SUCCEEDED');
    expect(testgaps.parsedOutput).toMatchObject({ sourceFiles: 2, testedSourceFiles: 1, untestedFiles: [{ path: 'src/index.ts' }] });
    expect(predict.status).toBe('SUCCEEDED');
    expect(predict.parsedOutput).toMatchObject({ predictions: [] });
  });

  it('consolidates: merges the same finding across runs and prunes nothing that is live', async () => {
    await engine.run({ worker: 'audit', repoDir: repo, mode: 'local' });
    await engine.run({ worker: 'audit', repoDir: repo, mode: 'local' });
    const result = await engine.run({ worker: 'consolidate', repoDir: repo });

    const output = result.parsedOutput as { pruned: number; runsRead: number; findingsRead: number; mergedFindings: { occurrences: number }[] };
    expect(output.pruned).toBe(0);
    expect(output.runsRead).toBe(2);
    expect(output.mergedFindings.length * 2).toBe(output.findingsRead);
    expect(output.mergedFindings.every((f) => f.occurrences === 2)).toBe(true);
  });

  it('preload warms the file index and reuses it while the tree is unchanged', async () => {
    const first = await engine.run({ worker: 'preload', repoDir: repo });
    const second = await engine.run({ worker: 'preload', repoDir: repo });

    const actions = (r: typeof first) => (r.parsedOutput as { indexes: { action: string; files: number }[] }).indexes.map((i) => i.action);
    expect(actions(first).every((a) => a === 'rebuilt')).toBe(true);
    expect(actions(second).every((a) => a === 'reused')).toBe(true);
  });

  it('benchmark measures context building and map on the repository', async () => {
    const result = await engine.run({ worker: 'benchmark', repoDir: repo });

    const output = result.parsedOutput as { context: { includedFiles: number; ms: number }; map: { files: number }; peakRssMb: number };
    expect(output.context.includedFiles).toBeGreaterThan(0);
    expect(output.map.files).toBe(5);
    expect(output.peakRssMb).toBeGreaterThan(0);
  });

  it('refuses an unknown worker and an unreadable repository with clear errors', async () => {
    await expect(engine.run({ worker: 'audti', repoDir: repo })).rejects.toThrow(new InputError('unknown worker "audti"; known workers: map, audit, optimize, consolidate, testgaps, predict, document, ultralearn, refactor, benchmark, deepdive, preload'));
    await expect(engine.run({ worker: 'map', repoDir: path.join(repo, 'missing') })).rejects.toThrow(/repository path .*missing does not exist; pass --repo DIR/);
    await expect(engine.run({ worker: 'map', repoDir: path.join(repo, 'README.md') })).rejects.toThrow(/is not a directory/);
  });
});
