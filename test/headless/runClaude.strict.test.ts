import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runClaude, type RunClaudeOptions } from '../../workers/headless/index.js';
import { CLAUDE_BIN } from '../fake-model/claudeTestBed.js';
import { useClaudeTestBed } from '../fake-model/useClaudeTestBed.js';
import { startFakeModelServer, type FakeReply } from '../fake-model/index.js';

describe('runClaude with the strict profile (real Claude Code, fake model)', () => {
  const t = useClaudeTestBed({ 'src/app.ts': 'export const answer = 42;\n' });

  const run = async (reply: readonly FakeReply[], extra: Partial<RunClaudeOptions> = {}) => {
    t.server = await startFakeModelServer({ reply });
    return runClaude({
      prompt: 'Audit this repository. PROMPT-MARKER-1234',
      workspaceDir: t.bed.workspace,
      sandbox: 'strict',
      model: 'haiku',
      maxTurns: 6,
      maxBudgetUsd: 1,
      timeoutMs: 30_000,
      env: t.bed.env(t.server.url),
      binaryPath: CLAUDE_BIN,
      maxRetries: 0,
      ...extra,
    });
  };

  it('returns a plain answer with usage, cost and the resolved model id', async () => {
    // Prepare / act
    const outcome = await run([{ kind: 'text', text: 'All good here.' }]);

    // Assess
    expect(outcome).toMatchObject({
      exitCode: 0,
      isError: false,
      timedOut: false,
      cancelled: false,
      resultText: 'All good here.',
      numTurns: 1,
      rateLimited: false,
      model: 'claude-haiku-5-5',
      violations: [],
    });
    expect(outcome.errorMessage).toBeUndefined();
    expect(outcome.usage.input).toBeGreaterThan(0);
    expect(outcome.usage.output).toBeGreaterThan(0);
    expect(outcome.costUsd).toBeGreaterThan(0);
    const main = t.server?.mainRequests() ?? [];
    expect(main).toHaveLength(1);
    expect((main[0]?.body as { model: string }).model).toBe('claude-haiku-5-5');
    expect(main[0]?.rawBody).toContain('PROMPT-MARKER-1234');
    // Only the read-only tools are offered to the model.
    const offered = (main[0]?.body as { tools: { name: string }[] }).tools.map((t) => t.name);
    expect(offered).toEqual(expect.arrayContaining(['Read', 'Grep', 'Glob']));
    expect(offered).not.toEqual(expect.arrayContaining(['Bash']));
    expect(offered.filter((name) => ['Bash', 'Edit', 'Write', 'WebFetch', 'WebSearch', 'Agent'].includes(name))).toEqual([]);
  });

  it('keeps a JSON answer in a ```json fence as the result text', async () => {
    // Prepare / act
    const outcome = await run([{ kind: 'json', value: { findings: [{ ruleId: 'x' }] }, fenced: true }]);

    // Assess
    expect(outcome.isError).toBe(false);
    expect(outcome.resultText).toContain('```json');
    const fenced = /```json\n([\s\S]*?)```/.exec(outcome.resultText)?.[1] ?? '';
    expect(JSON.parse(fenced)).toEqual({ findings: [{ ruleId: 'x' }] });
    expect(outcome.structuredOutput).toBeUndefined();
  });

  it('returns structured_output when the model answers through the StructuredOutput tool', async () => {
    // Prepare
    const schema = { type: 'object', properties: { findings: { type: 'array' } }, required: ['findings'] };

    // Act
    const outcome = await run([{ kind: 'structuredOutput', value: { findings: [{ ruleId: 'y' }] } }], { jsonSchema: schema });

    // Assess
    expect(outcome.isError).toBe(false);
    expect(outcome.structuredOutput).toEqual({ findings: [{ ruleId: 'y' }] });
    expect(JSON.parse(outcome.resultText)).toEqual({ findings: [{ ruleId: 'y' }] });
    expect(outcome.violations).toEqual([]);
  });

  it('refuses a Bash call: no side effect, counted as a violation', async () => {
    // Prepare / act
    const outcome = await run([
      { kind: 'toolCall', name: 'Bash', input: { command: 'touch marker' } },
      { kind: 'text', text: 'Could not run it.' },
    ]);

    // Assess
    expect(existsSync(join(t.bed.workspace, 'marker'))).toBe(false);
    expect(outcome.toolCalls.map((c) => c.name)).toEqual(['Bash']);
    expect(outcome.violations).toEqual([{ tool: 'Bash', kind: 'tool_unavailable', detail: 'Bash: touch marker' }]);
    expect(outcome.isError).toBe(false);
    expect(outcome.resultText).toBe('Could not run it.');
  });

  it('refuses a Write call: nothing written, counted as a violation', async () => {
    // Prepare
    const target = join(t.bed.workspace, 'src', 'app.ts');

    // Act
    const outcome = await run([
      { kind: 'toolCall', name: 'Write', input: { file_path: target, content: 'hacked' } },
      { kind: 'toolCall', name: 'Edit', input: { file_path: target, old_string: '42', new_string: '43' } },
      { kind: 'text', text: 'done' },
    ]);

    // Assess
    expect(readFileSync(target, 'utf8')).toBe('export const answer = 42;\n');
    expect(outcome.violations).toEqual([
      { tool: 'Write', kind: 'tool_unavailable', detail: `Write: ${target}` },
      { tool: 'Edit', kind: 'tool_unavailable', detail: `Edit: ${target}` },
    ]);
  });

  it('reads inside the workspace but refuses reads outside it', async () => {
    // Prepare
    const outside = join(t.bed.root, 'outside-secret.txt');
    writeFileSync(outside, 'OUTSIDE-SECRET-5150');

    // Act
    const outcome = await run([
      { kind: 'toolCall', name: 'Read', input: { file_path: join(t.bed.workspace, 'src', 'app.ts') } },
      { kind: 'toolCall', name: 'Read', input: { file_path: outside } },
      { kind: 'toolCall', name: 'Grep', input: { pattern: 'SECRET', path: t.bed.root } },
      { kind: 'text', text: 'done' },
    ]);

    // Assess
    const sent = t.server?.requests.map((r) => r.rawBody).join('\n') ?? '';
    expect(sent).toContain('export const answer = 42;');
    expect(sent).not.toContain('OUTSIDE-SECRET-5150');
    expect(outcome.violations).toEqual([
      { tool: 'Read', kind: 'permission_denied', detail: `Read: ${outside}` },
      { tool: 'Grep', kind: 'permission_denied', detail: `Grep: SECRET in ${t.bed.root}` },
    ]);
  });
});
