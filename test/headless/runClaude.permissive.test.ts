import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BASH_NEEDS_SANDBOX, runClaude, type RunClaudeOptions } from '../../workers/headless/index.js';
import { CLAUDE_BIN, type ClaudeTestBed } from '../fake-model/claudeTestBed.js';
import { useClaudeTestBed } from '../fake-model/useClaudeTestBed.js';
import { startFakeModelServer, type FakeReply } from '../fake-model/index.js';

describe('runClaude with the permissive profile (real Claude Code, fake model)', () => {
  const t = useClaudeTestBed({ 'README.md': '# demo\n' }, (bed: ClaudeTestBed) => {
    spawnSync('git', ['init', '-q'], { cwd: bed.workspace });
  });

  const run = async (reply: readonly FakeReply[], extra: Partial<RunClaudeOptions> = {}) => {
    t.server = await startFakeModelServer({ reply });
    return runClaude({
      prompt: 'Improve this repository.',
      workspaceDir: t.bed.workspace,
      sandbox: 'permissive',
      model: 'sonnet',
      maxTurns: 8,
      maxBudgetUsd: 1,
      timeoutMs: 30_000,
      env: t.bed.env(t.server.url),
      binaryPath: CLAUDE_BIN,
      maxRetries: 0,
      ...extra,
    });
  };

  // With Bash sandboxed Claude Code 2.1.332 runs in its default permission mode (its credential
  // scrub forces it), so the file rules are proven in both modes.
  it.each<[string, Partial<RunClaudeOptions>]>([
    ['without Bash', {}],
    ['with Bash sandboxed', { allowedBashCommands: ['git status'], bashSandbox: true }],
  ])('writes and edits inside the workspace, refuses a write outside it (%s)', async (_label, extra) => {
    // Prepare
    const inside = join(t.bed.workspace, 'docs', 'NOTES.md');
    const outside = join(t.bed.root, 'escaped.txt');

    // Act
    const outcome = await run(
      [
        { kind: 'toolCall', name: 'Write', input: { file_path: inside, content: 'first draft\n' } },
        { kind: 'toolCall', name: 'Edit', input: { file_path: inside, old_string: 'first', new_string: 'second' } },
        { kind: 'toolCall', name: 'Write', input: { file_path: outside, content: 'escaped' } },
        { kind: 'text', text: '## Done' },
      ],
      extra,
    );

    // Assess
    expect(readFileSync(inside, 'utf8')).toBe('second draft\n');
    expect(existsSync(outside)).toBe(false);
    expect(outcome.violations).toEqual([{ tool: 'Write', kind: 'permission_denied', detail: `Write: ${outside}` }]);
    expect(outcome.model).toBe('claude-sonnet-5-5');
    expect(outcome.isError).toBe(false);
  });

  it('inside the sandbox, runs an allow-listed command and refuses commands that are not on the list', async () => {
    // Prepare / act
    const outcome = await run(
      [
        { kind: 'toolCall', name: 'Bash', input: { command: 'git status' } },
        { kind: 'toolCall', name: 'Bash', input: { command: 'touch marker-touch' } },
        { kind: 'toolCall', name: 'Bash', input: { command: 'git status; touch marker-chained' } },
        { kind: 'toolCall', name: 'Bash', input: { command: "node -e \"require('fs').writeFileSync('marker-node','x')\"" } },
        { kind: 'text', text: 'done' },
      ],
      { allowedBashCommands: ['git status'], bashSandbox: true },
    );

    // Assess
    expect(outcome.bash).toEqual({ offered: true });
    for (const marker of ['marker-touch', 'marker-chained', 'marker-node']) {
      expect(existsSync(join(t.bed.workspace, marker))).toBe(false);
    }
    const sent = t.server?.requests.map((r) => r.rawBody).join('\n') ?? '';
    expect(sent).toContain('No commits yet'); // git status ran
    expect(outcome.violations.map((v) => [v.tool, v.kind, v.detail])).toEqual([
      ['Bash', 'permission_denied', 'Bash: touch marker-touch'],
      ['Bash', 'permission_denied', 'Bash: git status; touch marker-chained'],
      ['Bash', 'permission_denied', `Bash: node -e "require('fs').writeFileSync('marker-node','x')"`],
    ]);
  });

  it('does not offer Bash for allow-listed commands when the sandbox was not asked for, and says why', async () => {
    // Prepare / act
    const outcome = await run(
      [
        { kind: 'toolCall', name: 'Bash', input: { command: 'git status' } },
        { kind: 'text', text: 'done' },
      ],
      { allowedBashCommands: ['git status'], bashSandbox: false },
    );

    // Assess
    expect(outcome.bash).toEqual({ offered: false, reason: `${BASH_NEEDS_SANDBOX}; the operator did not ask for it (HW_BASH_SANDBOX=1)` });
    expect(outcome.violations).toEqual([{ tool: 'Bash', kind: 'tool_unavailable', detail: 'Bash: git status' }]);
    expect(t.server?.requests.map((r) => r.rawBody).join('\n')).not.toContain('No commits yet');
  });

  it('does not offer Bash when the sandbox was asked for but does not work here, and says why', async () => {
    // Prepare / act
    const outcome = await run(
      [
        { kind: 'toolCall', name: 'Bash', input: { command: 'git status' } },
        { kind: 'text', text: 'done' },
      ],
      { allowedBashCommands: ['git status'], bashSandbox: true, probeBashSandbox: async () => ({ works: false, detail: 'bubblewrap cannot create namespaces here: No permissions to create new namespace' }) },
    );

    // Assess
    expect(outcome.bash?.offered).toBe(false);
    expect(outcome.bash?.reason).toMatch(/it does not work here: bubblewrap cannot create namespaces here/);
    expect(outcome.violations.map((v) => v.kind)).toEqual(['tool_unavailable']);
  });

  it('does not offer Bash at all when no command is allow-listed', async () => {
    // Prepare / act
    const outcome = await run([
      { kind: 'toolCall', name: 'Bash', input: { command: 'touch marker' } },
      { kind: 'toolCall', name: 'WebFetch', input: { url: 'http://example.com', prompt: 'x' } },
      { kind: 'text', text: 'done' },
    ]);

    // Assess
    expect(existsSync(join(t.bed.workspace, 'marker'))).toBe(false);
    expect(outcome.violations).toEqual([
      { tool: 'Bash', kind: 'tool_unavailable', detail: 'Bash: touch marker' },
      { tool: 'WebFetch', kind: 'tool_unavailable', detail: 'WebFetch: http://example.com' },
    ]);
  });

  it('passes only the minimal environment: other variables of the parent, and the API key, do not reach commands', async () => {
    // Prepare
    const canary = { HW_CANARY_SECRET: 'canary-7f3e', NODE_OPTIONS: '--require /nonexistent.js', GITHUB_TOKEN: 'ghp_canary' };

    // Act
    t.server = await startFakeModelServer({
      reply: [{ kind: 'toolCall', name: 'Bash', input: { command: 'env' } }, { kind: 'text', text: 'done' }],
    });
    const outcome = await runClaude({
      prompt: 'Show the environment.',
      workspaceDir: t.bed.workspace,
      sandbox: 'permissive',
      model: 'haiku',
      maxTurns: 4,
      maxBudgetUsd: 1,
      timeoutMs: 30_000,
      env: t.bed.env(t.server.url, canary),
      binaryPath: CLAUDE_BIN,
      maxRetries: 0,
      allowedBashCommands: ['env'],
      bashSandbox: true,
    });

    // Assess
    const envOutput = t.server.requests.map((r) => r.rawBody).join('\n');
    expect(outcome.isError).toBe(false);
    expect(envOutput).toContain('DISABLE_AUTOUPDATER=1');
    expect(envOutput).not.toContain('canary-7f3e');
    expect(envOutput).not.toContain('ghp_canary');
    expect(envOutput).not.toContain('nonexistent.js');
    const toolResults = t.server.mainRequests().slice(1).map((r) => r.rawBody).join('\n');
    expect(toolResults).toContain('DISABLE_AUTOUPDATER=1');
    expect(toolResults).not.toContain('ANTHROPIC_API_KEY=');
  });
});
