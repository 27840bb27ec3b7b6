import { lstat, mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { copyGitDataFile } from './readGitDataFile.js';
import { objectFormatOf, privateGitConfig } from './privateGitConfig.js';
import { resolveGitHead } from './resolveGitHead.js';

const INDEX_MAX_BYTES = 256 * 1024 * 1024;
const SHALLOW_MAX_BYTES = 16 * 1024 * 1024;
const EXCLUDE_MAX_BYTES = 1024 * 1024;

/** A git folder of ours standing in for a target's `.git`, and the work tree it describes. */
export interface PrivateGitDir {
  /** Pass as `--git-dir`. */
  readonly gitDir: string;
  /** Pass as `--work-tree`: the target's real path. */
  readonly workTree: string;
  /** An empty folder for HOME and the working directory of git. */
  readonly home: string;
  /** Removes the private folder. */
  dispose(): Promise<void>;
}

/**
 * Builds, outside the target, a git folder through which git can read the
 * target's history and working tree without ever reading the target's own
 * config, includes, hooks or info files: our config (see privateGitConfig),
 * HEAD resolved to a commit id by reading the target's refs as data, the
 * index, `shallow` and `info/exclude` copied when they are regular files,
 * and `objects/info/alternates` naming the target's `.git/objects`. Null when
 * the target has no usable history of its own: no `.git`, a `.git` that is
 * a link or a `gitdir:` file (a worktree or submodule whose history lives
 * elsewhere, which is never followed), linked objects, or alternates of its
 * own (objects from outside the repository).
 *
 * @example
 * const shadow = await preparePrivateGitDir('/work/repo');
 * try { execFile('git', ['--git-dir', shadow.gitDir, '--work-tree', shadow.workTree, 'status']); } finally { await shadow.dispose(); }
 */
export async function preparePrivateGitDir(repoDir: string): Promise<PrivateGitDir | null> {
  const workTree = await realpath(repoDir).catch(() => null);
  if (workTree === null) return null;
  const targetGit = path.join(workTree, '.git');
  const targetObjects = path.join(targetGit, 'objects');
  const [gitIsFolder, objectsIsFolder, hasAlternates] = await Promise.all([
    isRealFolder(targetGit),
    isRealFolder(targetObjects),
    // The target's own alternates would make git read object stores anywhere on the machine.
    lstat(path.join(targetObjects, 'info', 'alternates')).then(() => true, () => false),
  ]);
  if (!gitIsFolder || !objectsIsFolder || hasAlternates) return null;

  const root = await mkdtemp(path.join(os.tmpdir(), 'hw-git-'));
  const dispose = () => rm(root, { recursive: true, force: true });
  try {
    const gitDir = path.join(root, 'git');
    const home = path.join(root, 'home');
    const [{ commit }] = await Promise.all([
      resolveGitHead(targetGit),
      mkdir(path.join(gitDir, 'objects', 'info'), { recursive: true }),
      mkdir(path.join(gitDir, 'refs'), { recursive: true }),
      mkdir(path.join(gitDir, 'info'), { recursive: true }),
      mkdir(home),
    ]);
    await Promise.all([
      writeFile(path.join(gitDir, 'config'), privateGitConfig(objectFormatOf(commit))),
      // Detached at the commit: no ref of the target is copied, so none can point anywhere else.
      writeFile(path.join(gitDir, 'HEAD'), commit === null ? 'ref: refs/heads/unborn\n' : `${commit}\n`),
      writeFile(path.join(gitDir, 'objects', 'info', 'alternates'), `${targetObjects}\n`),
      copyGitDataFile(path.join(targetGit, 'index'), path.join(gitDir, 'index'), INDEX_MAX_BYTES),
      copyGitDataFile(path.join(targetGit, 'shallow'), path.join(gitDir, 'shallow'), SHALLOW_MAX_BYTES),
      isRealFolder(path.join(targetGit, 'info')).then((real) => real && copyGitDataFile(path.join(targetGit, 'info', 'exclude'), path.join(gitDir, 'info', 'exclude'), EXCLUDE_MAX_BYTES)),
    ]);
    return { gitDir, workTree, home, dispose };
  } catch (error) {
    await dispose();
    throw error;
  }
}

async function isRealFolder(folder: string): Promise<boolean> {
  const stats = await lstat(folder).catch(() => null);
  return stats?.isDirectory() === true;
}
