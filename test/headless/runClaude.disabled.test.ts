import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DisabledSandboxError, runClaude, type RunClaudeOptions } from '../../workers/headless/index.js';
import { CLAUDE_BIN, createClaudeTestBed, type ClaudeTestBed } from '../fake-model/claudeTestBed.js';
import { startFakeModelServer, type FakeModelServer } from '../fake-model/index.js';

describe("runClaude with the 'disabled' profile", () => {
  let bed: ClaudeTestBed;
  let server: FakeModelServer;

  beforeEach(async () => {
    bed = await createClaudeTestBed();
    server = await startFakeModelServer({
      reply: [{ kind: 'toolCall', name: 'Bash', input: { command: 'touch marker' } }, { kind: 'text', text: 'done' }],
    });
  });
  afterEach(async () => {
    await server.close();
    await bed.cleanup();
  });

  const options = (): RunClaudeOptions => ({
    prompt: 'Do anything.',
    workspaceDir: bed.workspace,
    sandbox: 'disabled',
    model: 'haiku',
    maxTurns: 4,
    maxBudgetUsd: 1,
    timeoutMs: 30_000,
    env: bed.env(server.url),
    binaryPath: CLAUDE_BIN,
    maxRetries: 0,
  });

  it('refuses to start without the explicit opt-in', async () => {
    // Act / assess
    await expect(runClaude(options())).rejects.toBeInstanceOf(DisabledSandboxError);
    expect(server.requests).toHaveLength(0);
  });

  it('with the opt-in: the CLI refuses bypass mode as root, and bypasses permissions otherwise', async () => {
    // Act
    const outcome = await runClaude({ ...options(), allowDisabledSandbox: true });

    // Assess
    if (process.getuid?.() === 0) {
      expect(outcome.exitCode).toBe(1);
      expect(outcome.isError).toBe(true);
      expect(outcome.stderrTail).toContain('cannot be used with root/sudo privileges');
      expect(server.requests).toHaveLength(0);
      expect(existsSync(join(bed.workspace, 'marker'))).toBe(false);
    } else {
      expect(outcome.isError).toBe(false);
      expect(outcome.violations).toEqual([]);
      expect(existsSync(join(bed.workspace, 'marker'))).toBe(true);
    }
  });
});
