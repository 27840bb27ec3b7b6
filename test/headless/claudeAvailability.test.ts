import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkClaudeAvailability, detectCredentials, resolveClaudeBinary } from '../../workers/headless/index.js';

/** The product's own dependency, as package.json pins it. */
const PROJECT_CLAUDE = resolve('node_modules', '@anthropic-ai', 'claude-code', 'bin', 'claude.exe');

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

  it('refuses a relative HW_CLAUDE_BIN: it would resolve inside the repository', () => {
    // Act
    const check = resolveClaudeBinary({ HW_CLAUDE_BIN: 'node_modules/.bin/claude' });

    // Assess
    expect(check.path).toBeUndefined();
    expect(check.reason).toMatch(/HW_CLAUDE_BIN=node_modules\/\.bin\/claude must be an absolute path/);
  });

  it('without its own dependency, looks on PATH only outside the working directory and the repository, never in node_modules/.bin', async () => {
    // Prepare: a planted claude in the repository's node_modules/.bin, in a repository PATH entry, in a relative entry, and one operator-installed claude
    const repo = join(dir, 'repo');
    const operatorBin = join(dir, 'operator-bin');
    for (const bin of [join(repo, 'node_modules', '.bin'), join(repo, 'tools'), operatorBin]) {
      await mkdir(bin, { recursive: true });
      await writeFile(join(bin, 'claude'), '#!/bin/sh\n', { mode: 0o755 });
    }
    const noOwnDependency = (): undefined => undefined;
    const path = ['node_modules/.bin', join(repo, 'tools'), '', operatorBin].join(':');

    // Act
    const found = resolveClaudeBinary({ PATH: path }, { cwd: repo, ownBinary: noOwnDependency });
    const repoNotCwd = resolveClaudeBinary({ PATH: [join(repo, 'tools'), operatorBin].join(':') }, { cwd: '/', untrustedDirs: [repo], ownBinary: noOwnDependency });
    const nothingTrusted = resolveClaudeBinary({ PATH: ['node_modules/.bin', join(repo, 'tools')].join(':') }, { cwd: repo, ownBinary: noOwnDependency });

    // Assess
    expect(found.path).toBe(join(operatorBin, 'claude'));
    expect(repoNotCwd.path).toBe(join(operatorBin, 'claude'));
    expect(nothingTrusted.path).toBeUndefined();
    expect(nothingTrusted.reason).toMatch(/reinstall headless-workers or set HW_CLAUDE_BIN/);
  });

  it('prefers its own dependency to any claude on PATH', async () => {
    // Prepare
    await writeFile(join(dir, 'claude'), '#!/bin/sh\n', { mode: 0o755 });

    // Act
    const check = resolveClaudeBinary({ PATH: dir }, { cwd: '/' });

    // Assess
    expect(check.path).toBe(PROJECT_CLAUDE);
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
