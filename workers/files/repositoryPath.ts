import { realpathSync } from 'node:fs';
import path from 'node:path';

/**
 * True when `relativePath` names something under a repository root by its
 * letters alone: relative, forward slashes, no `.` or `..` segment, no empty
 * segment, no NUL. A path read back from stored state (a file index) must
 * pass this before it is joined to the root: `path.join(root, '../x')` leaves it.
 *
 * @example isRepositoryRelativePath('src/a.ts') === true; isRepositoryRelativePath('../sibling/creds.txt') === false
 */
export function isRepositoryRelativePath(relativePath: string): boolean {
  if (relativePath.length === 0 || relativePath.includes('\0') || relativePath.startsWith('/')) return false;
  return relativePath.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}

/**
 * Where a repository-relative path really leads: `inside` when its real path
 * (every link resolved) is under the repository's real root, `outside` when a
 * linked directory on the way leads elsewhere, `missing` when it cannot be
 * resolved. Synchronous: called for the few dozen files a context reads.
 *
 * @example resolveInsideRepository(realpathSync('/work/repo'), 'src/link/creds.txt') // 'outside' if src/link -> ../sibling
 */
export function resolveInsideRepository(realRoot: string, relativePath: string): 'inside' | 'outside' | 'missing' {
  if (!isRepositoryRelativePath(relativePath)) return 'outside';
  let real: string;
  try {
    real = realpathSync.native(path.join(realRoot, relativePath));
  } catch {
    return 'missing';
  }
  return real.startsWith(realRoot.endsWith(path.sep) ? realRoot : `${realRoot}${path.sep}`) ? 'inside' : 'outside';
}
