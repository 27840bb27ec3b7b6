import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig, type ResolvedConfig } from '../../workers/config/index.js';
import { WorkerEngine } from '../../workers/engine/WorkerEngine.js';
import type { RunResult } from '../../workers/run/types.js';
import { openLocalState } from '../../workers/store/index.js';
import { CLAUDE_BIN } from '../fake-model/claudeTestBed.js';
import { useClaudeTestBed } from '../fake-model/useClaudeTestBed.js';
import { startFakeModelServer, type FakeModelServer, type FakeReply } from '../fake-model/index.js';
import { VULNERABLE_APP } from '../helpers/fixtureRepo.js';

const VALID_AUDIT = {
  summary: 'One SQL injection.',
  findings: [{ ruleId: 'sql-injection', severity: 'high', file: 'src/db.ts', line: 4, message: 'Query built by concatenation', evidence: 'query("SELECT ..." + name)' }],
};

describe('WorkerEngine headless runs (real Claude Code, fake model API)', () => {
  const t = useClaudeTestBed(VULNERABLE_APP);

  async function engineFor(reply: readonly FakeReply[], config: ResolvedConfig = parseConfig({})) {
    t.server = await startFakeModelServer({ reply });
    const state = await openLocalState(t.bed.workspace, path.join(t.bed.root, 'state'));
    return { engine: new WorkerEngine({ config, store: state.store, stateDir: state.stateDir, env: { ...t.bed.env(t.server.url), HW_CLAUDE_BIN: CLAUDE_BIN } }), store: state.store };
  }

  function promptOf(s: FakeModelServer): string {
    return s.mainRequests()[0]?.rawBody ?? '';
  }

  it('audit: validated JSON from a fenced answer, with tokens, cost, model and context recorded; secrets never sent', async () => {
    const { engine } = await engineFor([{ kind: 'json', value: VALID_AUDIT, fenced: true }]);

    const result = await engine.run({ worker: 'audit', repoDir: t.bed.workspace });

    expect(result).toMatchObject({ mode: 'headless', status: 'SUCCEEDED', success: true, sandboxMode: 'strict', model: 'claude-haiku-5-5', violations: [] });
    expect(result.parsedOutput).toEqual(VALID_AUDIT);
    expect(result.tokens.input).toBeGreaterThan(0);
    expect(result.costUsd).toBeGreaterThan(0);
    expect(result.context?.files.map((f) => f.path)).toContain('src/db.ts');
    expect(result.context?.redactions).toBeGreaterThan(0);
    const prompt = promptOf(t.server!);
    expect(prompt).toContain('src/db.ts');
    expect(prompt).not.toContain('AKIAQ3EGRJ7XWY5NZ2VB');
  });

  it('audit under strict: a Bash call is refused, counted as a violation, and runs nothing', async () => {
    const marker = path.join(t.bed.workspace, 'pwned');
    const { engine } = await engineFor([
      { kind: 'toolCall', name: 'Bash', input: { command: `touch ${marker}` } },
      { kind: 'json', value: VALID_AUDIT },
    ]);

    const result = await engine.run({ worker: 'audit', repoDir: t.bed.workspace });

    expect(result.violations.length).toBeGreaterThanOrEqual(1);
    expect(result.violations[0]).toMatchObject({ tool: 'Bash' });
    expect(existsSync(marker)).toBe(false);
    expect(result.status).toBe('SUCCEEDED');
  });

  it('keeps an answer that does not fit the schema raw, with the reason, as FAILED', async () => {
    // Claude Code asks once more for structured output; the model answers in prose twice.
    const prose: FakeReply = { kind: 'text', text: 'I looked around and everything is fine, no JSON today.' };
    const { engine } = await engineFor([prose, prose]);

    const result = await engine.run({ worker: 'audit', repoDir: t.bed.workspace });

    expect(result.status).toBe('FAILED');
    expect(result.output).toContain('no JSON today');
    expect(result.outputError).toBeTruthy();
    expect(result.error).toMatch(/^output rejected: /);
  });

  it('pauses headless runs after a rate-limit answer: the next run falls back to local and says why', async () => {
    const { engine } = await engineFor([{ kind: 'httpError', status: 429, retryAfterSeconds: 120 }]);

    const limited = await engine.run({ worker: 'audit', repoDir: t.bed.workspace });
    const next = await engine.run({ worker: 'audit', repoDir: t.bed.workspace });

    expect(limited.status).toBe('FAILED');
    expect(await engine.pause.currentPause()).not.toBeNull();
    expect(next.mode).toBe('local');
    expect(next.fallbackReason).toMatch(/headless runs are paused until/);
  });

  it('chains: audit after ultralearn carries its result in the prompt and records its id; not with chaining off', async () => {
    const learned = { summary: 'Conventions', conventions: [{ name: 'CHAIN-MARKER-early-returns', description: 'Functions return early' }], glossary: [] };
    const { engine } = await engineFor([{ kind: 'structuredOutput', value: learned }, { kind: 'json', value: VALID_AUDIT }]);
    const ultralearn: RunResult = await engine.run({ worker: 'ultralearn', repoDir: t.bed.workspace });
    expect(ultralearn.status).toBe('SUCCEEDED');

    const audit = await engine.run({ worker: 'audit', repoDir: t.bed.workspace });

    expect(audit.chainedInputs).toEqual([{ worker: 'ultralearn', runId: ultralearn.runId }]);
    expect(t.server!.mainRequests()[1]?.rawBody).toContain('CHAIN-MARKER-early-returns');

    await t.server!.close();
    const off = await engineFor([{ kind: 'json', value: VALID_AUDIT }], parseConfig({ chaining: false }));
    const unchained = await off.engine.run({ worker: 'audit', repoDir: t.bed.workspace });
    expect(unchained.chainedInputs).toEqual([]);
    expect(promptOf(t.server!)).not.toContain('CHAIN-MARKER-early-returns');
  });
});
