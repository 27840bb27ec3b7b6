import { WorkspaceError } from './errors.js';

/** Transports a clone may use unless the deployment allows more (tests add `file`). */
export const DEFAULT_GIT_PROTOCOLS = ['https'] as const;

/**
 * Checks a target's git URL and branch before they reach git: only the
 * allowed transports (https by default), no `ext::`/`fd::` remote helpers,
 * nothing git could read as an option (`--upload-pack=...`), no credentials
 * inside the URL (they would end up in logs: use a token secret), and a
 * branch name git itself would accept, without `..`, a leading `-` or spaces.
 *
 * @example
 * checkGitSource('https://github.com/acme/api.git', 'main', ['https']);
 */
export function checkGitSource(url: string, branch: string, allowedProtocols: readonly string[]): void {
  if (url.startsWith('-')) throw new WorkspaceError(`git URL refused: "${url}" starts with "-" and would be read as an option`);
  if (/^[A-Za-z][A-Za-z0-9+.-]*::/.test(url)) throw new WorkspaceError(`git URL refused: "${url.split('::')[0]}::" remote helpers run commands; use an https URL`);
  if (/[\s\0-\x1f\x7f]/.test(url)) throw new WorkspaceError('git URL refused: it contains spaces or control characters');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new WorkspaceError(`git URL refused: "${url}" is not a URL; use https://host/owner/repo.git`);
  }
  const protocol = parsed.protocol.replace(/:$/, '');
  if (!allowedProtocols.includes(protocol)) {
    throw new WorkspaceError(`git URL refused: protocol "${protocol}" is not allowed (allowed: ${allowedProtocols.join(', ')})`);
  }
  if (parsed.username || parsed.password) throw new WorkspaceError('git URL refused: it holds credentials; put the token in Secrets Manager and name it in "tokenSecretArn"');
  if (protocol !== 'file' && !parsed.hostname) throw new WorkspaceError(`git URL refused: "${url}" has no host`);
  checkBranch(branch);
}

/** A branch name git accepts and that cannot be mistaken for an option. */
export function checkBranch(branch: string): void {
  const problems = [
    branch.length === 0 && 'is empty',
    branch.length > 200 && 'is longer than 200 characters',
    branch.startsWith('-') && 'starts with "-" and would be read as an option',
    branch.includes('..') && 'contains ".."',
    !/^[A-Za-z0-9._/+@-]+$/.test(branch) && 'may hold only letters, digits and . _ / + @ -',
    (branch.startsWith('/') || branch.endsWith('/') || branch.includes('//')) && 'has an empty path segment',
    (branch.endsWith('.lock') || branch.endsWith('.')) && 'ends with ".lock" or "."',
    branch.includes('@{') && 'contains "@{"',
  ].filter(Boolean);
  if (problems.length > 0) throw new WorkspaceError(`git branch refused: "${branch}" ${problems.join(', ')}`);
}
