import { execFileSync } from 'node:child_process';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import fg from 'fast-glob';
import { afterEach, describe, expect, it } from 'vitest';
import { listRepositoryFiles } from '../../workers/files/listRepositoryFiles.js';
import { walkRepository } from '../../workers/files/walkRepository.js';
import { createTempDirs, writeTree } from '../helpers/contextFixtures.js';

const temp = createTempDirs();
afterEach(() => temp.cleanup());

const SKIPPED = ['.git', 'node_modules', 'vendor'];

/** A tree with what a walker can get wrong: links, a FIFO, skipped names as files, odd names, nested ignore files. */
async function trickyTree(): Promise<string> {
  const repo = await temp.make('hw-walk-');
  await writeTree(repo, {
    'src/app.ts': 'export {};\n',
    'src/.hidden/deep/x.ts': 'export {};\n',
    'src/node_modules/dep/index.js': 'module.exports = 1;\n',
    'node_modules': 'a file named like a skipped directory\n',
    'sub/.git': 'gitdir: ../.git/modules/sub\n',
    'sub/vendor/lib.go': 'package lib\n',
    '.git/config': '[core]\n',
    '.gitignore': '*.log\n',
    'sub/.gitignore': '!keep.log\n',
    'sub/keep.log': 'kept\n',
    'out.log': 'ignored\n',
    'docs/.gitignore/not-an-ignore-file.md': '# a directory named .gitignore\n',
    'sub/link-to-dir': { symlinkTo: '../src' },
    'sub/link-outside': { symlinkTo: '/etc/hostname' },
    'sub/linked': { symlinkTo: '.gitignore' },
  });
  await mkdir(path.join(repo, 'empty'));
  await writeFile(path.join(repo, 'src', 'new\nline.ts'), 'export {};\n');
  await writeFile(Buffer.from([...Buffer.from(`${repo}/src/`), 0xff, 0xfe, ...Buffer.from('.ts')]) as unknown as string, 'export {};\n');
  const oddDirectory = Buffer.from([...Buffer.from(`${repo}/`), 0xc3, 0x28]);
  await mkdir(oddDirectory as unknown as string);
  await writeFile(Buffer.concat([oddDirectory, Buffer.from('/inside.ts')]) as unknown as string, 'export {};\n');
  execFileSync('mkfifo', [path.join(repo, 'pipe')]);
  return repo;
}

const describeEntry = (entry: { path: string; dirent: { isFile(): boolean; isDirectory(): boolean; isSymbolicLink(): boolean } }) =>
  `${entry.path} ${entry.dirent.isSymbolicLink() ? 'link' : entry.dirent.isDirectory() ? 'dir' : entry.dirent.isFile() ? 'file' : 'other'}`;

describe('walkRepository', () => {
  it('lists the same entries as fast-glob with the options the listing used', async () => {
    // Prepare
    const repo = await trickyTree();

    // Act
    const { entries: walked, skipped } = await walkRepository(repo, new Set(SKIPPED));
    const globbed = await fg(['**/*'], {
      cwd: repo,
      dot: true,
      onlyFiles: false,
      followSymbolicLinks: false,
      objectMode: true,
      stats: false,
      ignore: SKIPPED.map((dir) => `**/${dir}/**`),
      suppressErrors: true,
    });

    // Assess
    expect(walked.map(describeEntry).sort()).toEqual(globbed.map(describeEntry).sort());
    expect(walked.map(describeEntry)).toContain('pipe other');
    expect(walked.map((entry) => entry.path)).not.toContain('sub/.git');
    // A directory whose name is not UTF-8 cannot be opened by its decoded name: reported, not lost.
    expect(skipped).toEqual([{ path: '\uFFFD(', reason: 'unreadable' }]);
  });

  it('gives listRepositoryFiles the listing its fast-glob path gives for every file', async () => {
    // Prepare
    const repo = await trickyTree();

    // Act
    const walked = await listRepositoryFiles(repo);
    const globbed = await listRepositoryFiles(repo, { patterns: ['**/*'] });

    // Assess
    expect(walked).toEqual(globbed);
    expect(walked.skipped).toContainEqual({ path: 'out.log', reason: 'gitignored' });
    expect(walked.files.map((file) => file.path)).toContain('sub/keep.log');
  });

  it('lists nothing for a missing root, as fast-glob does', async () => {
    // Prepare
    const repo = await temp.make('hw-walk-');

    // Act
    const missing = await walkRepository(path.join(repo, 'missing'), new Set(SKIPPED));

    // Assess
    expect(missing).toEqual({ entries: [], skipped: [], leftOut: [] });
  });

  it('reports directories beyond the depth limit and directories it cannot read, instead of dropping them', async () => {
    // Prepare: a tree 6 levels deep walked with a limit of 3, and a directory nobody may list.
    const repo = await temp.make('hw-walk-');
    await writeTree(repo, { 'a/b/c/d/e/f/deep.ts': 'export {};\n', 'a/shallow.ts': 'export {};\n', 'locked/secret.ts': 'export {};\n' });
    await chmod(path.join(repo, 'locked'), 0o000);

    // Act
    const walk = await walkRepository(repo, new Set(SKIPPED), 3);
    await chmod(path.join(repo, 'locked'), 0o755);

    // Assess
    expect(walk.entries.map((entry) => entry.path)).toContain('a/shallow.ts');
    expect(walk.entries.map((entry) => entry.path)).not.toContain('a/b/c/d/e/f/deep.ts');
    expect(walk.skipped).toContainEqual({ path: 'a/b/c', reason: 'too-deep' });
    // Root reads every directory whatever its mode; the unprivileged user is refused.
    if (process.getuid?.() !== 0) expect(walk.skipped).toContainEqual({ path: 'locked', reason: 'unreadable' });
  });

  it('gives listRepositoryFiles the skipped directories and FIFOs with their reason', async () => {
    // Prepare
    const repo = await temp.make('hw-walk-');
    await writeTree(repo, { 'a/b/c/d.ts': 'export {};\n', 'ignored/x/y/z.ts': 'export {};\n', '.gitignore': 'ignored/\n' });
    execFileSync('mkfifo', [path.join(repo, 'pipe.ts')]);

    // Act
    const listing = await listRepositoryFiles(repo);
    const walk = await walkRepository(repo, new Set(SKIPPED), 2);

    // Assess
    expect(listing.skipped).toContainEqual({ path: 'pipe.ts', reason: 'not-a-regular-file' });
    expect(walk.skipped).toEqual(expect.arrayContaining([{ path: 'a/b', reason: 'too-deep' }, { path: 'ignored/x', reason: 'too-deep' }]));
  });
});
