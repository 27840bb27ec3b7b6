import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { checkGitSource } from './gitSource.js';
import { runGitProcess, SAFE_GIT_CONFIG, type GitAccess } from './gitProcess.js';

export interface CloneOptions extends GitAccess {
  readonly url: string;
  readonly branch: string;
  readonly destination: string;
}

/**
 * A shallow, single-branch clone of a target into the scratch volume. The URL
 * and branch are checked first (see `checkGitSource`); git runs with only the
 * allowed transports (`GIT_ALLOW_PROTOCOL`, which submodules obey too), no
 * system or global config, no hooks, no prompts, and symbolic links checked
 * out as plain files so none can point outside the workspace. The token goes
 * in an HTTP header through `GIT_CONFIG_*` variables: it is in neither the
 * command line nor the clone's config, and is masked in error messages
 * (see gitProcess.ts). An incremental scan deepens the clone later, up to the
 * base commit it needs (see deepenToCommit.ts).
 *
 * @example
 * await cloneRepository({ url: 'https://github.com/acme/api.git', branch: 'main', destination: dir, allowedProtocols: ['https'] });
 */
export async function cloneRepository(options: CloneOptions): Promise<void> {
  checkGitSource(options.url, options.branch, options.allowedProtocols);
  await mkdir(path.dirname(options.destination), { recursive: true });
  const args = [
    ...SAFE_GIT_CONFIG,
    'clone', '--depth=1', '--single-branch', '--no-tags', '--no-recurse-submodules',
    `--branch=${options.branch}`,
    '--', options.url, options.destination,
  ];
  await runGitProcess(args, {
    home: path.dirname(options.destination),
    access: options,
    failure: `git clone of ${options.url} (branch ${options.branch}) failed`,
  });
}
