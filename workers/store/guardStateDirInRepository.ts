import { lstat, realpath } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '../errors.js';
import { walkRepository } from '../files/walkRepository.js';

/** True when `child` is `parent` or lies under it, by path letters. */
function isUnder(child: string, parent: string): boolean {
  const relative = path.relative(parent, child);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/** The real path of `dir`, or of its deepest existing ancestor with the rest appended. */
async function realpathOfNearest(dir: string): Promise<string> {
  const missing: string[] = [];
  let current = dir;
  for (;;) {
    try {
      return path.join(await realpath(current), ...missing.reverse());
    } catch {
      const parent = path.dirname(current);
      if (parent === current) return dir;
      missing.push(path.basename(current));
      current = parent;
    }
  }
}

function refuse(stateDir: string, what: string): never {
  throw new InputError(
    `state folder ${stateDir} is inside the repository and ${what}; a repository may plant links there to make the run read or write elsewhere. ` +
      'Remove it, or pass --state-dir DIR outside the repository (the default, under ~/.local/state/headless-workers, needs no flag)',
  );
}

/**
 * Makes a state folder the operator put inside the repository (`--state-dir
 * <repo>/.headless-workers`) safe to use, or refuses it with an InputError
 * naming the fix: every existing folder from the repository root down to it
 * must be a real directory (no symbolic link, so nothing written there lands
 * outside), and everything already inside it must be a regular file or a
 * directory (no link, FIFO, socket or device, nothing unreadable or too deep).
 * A folder outside the repository is the operator's own and is left alone.
 * Returns whether the folder is inside the repository.
 *
 * @example await guardStateDirInRepository('/work/api', '/work/api/.headless-workers') // true, or throws
 */
export async function guardStateDirInRepository(realRepoDir: string, repoDir: string, stateDir: string): Promise<boolean> {
  const lexicalBase = [realRepoDir, path.resolve(repoDir)].find((root) => isUnder(stateDir, root));
  if (lexicalBase !== undefined) {
    // Component by component: a link anywhere on the way would be followed by mkdir and every write.
    let current = lexicalBase;
    for (const segment of path.relative(lexicalBase, stateDir).split(path.sep).filter(Boolean)) {
      current = path.join(current, segment);
      const stats = await lstat(current).catch(() => null);
      if (!stats) break;
      if (stats.isSymbolicLink()) refuse(stateDir, `${current} is a symbolic link`);
      if (!stats.isDirectory()) refuse(stateDir, `${current} is not a directory`);
    }
  }
  const inside = lexicalBase !== undefined || isUnder(await realpathOfNearest(stateDir), realRepoDir);
  if (!inside) return false;
  const { entries, skipped } = await walkRepository(stateDir, new Set());
  for (const entry of entries) {
    if (entry.dirent.isSymbolicLink()) refuse(stateDir, `holds a symbolic link, ${entry.path}`);
    if (!entry.dirent.isFile() && !entry.dirent.isDirectory()) refuse(stateDir, `holds ${entry.path}, which is not a regular file`);
  }
  const [first] = skipped;
  if (first) refuse(stateDir, `holds ${first.path}, which cannot be read (${first.reason})`);
  return true;
}
