import { execFileSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { gitChangedFiles } from '../../workers/context/gitChangedFiles.js';
import { workingTreeChanges } from '../../workers/context/workingTreeChanges.js';

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd, encoding: 'utf8' });
}

/** What `git status` calls changed (modified, staged, deleted, untracked and not ignored), from a repository that is not hostile. */
function statusPaths(repo: string): Set<string> {
  const out = git(repo, 'status', '--porcelain=v1', '-z', '--untracked-files=all', '--no-renames');
  return new Set(out.split('\0').filter((entry) => entry.length > 3).map((entry) => entry.slice(3)));
}

async function put(repo: string, file: string, content: string): Promise<void> {
  await mkdir(path.dirname(path.join(repo, file)), { recursive: true });
  await writeFile(path.join(repo, file), content);
}

describe('the working tree compared with HEAD without git reading it (issue 11, case 9)', () => {
  let repo: string;
  beforeEach(async () => {
    repo = await realpath(await mkdtemp(path.join(os.tmpdir(), 'hw-worktree-')));
    git(repo, 'init', '-q', '-b', 'main');
    for (const [file, content] of Object.entries({ 'src/a.ts': 'a\n', 'src/b.ts': 'b\n', 'src/c.ts': 'c\n', 'docs/d.md': 'd\n', '.gitignore': 'dist/\n*.log\n', 'empty.txt': '' })) await put(repo, file, content);
    git(repo, 'add', '.');
    git(repo, 'commit', '-q', '-m', 'first');
  });
  afterEach(async () => {
    await rm(repo, { recursive: true, force: true });
  });

  it('names the same files as git status on an ordinary repository', async () => {
    // Arrange: modified, staged, deleted, emptied, untracked (nested), ignored, and a same-size rewrite.
    await put(repo, 'src/a.ts', 'a changed\n');
    await put(repo, 'src/b.ts', 'B\n');
    git(repo, 'add', 'src/b.ts');
    await rm(path.join(repo, 'src/c.ts'));
    await put(repo, 'docs/d.md', '');
    await put(repo, 'new/deep/e.ts', 'e\n');
    await put(repo, 'dist/bundle.js', 'ignored\n');
    await put(repo, 'debug.log', 'ignored\n');

    // Act
    const changed = await workingTreeChanges(repo);

    // Assert
    expect(changed).toEqual(statusPaths(repo));
    expect(changed).toEqual(new Set(['src/a.ts', 'src/b.ts', 'src/c.ts', 'docs/d.md', 'new/deep/e.ts']));
  });

  it('leaves files of a submodule or a nested repository to that repository, as git status does', async () => {
    // Arrange: a committed gitlink (vendor/lib) and an untracked nested repository (tools/other), both with changes of their own.
    for (const nested of ['vendor/lib', 'tools/other']) {
      await put(repo, `${nested}/lib.ts`, 'lib\n');
      git(path.join(repo, nested), 'init', '-q');
      git(path.join(repo, nested), 'add', '.');
      git(path.join(repo, nested), 'commit', '-q', '-m', 'nested');
    }
    git(repo, 'add', 'vendor/lib');
    git(repo, 'commit', '-q', '-m', 'gitlink');
    await put(repo, 'vendor/lib/lib.ts', 'lib changed\n');
    await put(repo, 'vendor/lib/new.ts', 'new\n');
    await put(repo, 'src/a.ts', 'a changed\n');

    // Act
    const changed = await workingTreeChanges(repo);

    // Assert: git status names the submodule itself and the nested folder; neither is a file of this repository.
    expect(changed).toEqual(new Set(['src/a.ts']));
    expect(statusPaths(repo)).toEqual(new Set(['src/a.ts', 'vendor/lib', 'tools/other/']));
  });

  it('finishes with the right answer when .gitignore and .gitattributes files are FIFOs nobody writes to (git status would block)', async () => {
    // Arrange: FIFOs where git status opens them (the root, a tracked folder, an untracked folder).
    await put(repo, 'src/a.ts', 'a changed\n');
    await put(repo, 'loose/f.ts', 'f\n');
    await rm(path.join(repo, '.gitignore'));
    execFileSync('mkfifo', [path.join(repo, '.gitignore'), path.join(repo, '.gitattributes'), path.join(repo, 'src', '.gitignore'), path.join(repo, 'loose', '.gitignore')]);
    const base = git(repo, 'rev-parse', 'HEAD').trim();

    // Act
    const changed = await gitChangedFiles(repo, base);

    // Assert: the FIFO that replaced the tracked .gitignore is a change; the untracked FIFOs are not files.
    expect(changed).toEqual(new Set(['.gitignore', 'src/a.ts', 'loose/f.ts']));
  });

  it('counts a tracked file it cannot read as changed, so the context builder meets it and counts it', async () => {
    // Arrange
    await chmod(path.join(repo, 'src/a.ts'), 0o000);
    const readable = (() => {
      try {
        execFileSync('cat', [path.join(repo, 'src/a.ts')], { stdio: 'ignore' });
        return true;
      } catch {
        return false;
      }
    })();

    // Act
    const changed = await workingTreeChanges(repo);

    // Assert (root reads any file: then nothing changed)
    expect(changed).toEqual(readable ? new Set() : new Set(['src/a.ts']));
  });
});
