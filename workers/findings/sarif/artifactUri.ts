import path from 'node:path';

/** A URI (`file:///…`, `https://…`) or a Windows drive path (`C:\\…`): not a repository-relative path. */
const URI_OR_DRIVE = /^(?:[a-z][a-z0-9+.-]*:\/\/|[a-z]:\/)/i;

/**
 * The SARIF `artifactLocation.uri` of a repository-relative path: forward
 * slashes, `.` segments removed, each segment percent-encoded (spaces, `#`,
 * `?`, `%`, `:`, non-ASCII), so the URI resolves against `%SRCROOT%`. Null when the
 * path is not inside the repository (absolute, `../…`, a URI, empty): a model
 * can report anything, and code scanning rejects locations it cannot place.
 *
 * @example artifactUri('src\\my file#1.ts') === 'src/my%20file%231.ts'
 */
export function artifactUri(file: string): string | null {
  const slashed = file.trim().replace(/\\/g, '/');
  if (slashed === '' || slashed.startsWith('/') || URI_OR_DRIVE.test(slashed)) return null;
  const normalized = path.posix.normalize(slashed).replace(/\/+$/, '');
  if (normalized === '.' || normalized === '..' || normalized.startsWith('../')) return null;
  try {
    return normalized.split('/').map(encodeURIComponent).join('/');
  } catch {
    // A lone UTF-16 surrogate has no UTF-8 encoding.
    return null;
  }
}
