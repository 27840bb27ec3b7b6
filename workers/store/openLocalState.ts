import { mkdir, writeFile } from 'node:fs/promises';
import { assertRepository } from '../files/assertRepository.js';
import { LocalFindingStore } from '../findings/LocalFindingStore.js';
import path from 'node:path';
import { LOCAL_STATE_DIR_NAME, LocalResultStore } from './LocalResultStore.js';

/**
 * Opens the embedded default's state folder (results, spend ledger, file
 * index): `<repo>/.headless-workers` unless another folder is chosen. A
 * `.gitignore` of `*` inside keeps it out of the user's commits.
 */
export async function openLocalState(
  repoDir: string,
  stateDir?: string,
): Promise<{ stateDir: string; store: LocalResultStore; findingStore: LocalFindingStore }> {
  // Checked first: creating the state folder would otherwise create a mistyped repository path.
  await assertRepository(repoDir);
  const dir = path.resolve(stateDir ?? path.join(repoDir, LOCAL_STATE_DIR_NAME));
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, '.gitignore'), '*\n', { flag: 'w' });
  return { stateDir: dir, store: new LocalResultStore(dir), findingStore: new LocalFindingStore(dir) };
}
