import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';

/** The environment variable naming the folder under which each repository's state folder is made. */
export const STATE_ROOT_ENV = 'HW_STATE_DIR';

/**
 * The folder under which the per-repository state folders live:
 * `$HW_STATE_DIR` when set, else `$XDG_STATE_HOME/headless-workers`, else
 * `~/.local/state/headless-workers` (the XDG default). Relative values are
 * ignored, as the XDG specification asks.
 *
 * @example stateRoot({ HOME: '/home/ana' }) === '/home/ana/.local/state/headless-workers'
 */
export function stateRoot(env: NodeJS.ProcessEnv = process.env): string {
  const explicit = env[STATE_ROOT_ENV];
  if (explicit && path.isAbsolute(explicit)) return path.resolve(explicit);
  const xdg = env.XDG_STATE_HOME;
  if (xdg && path.isAbsolute(xdg)) return path.join(xdg, 'headless-workers');
  const home = env.HOME && path.isAbsolute(env.HOME) ? env.HOME : os.homedir();
  return path.join(home, '.local', 'state', 'headless-workers');
}

/**
 * The state folder of one repository when the operator names none: under
 * `stateRoot()`, keyed by the repository's real path, `<name>-<16 hex of
 * sha256(realpath)>`, so two checkouts never share state and nothing of this
 * product's state is ever read from, or written into, the repository itself.
 * `realRepoDir` must already be resolved (`fs.realpath`).
 *
 * @example defaultStateDir('/work/api', { HOME: '/home/ana' }) // '/home/ana/.local/state/headless-workers/api-3f2a9c…'
 */
export function defaultStateDir(realRepoDir: string, env: NodeJS.ProcessEnv = process.env): string {
  const digest = createHash('sha256').update(realRepoDir).digest('hex').slice(0, 16);
  // The name only helps a person find the folder; the digest makes it unique. Keep it to safe characters.
  const name = path.basename(realRepoDir).replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_').slice(0, 64) || 'repository';
  return path.join(stateRoot(env), `${name}-${digest}`);
}
