import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readGitHead, readGitRecency } from '../../workers/context/index.js';
import { commitAll, createTempDirs, git, writeTree } from '../helpers/contextFixtures.js';

const temp = createTempDirs();
afterEach(temp.cleanup);

describe('readGitRecency', () => {
  it('maps each file to the time of the last commit that touched it, odd names included', async () => {
    // prepare
    const dir = await temp.make();
    await writeTree(dir, { 'a.ts': '1\n', 'dir with space/é.ts': '1\n', '1700000000': 'digits\n' });
    git(dir, ['init', '-q']);
    commitAll(dir, 'one', 1_600_000_000);
    await writeTree(dir, { 'a.ts': '2\n' });
    commitAll(dir, 'two', 1_700_000_500);
    commitAll(dir, 'empty', 1_700_000_900);
    // act
    const recency = await readGitRecency(dir);
    // assess
    expect(Object.fromEntries(recency)).toEqual({ 'a.ts': 1_700_000_500, 'dir with space/é.ts': 1_600_000_000, '1700000000': 1_600_000_000 });
  });

  it('reads only the last maxCommits commits', async () => {
    // prepare
    const dir = await temp.make();
    await writeTree(dir, { 'old.ts': '1\n' });
    git(dir, ['init', '-q']);
    commitAll(dir, 'old', 1_600_000_000);
    await writeTree(dir, { 'new.ts': '1\n' });
    commitAll(dir, 'new', 1_600_000_100);
    // act
    const recency = await readGitRecency(dir, { maxCommits: 1 });
    // assess
    expect([...recency.keys()]).toEqual(['new.ts']);
  });

  it('returns an empty map outside git, in a broken .git, before the first commit, and in a subdirectory of a repository', async () => {
    // prepare
    const plain = await temp.make();
    const broken = await temp.make();
    await writeFile(path.join(broken, '.git'), 'gitdir: /nowhere\n');
    const fresh = await temp.make();
    git(fresh, ['init', '-q']);
    const parent = await temp.make();
    await writeTree(parent, { 'sub/a.ts': '1\n' });
    git(parent, ['init', '-q']);
    commitAll(parent, 'one', 1_600_000_000);
    await mkdir(path.join(parent, 'sub', 'inner'));
    // act
    const results = await Promise.all([plain, broken, fresh, path.join(parent, 'sub')].map((dir) => readGitRecency(dir)));
    // assess
    for (const recency of results) expect(recency.size).toBe(0);
    expect(await readGitHead(fresh)).toBeNull();
    expect(await readGitHead(parent)).toMatch(/^[0-9a-f]{40}$/);
  });
});
