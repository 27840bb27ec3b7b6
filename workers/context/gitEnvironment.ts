import path from 'node:path';

/**
 * The whole environment of a git process that reads a target: nothing of the
 * caller's environment but an absolute-only PATH, so no API key, cloud
 * credential, token or `GIT_*` override reaches git or anything it could
 * start. HOME is an empty folder of ours (no `~/.gitconfig`, no XDG
 * attributes or ignore file), system and global config are off, and git
 * never prompts, pages or takes optional locks.
 *
 * @example
 * execFile('git', args, { env: gitEnvironment({ home: '/tmp/hw-git-x/home', ceiling: '/work' }) });
 */
export function gitEnvironment(options: { readonly home: string; readonly ceiling: string; readonly path?: string }): NodeJS.ProcessEnv {
  return {
    PATH: absolutePath(options.path ?? process.env.PATH),
    HOME: options.home,
    LC_ALL: 'C',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_ATTR_NOSYSTEM: '1',
    GIT_TERMINAL_PROMPT: '0',
    GIT_OPTIONAL_LOCKS: '0',
    GIT_PAGER: 'cat',
    GIT_NO_REPLACE_OBJECTS: '1',
    GIT_CEILING_DIRECTORIES: options.ceiling,
  };
}

/**
 * PATH without its empty or relative entries: those resolve against the
 * working directory, where a target could plant its own `git`.
 */
function absolutePath(value: string | undefined): string {
  const entries = (value ?? '').split(path.delimiter).filter((entry) => path.isAbsolute(entry));
  return entries.length > 0 ? entries.join(path.delimiter) : '/usr/local/bin:/usr/bin:/bin';
}
