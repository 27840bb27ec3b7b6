import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '../../workers/errors.js';
import { nearestExistingFolder } from './nearestExistingFolder.js';

/**
 * Checks `--state-dir DIR` before a command opens it: an existing path must be a
 * folder; a missing one must be creatable (the nearest existing folder on its way
 * is a folder this user may create in). Reading commands can use an existing
 * read-only folder, so write access to it is not asked for here. Throws an
 * InputError naming the flag and the fix, never a raw errno.
 *
 * @example await assertStateFolder('--state-dir', '.hw-state');
 */
export async function assertStateFolder(flag: string, dir: string): Promise<void> {
  const target = path.resolve(dir);
  const existing = await stat(target).catch(() => null);
  if (existing) {
    if (!existing.isDirectory()) throw new InputError(`${flag} ${dir} is a file, not a folder; give a folder (it is created when missing)`);
    return;
  }
  const folder = await nearestExistingFolder(flag, dir, target);
  const creatable = await access(folder, constants.W_OK | constants.X_OK).then(
    () => true,
    () => false,
  );
  if (!creatable) throw new InputError(`${flag} ${dir} cannot be created: this user may not create folders in ${folder}; give a folder you can write`);
}
