import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cliProcess.js';

/* `coverage` through the real CLI process: bad input is a worded error (exit 2); a fresh repository is all backlog. */
describe('headless-workers coverage', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'hw-coverage-'));
    await writeFile(path.join(root, 'app.js'), 'export const one = 1;\n');
    await writeFile(path.join(root, 'big.js'), `${'x'.repeat(3_000_000)}\n`);
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });
  const cli = (...args: string[]) => runCli(['coverage', '--repo', root, '--state-dir', path.join(root, '.state'), ...args], { timeoutMs: 60_000 });

  it('names the field and the fix for an unknown or local worker (exit 2), never a stack trace', async () => {
    const unknown = await cli('--worker', 'nosuch');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/--worker: no worker named nosuch/);
    const local = await cli('--worker', 'map');
    expect(local.code).toBe(2);
    expect(local.stderr).toMatch(/--worker: map is a local worker .* e\.g\. --worker audit/);
    expect(`${unknown.stderr}${local.stderr}`).not.toMatch(/\n\s+at /);
  });

  it('before any run: nothing reviewed, every relevant file due for budget, a too-large file never sendable', async () => {
    const text = await cli();
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/reviewed: 0\/1 relevant files \(0\.0%\)/);
    expect(text.stdout).toMatch(/never shown: 2 \(budget 1, too-large 1\)/);
    expect(text.stdout).toMatch(/cost unknown \(no stored headless run with a cost\)/);
    const json = JSON.parse((await cli('--json')).stdout);
    expect(json).toMatchObject({ worker: 'audit', relevant: { files: 1 }, reviewed: { files: 0 }, nextSlice: { paths: ['app.js'] }, estimate: { runsToFullCoverage: 1, meanRunCostUsd: null } });
  });
});
