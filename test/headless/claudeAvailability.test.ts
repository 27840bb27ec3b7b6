import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkClaudeAvailability, detectCredentials } from '../../workers/headless/index.js';

const PROJECT_CLAUDE = resolve('node_modules', '.bin', 'claude');

describe('checkClaudeAvailability', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hw-availability-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('finds the pinned CLI and reports the credentials it would use', () => {
    // Act
    const check = checkClaudeAvailability({ PATH: '', ANTHROPIC_API_KEY: 'sk-ant-x' });

    // Assess
    expect(check).toEqual({ available: true, binaryPath: PROJECT_CLAUDE, credentials: 'api-key' });
  });

  it('is unavailable without credentials, and says why', () => {
    // Act
    const check = checkClaudeAvailability({ PATH: '' });

    // Assess
    expect(check.available).toBe(false);
    expect(check.credentials).toBe('none');
    expect(check.binaryPath).toBe(PROJECT_CLAUDE);
    expect(check.reason).toMatch(/ANTHROPIC_API_KEY/);
  });

  it('uses HW_CLAUDE_BIN when set, and only when it is executable', async () => {
    // Prepare
    const script = join(dir, 'claude');
    await writeFile(script, '#!/bin/sh\necho 0.0.0\n');

    // Act
    const notExecutable = checkClaudeAvailability({ HW_CLAUDE_BIN: script, CLAUDE_CODE_OAUTH_TOKEN: 't' });
    await chmod(script, 0o755);
    const executable = checkClaudeAvailability({ HW_CLAUDE_BIN: script, CLAUDE_CODE_OAUTH_TOKEN: 't' });

    // Assess
    expect(notExecutable).toMatchObject({ available: false, credentials: 'oauth' });
    expect(notExecutable.reason).toContain('HW_CLAUDE_BIN');
    expect(executable).toEqual({ available: true, binaryPath: script, credentials: 'oauth' });
  });

  it('sees a change at once: nothing is cached', async () => {
    // Prepare
    const script = join(dir, 'claude');
    const env = { HW_CLAUDE_BIN: script, ANTHROPIC_AUTH_TOKEN: 't' };

    // Act
    const before = checkClaudeAvailability(env);
    await writeFile(script, '#!/bin/sh\n', { mode: 0o755 });
    const after = checkClaudeAvailability(env);

    // Assess
    expect(before.available).toBe(false);
    expect(after.available).toBe(true);
  });

  it('is fast enough to ask before every run', () => {
    // Act
    const started = performance.now();
    for (let i = 0; i < 100; i += 1) checkClaudeAvailability({ PATH: process.env.PATH, ANTHROPIC_API_KEY: 'k' });
    const perCall = (performance.now() - started) / 100;

    // Assess
    expect(perCall).toBeLessThan(5);
  });
});

describe('detectCredentials', () => {
  it('prefers a cloud provider, then a key or token, then OAuth', () => {
    // Act / assess
    expect(detectCredentials({ CLAUDE_CODE_USE_BEDROCK: '1', ANTHROPIC_API_KEY: 'k' })).toBe('bedrock');
    expect(detectCredentials({ CLAUDE_CODE_USE_VERTEX: 'true' })).toBe('vertex');
    expect(detectCredentials({ CLAUDE_CODE_USE_BEDROCK: '0', ANTHROPIC_AUTH_TOKEN: 't' })).toBe('api-key');
    expect(detectCredentials({ CLAUDE_CODE_OAUTH_TOKEN: 'o' })).toBe('oauth');
    expect(detectCredentials({ ANTHROPIC_API_KEY: ' ' })).toBe('none');
  });
});
