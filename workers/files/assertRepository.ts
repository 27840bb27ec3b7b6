import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { InputError } from '../errors.js';

/** Refuses a repository path that is missing, unreadable or not a directory, naming the fix. */
export async function assertRepository(repoDir: string): Promise<void> {
  const stats = await stat(repoDir).catch((error: NodeJS.ErrnoException) => {
    const why = error.code === 'ENOENT' ? 'does not exist' : error.code === 'EACCES' ? 'is not readable' : `cannot be read (${error.code})`;
    throw new InputError(`repository path ${repoDir} ${why}; pass --repo DIR with a directory you can read`);
  });
  if (!stats.isDirectory()) throw new InputError(`repository path ${repoDir} is not a directory; pass --repo DIR`);
  // stat needs only the parent's permissions: a folder this user cannot list would be walked as empty and reported clean.
  await access(repoDir, constants.R_OK | constants.X_OK).catch(() => {
    throw new InputError(`repository path ${repoDir} is not readable by this user (permission denied); give this user read access to it, or pass --repo DIR with a directory you can read`);
  });
}
