import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '../../workers/errors.js';
import { nearestExistingFolder } from './nearestExistingFolder.js';

/**
 * Checks, before anything runs, that an output file (such as `--sarif FILE`) can be
 * written: it is not a directory, and the nearest folder on its path that exists is a
 * folder this user may create files in (missing folders below it are created on
 * write). A run is stored before its outputs are written, so a bad path found only
 * then would report an error for a run that was kept. Throws an InputError naming
 * the flag and the fix, never a raw errno.
 *
 * @example await assertOutputFile('--sarif', 'reports/audit.sarif');
 */
export async function assertOutputFile(flag: string, file: string): Promise<void> {
  const target = path.resolve(file);
  const existing = await stat(target).catch(() => null);
  if (existing?.isDirectory()) throw new InputError(`${flag} ${file} is a directory; give a file path, e.g. ${flag} ${path.join(file, 'results.sarif')}`);
  if (existing && !existing.isFile()) throw new InputError(`${flag} ${file} exists and is not a regular file; give another path`);
  const folder = await nearestExistingFolder(flag, file, target);
  const writable = await access(folder, constants.W_OK | constants.X_OK).then(
    () => true,
    () => false,
  );
  if (!writable) throw new InputError(`${flag} ${file} cannot be written: this user may not create files in ${folder}; give a path in a folder you can write`);
  if (existing) {
    const replaceable = await access(target, constants.W_OK).then(() => true, () => false);
    if (!replaceable) throw new InputError(`${flag} ${file} cannot be written: the file is read-only for this user; give another path or make it writable`);
  }
}
