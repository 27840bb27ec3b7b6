import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { gitChangedFiles } from '../../workers/context/gitChangedFiles.js';
import { preparePrivateGitDir } from '../../workers/context/privateGitDir.js';
import { setupGit } from '../helpers/hostileGitRepo.js';

let repo: string;
beforeEach(async () => {
  repo = await mkdtemp(path.join(os.tmpdir(), 'hw-private-git-'));
  setupGit(repo, 'init', '-q');
  await writeFile(path.join(repo, 'a.ts'), 'export const a = 1;\n');
  setupGit(repo, 'add', '-A');
  setupGit(repo, 'commit', '-q', '-m', 'first');
});
afterEach(async () => {
  await rm(repo, { recursive: true, force: true });
});

describe('preparePrivateGitDir', () => {
  it('dates the index copy before the original, so git still compares the contents of files changed in the same clock tick (racy git)', async () => {
    // prepare
    const shadow = (await preparePrivateGitDir(repo))!;

    // act
    const [copy, original] = await Promise.all([stat(path.join(shadow.gitDir, 'index')), stat(path.join(repo, '.git', 'index'))]);
    await shadow.dispose();

    // assess
    expect(copy.mtimeMs).toBeLessThan(original.mtimeMs);
  });

  it('sees a same-size change written right after the commit, every time', async () => {
    // prepare
    const seen: string[][] = [];

    // act: each round commits, then rewrites the file at once, most often within the index's clock tick
    for (let round = 2; round < 7; round++) {
      setupGit(repo, 'add', '-A');
      setupGit(repo, 'commit', '-q', '--allow-empty', '-m', `round ${round}`);
      const base = setupGit(repo, 'rev-parse', 'HEAD');
      await writeFile(path.join(repo, 'a.ts'), `export const a = ${round};\n`);
      seen.push([...((await gitChangedFiles(repo, base)) ?? [])]);
    }

    // assess
    expect(seen).toEqual([['a.ts'], ['a.ts'], ['a.ts'], ['a.ts'], ['a.ts']]);
  });
});
