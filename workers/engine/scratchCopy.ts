import { cp, lstat, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { stripUntrustedGit } from '../context/stripUntrustedGit.js';
import { VENDORED_DIRS } from '../files/index.js';

const NOT_COPIED = new Set<string>(VENDORED_DIRS);

/**
 * Copies a repository into a throw-away directory so a permissive run may edit
 * files without touching the user's checkout. Symbolic links are left out: a
 * link in the copy could point back outside it and turn an edit inside the
 * workspace into one outside. The copy's `.git` loses its config, hooks and
 * links (see stripUntrustedGit), so a git command the model may run there
 * meets none of the repository's drivers or hooks.
 */
export async function makeScratchCopy(repoDir: string, runId: string): Promise<{ dir: string; dispose: () => Promise<void> }> {
  // No '~' (a cloud run id's target separator) in the path: Claude Code reads it as the home directory.
  const dir = await mkdtemp(path.join(os.tmpdir(), `hw-scratch-${runId.replace(/[^A-Za-z0-9_-]/g, '_')}-`));
  const root = path.resolve(repoDir);
  await cp(root, dir, {
    recursive: true,
    errorOnExist: false,
    verbatimSymlinks: true,
    filter: async (source) => {
      if (source === root) return true;
      if (NOT_COPIED.has(path.basename(source))) return false;
      const stats = await lstat(source).catch(() => null);
      return stats !== null && !stats.isSymbolicLink() && (stats.isFile() || stats.isDirectory());
    },
  });
  await stripUntrustedGit(dir);
  return { dir, dispose: () => rm(dir, { recursive: true, force: true }) };
}
