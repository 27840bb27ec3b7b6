import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, relative, resolve } from 'node:path';

/** True when `path` is `dir` or inside it. The filesystem root contains everything, so it never counts (a daemon may run from `/`). */
const isInside = (path: string, dir: string): boolean => {
  const root = resolve(dir);
  if (root === resolve('/')) return false;
  const rel = relative(root, resolve(path));
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
};

/**
 * The entries of a PATH value that the operator's installation controls: absolute
 * directories that are not inside an untrusted directory (the repository under
 * analysis, the working directory). Relative entries (`.`,
 * `node_modules/.bin`, an empty entry, which means `.`) are dropped: they resolve
 * against whatever directory a process happens to run in, often the repository.
 *
 * @example
 * trustedPathEntries('./node_modules/.bin:/repo/bin:/usr/bin', ['/repo']); // ['/usr/bin']
 */
export const trustedPathEntries = (pathVar: string | undefined, untrustedDirs: readonly string[]): string[] =>
  (pathVar ?? '')
    .split(delimiter)
    .filter((dir) => dir !== '' && isAbsolute(dir))
    .filter((dir) => !untrustedDirs.some((untrusted) => isInside(dir, untrusted)));

/** True for a regular file this process may execute. */
export const isExecutableFile = (path: string): boolean => {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/**
 * `name` in the first trusted PATH entry that holds it as an executable file (see
 * `trustedPathEntries`), or undefined.
 *
 * @example
 * findTrustedExecutable('bwrap', process.env.PATH, [repoDir]); // '/usr/bin/bwrap'
 */
export const findTrustedExecutable = (name: string, pathVar: string | undefined, untrustedDirs: readonly string[]): string | undefined =>
  trustedPathEntries(pathVar, untrustedDirs)
    .map((dir) => join(dir, name))
    .find(isExecutableFile);
