/**
 * The only git config a target's repository is ever read with: written by
 * this product, never taken from the target. It defines no filter, diff or
 * merge driver, pager, hook path, fsmonitor, alias, include or remote, so
 * whatever a target's `.gitattributes` names has nothing to run; submodules
 * are ignored (git would otherwise start a git inside each one, which reads
 * that submodule's own config); the untracked cache a target's index may
 * carry is not trusted. `objectFormat` follows the target's commit ids.
 *
 * @example await writeFile(path.join(gitDir, 'config'), privateGitConfig('sha1'));
 */
export function privateGitConfig(objectFormat: 'sha1' | 'sha256'): string {
  return [
    '[core]',
    `\trepositoryformatversion = ${objectFormat === 'sha256' ? 1 : 0}`,
    '\tbare = false',
    '\tfsmonitor = false',
    '\tuntrackedCache = false',
    '\thooksPath = /dev/null',
    '\tquotePath = false',
    '[diff]',
    '\tignoreSubmodules = all',
    '[submodule]',
    '\trecurse = false',
    '[protocol]',
    '\tallow = never',
    '[log]',
    '\tshowSignature = false',
    ...(objectFormat === 'sha256' ? ['[extensions]', '\tobjectformat = sha256'] : []),
    '',
  ].join('\n');
}

/** The object format of a repository whose commit ids look like `commit` (SHA-1 by default). */
export function objectFormatOf(commit: string | null): 'sha1' | 'sha256' {
  return commit?.length === 64 ? 'sha256' : 'sha1';
}
