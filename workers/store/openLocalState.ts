import { lstat, mkdir, realpath, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { assertRepository } from '../files/assertRepository.js';
import { LocalFindingStore } from '../findings/LocalFindingStore.js';
import { defaultStateDir } from './defaultStateDir.js';
import { guardStateDirInRepository } from './guardStateDirInRepository.js';
import { LOCAL_STATE_DIR_NAME, LocalResultStore } from './LocalResultStore.js';

/** Marks, in the new state folder, that the user was told where the old in-repository state went. */
const LEGACY_NOTICE_MARK = '.moved-from-repository-notice';

export interface OpenLocalStateOptions {
  /** Where a one-time notice goes (the old in-repository folder was found); default stderr. */
  readonly notify?: (line: string) => void;
  /** The environment the default folder is computed from; default `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
}

/** The opened state of one repository: where it lives and the stores over it. */
export interface LocalState {
  readonly stateDir: string;
  /** True when the operator put the folder inside the repository (it was checked for links first). */
  readonly insideRepository: boolean;
  readonly store: LocalResultStore;
  readonly findingStore: LocalFindingStore;
}

/**
 * Opens the embedded default's state folder (results, findings, spend ledger,
 * file index, daemon files). By default it lives outside the repository, in a
 * per-user folder keyed by the repository's real path (`defaultStateDir`), so
 * nothing of it is ever read from the repository under analysis: a planted
 * `.headless-workers/` is just the repository's content. An operator's
 * `stateDir` wins; inside the repository it is refused if links or special
 * files are in it or on the way to it, and gets a `.gitignore` of `*`.
 * Finding an old `<repo>/.headless-workers/` while using the default prints,
 * once, where state lives now and how to keep the old place.
 *
 * @example const { stateDir, store } = await openLocalState('/work/api');
 */
export async function openLocalState(repoDir: string, stateDir?: string, options: OpenLocalStateOptions = {}): Promise<LocalState> {
  // Checked first: creating the state folder would otherwise create a mistyped repository path.
  await assertRepository(repoDir);
  const realRepoDir = await realpath(repoDir);
  const dir = stateDir ? path.resolve(stateDir) : defaultStateDir(realRepoDir, options.env);
  const insideRepository = await guardStateDirInRepository(realRepoDir, repoDir, dir);
  // Private by default: results hold model answers and findings about the repository.
  await mkdir(dir, { recursive: true, mode: 0o700 });
  if (insideRepository) {
    // 'wx' never opens an existing name, link or not: the guard refused links already, this refuses a race.
    await writeFile(path.join(dir, '.gitignore'), '*\n', { flag: 'wx' }).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
  }
  if (!stateDir) await noticeLegacyState(realRepoDir, dir, options.notify ?? ((line) => process.stderr.write(`${line}\n`)));
  return { stateDir: dir, insideRepository, store: new LocalResultStore(dir), findingStore: new LocalFindingStore(dir) };
}

/**
 * Says once (a mark in the new folder) that an old in-repository state folder
 * is no longer read, where state lives now, and how to keep using the old one.
 * Only its presence is checked (lstat): nothing in it is opened.
 */
async function noticeLegacyState(realRepoDir: string, stateDir: string, notify: (line: string) => void): Promise<void> {
  const legacy = path.join(realRepoDir, LOCAL_STATE_DIR_NAME);
  if (!(await lstat(legacy).catch(() => null))) return;
  const mark = path.join(stateDir, LEGACY_NOTICE_MARK);
  if (await lstat(mark).catch(() => null)) return;
  notify(
    `note: ${legacy} is no longer read: state now lives in ${stateDir}, outside the repository, so a repository cannot plant it. ` +
      `Your earlier results and findings are still in ${legacy}; to keep using that folder, pass --state-dir ${legacy} ` +
      '(checked for links on every run), or move its contents to the new folder.',
  );
  await writeFile(mark, `${new Date().toISOString()}\n`, { flag: 'wx' }).catch(() => undefined);
}
