import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../workers/config/index.js';
import { WorkerEngine } from '../../workers/engine/WorkerEngine.js';
import { CLI_REQUEST_OVERHEAD_CHARS } from '../../workers/headless/index.js';
import { openLocalState } from '../../workers/store/index.js';
import { CLAUDE_BIN, createClaudeTestBed, type ClaudeTestBed } from '../fake-model/claudeTestBed.js';
import { startFakeModelServer, type FakeModelServer } from '../fake-model/index.js';
import { VULNERABLE_APP } from '../helpers/fixtureRepo.js';

const AUDIT = { summary: 'none', findings: [] };

describe('run --dry-run (WorkerEngine.plan)', () => {
  let bed: ClaudeTestBed;
  let server: FakeModelServer;
  beforeEach(async () => {
    bed = await createClaudeTestBed(VULNERABLE_APP);
    server = await startFakeModelServer({ reply: [{ kind: 'structuredOutput', value: AUDIT }] });
  });
  afterEach(async () => {
    await server.close();
    await bed.cleanup();
  });

  it('sends and stores nothing, and estimates the first request within 10% of what a real run reports', async () => {
    const state = await openLocalState(bed.workspace, path.join(bed.root, 'state'));
    const engine = new WorkerEngine({ config: parseConfig({}), store: state.store, stateDir: state.stateDir, env: { ...bed.env(server.url), HW_CLAUDE_BIN: CLAUDE_BIN } });

    const plan = await engine.plan({ worker: 'audit', repoDir: bed.workspace });

    expect(server.requests).toHaveLength(0);
    expect(await state.store.list()).toEqual([]);
    expect(plan).toMatchObject({ worker: 'audit', model: 'claude-haiku-5-5', sandbox: 'strict', budgetCapUsd: 0.5 });
    expect(plan.prompt).toContain('src/db.ts');
    expect(plan.prompt).not.toContain('AKIAQ3EGRJ7XWY5NZ2VB');
    expect(plan.estimatedCostUsd.firstRequestInput).toBeCloseTo((plan.estimatedInputTokens * 1) / 1_000_000, 9);

    const result = await engine.run({ worker: 'audit', repoDir: bed.workspace });
    const firstRequest = server.mainRequests()[0]!;
    const reported = Math.ceil(firstRequest.rawBody.length / 4);

    expect(result.status).toBe('SUCCEEDED');
    expect(result.tokens.input).toBeGreaterThanOrEqual(reported);
    expect(Math.abs(plan.estimatedInputTokens - reported) / reported).toBeLessThan(0.1);
  });

  it('refuses a dry run of a local worker with a clear reason', async () => {
    const state = await openLocalState(bed.workspace, path.join(bed.root, 'state'));
    const engine = new WorkerEngine({ config: parseConfig({}), store: state.store, stateDir: state.stateDir });

    await expect(engine.plan({ worker: 'map', repoDir: bed.workspace })).rejects.toThrow('map is a local worker: it sends nothing to a model and costs no tokens');
  });

  it('keeps the measured CLI overhead per profile: a CLI upgrade that changes it fails here', async () => {
    for (const sandbox of ['strict', 'permissive'] as const) {
      const probe = await startFakeModelServer({ reply: [{ kind: 'text', text: 'ok' }] });
      const { runClaude } = await import('../../workers/headless/index.js');
      const prompt = 'Say ok.';
      await runClaude({ prompt, workspaceDir: bed.workspace, sandbox, model: 'haiku', maxTurns: 1, maxBudgetUsd: 1, timeoutMs: 30_000, env: bed.env(probe.url), binaryPath: CLAUDE_BIN, maxRetries: 0 });
      const overhead = probe.mainRequests()[0]!.rawBody.length - JSON.stringify(prompt).length;
      await probe.close();

      expect(Math.abs(overhead - CLI_REQUEST_OVERHEAD_CHARS[sandbox]) / CLI_REQUEST_OVERHEAD_CHARS[sandbox]).toBeLessThan(0.05);
    }
  });
});
