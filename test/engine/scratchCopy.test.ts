import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeScratchCopy } from '../../workers/engine/scratchCopy.js';

describe('makeScratchCopy', () => {
  it("gives a permissive run a copy whose .git has none of the repository's config, hooks or info", async () => {
    // prepare: a checkout whose config names a filter driver and whose hooks run commands
    const repo = await mkdtemp(path.join(os.tmpdir(), 'hw-scratch-src-'));
    const git = (...args: string[]) => execFileSync('git', ['-C', repo, '-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: repo } });
    git('init', '-q');
    await writeFile(path.join(repo, 'a.ts'), 'export const a = 1;\n');
    git('add', '.');
    git('commit', '-qm', 'one');
    git('config', 'filter.x.clean', 'touch /tmp/hw-pwned-by-filter');
    await writeFile(path.join(repo, '.git', 'hooks', 'post-checkout'), '#!/bin/sh\ntouch /tmp/hw-pwned-by-hook\n', { mode: 0o755 });
    await writeFile(path.join(repo, '.git', 'info', 'exclude'), 'secret-dir/\n');

    // act
    const copy = await makeScratchCopy(repo, 'run-1');

    // assess
    try {
      expect(await readFile(path.join(copy.dir, 'a.ts'), 'utf8')).toBe('export const a = 1;\n');
      expect(await readFile(path.join(copy.dir, '.git', 'config'), 'utf8')).not.toContain('filter');
      expect(existsSync(path.join(copy.dir, '.git', 'hooks'))).toBe(false);
      expect(existsSync(path.join(copy.dir, '.git', 'info'))).toBe(false);
      expect(await readFile(path.join(repo, '.git', 'config'), 'utf8')).toContain('[filter "x"]');
    } finally {
      await copy.dispose();
      await rm(repo, { recursive: true, force: true });
    }
  });
});
