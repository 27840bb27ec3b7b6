import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  buildContext,
  buildFileIndex,
  checkFileIndexFreshness,
  fileIndexPath,
  loadFileIndex,
  saveFileIndex,
  warmFileIndex,
} from '../../workers/context/index.js';
import { commitAll, createTempDirs, git, numberedLines, writeTree } from '../helpers/contextFixtures.js';

const temp = createTempDirs();
afterEach(temp.cleanup);

async function committedRepo(): Promise<string> {
  const dir = await temp.make();
  await writeTree(dir, {
    'src/a.ts': numberedLines(5),
    'src/b.ts': numberedLines(5),
    'README.md': '# readme\n',
    'dist/out.min.js': 'generated\n',
  });
  git(dir, ['init', '-q']);
  commitAll(dir, 'one', 1_600_000_000);
  await writeTree(dir, { 'src/b.ts': numberedLines(6) });
  commitAll(dir, 'two', 1_600_000_100);
  return dir;
}

describe('file index', () => {
  it('round-trips through its JSON file', async () => {
    // prepare
    const dir = await committedRepo();
    const stateDir = await temp.make('hw-state-');
    const index = await buildFileIndex(dir, { patterns: ['**/*'] });
    const file = fileIndexPath(stateDir, dir, ['**/*']);
    // act
    await saveFileIndex(index, file);
    const loaded = await loadFileIndex(file);
    // assess
    expect(loaded).toEqual(index);
    expect(index.head).toMatch(/^[0-9a-f]{40}$/);
    expect(index.recency).toEqual({ 'README.md': 1_600_000_000, 'src/a.ts': 1_600_000_000, 'src/b.ts': 1_600_000_100 });
    expect(index.skipped).toEqual([{ path: 'dist/out.min.js', reason: 'generated' }]);
  });

  it('treats a missing or corrupt index file as a cache miss', async () => {
    // prepare
    const stateDir = await temp.make('hw-state-');
    const corrupt = path.join(stateDir, 'corrupt.json');
    await writeFile(corrupt, '{"version": 1, "files": [');
    // act / assess
    expect(await loadFileIndex(path.join(stateDir, 'missing.json'))).toBeNull();
    expect(await loadFileIndex(corrupt)).toBeNull();
  });

  it('stays fresh until a new commit, then a warm rebuilds and saves it', async () => {
    // prepare
    const dir = await committedRepo();
    const stateDir = await temp.make('hw-state-');
    const first = await warmFileIndex({ repoDir: dir, patterns: ['**/*'], stateDir });
    const again = await warmFileIndex({ repoDir: dir, patterns: ['**/*'], stateDir });
    await writeTree(dir, { 'src/c.ts': 'export const c = 1;\n' });
    commitAll(dir, 'three', 1_600_000_200);
    // act
    const freshness = await checkFileIndexFreshness(first.index);
    const rebuilt = await warmFileIndex({ repoDir: dir, patterns: ['**/*'], stateDir });
    // assess
    expect(first.rebuilt).toBe(true);
    expect(again.rebuilt).toBe(false);
    expect(freshness.fresh).toBe(false);
    expect(freshness.fresh ? '' : freshness.reason).toMatch(/HEAD moved/);
    expect(rebuilt.rebuilt).toBe(true);
    expect(rebuilt.index.recency['src/c.ts']).toBe(1_600_000_200);
    expect(await loadFileIndex(rebuilt.filePath)).toEqual(rebuilt.index);
  });

  it('goes stale when a file changes without a commit', async () => {
    // prepare
    const dir = await committedRepo();
    const index = await buildFileIndex(dir, { patterns: ['src/**'] });
    await writeFile(path.join(dir, 'src/new.ts'), 'export {};\n');
    // act
    const freshness = await checkFileIndexFreshness(index);
    // assess
    expect(freshness.fresh).toBe(false);
  });

  it('lets buildContext skip the walk with the same result, and is ignored for other patterns', async () => {
    // prepare
    const dir = await committedRepo();
    const index = await buildFileIndex(dir, { patterns: ['**/*'] });
    const options = { repoDir: dir, budgetChars: 400, ranking: 'recent-first' as const };
    // act
    const walked = await buildContext({ ...options, patterns: ['**/*'] });
    const indexed = await buildContext({ ...options, patterns: ['**/*'], index });
    const otherPatterns = await buildContext({ ...options, patterns: ['src/**'], index });
    // assess
    expect(indexed).toEqual(walked);
    expect(walked.files[0]?.path).toBe('src/b.ts');
    expect(otherPatterns.fileList).toEqual(['src/a.ts', 'src/b.ts']);
  });

  it('keeps one index file per repository and pattern set, whatever the pattern order', () => {
    // act / assess
    expect(fileIndexPath('/state', '/repo', ['a/**', 'b/**'])).toBe(fileIndexPath('/state', '/repo', ['b/**', 'a/**']));
    expect(fileIndexPath('/state', '/repo', ['a/**'])).not.toBe(fileIndexPath('/state', '/repo', ['b/**']));
    expect(fileIndexPath('/state', '/repo', ['a/**'])).not.toBe(fileIndexPath('/state', '/other', ['a/**']));
  });
});
