import { stat } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '../../workers/errors.js';

/**
 * The closest folder on the way to `target` that exists (where the missing ones would
 * be created). Throws an InputError naming `flag` when what exists there is a file.
 *
 * @example await nearestExistingFolder('--sarif', '/tmp/reports/2026/audit.sarif'); // '/tmp'
 */
export async function nearestExistingFolder(flag: string, given: string, target: string): Promise<string> {
  let folder = path.dirname(path.resolve(target));
  for (;;) {
    const stats = await stat(folder).catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' || error.code === 'ENOTDIR' ? null : Promise.reject(error)));
    if (stats) {
      if (!stats.isDirectory()) throw new InputError(`${flag} ${given} is under ${folder}, which is a file, not a folder; give a path in a folder`);
      return folder;
    }
    const parent = path.dirname(folder);
    if (parent === folder) return folder;
    folder = parent;
  }
}
