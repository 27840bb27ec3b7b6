/** Plain words for the errno codes a file operation of the CLI can meet. */
const REASONS: Readonly<Record<string, string>> = {
  EACCES: 'permission denied for this user',
  EPERM: 'operation not permitted for this user',
  ENOENT: 'it does not exist',
  EEXIST: 'something already exists there',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EISDIR: 'it is a folder',
  ENOSPC: 'no space left on the device',
  EROFS: 'the file system is read-only',
  ELOOP: 'too many symbolic links on the way',
  ENAMETOOLONG: 'the name is too long',
  EMFILE: 'too many open files',
};

/** Verbs for the system calls behind those errors. */
const ACTIONS: Readonly<Record<string, string>> = {
  mkdir: 'create the folder',
  open: 'open',
  read: 'read',
  write: 'write',
  rename: 'replace',
  scandir: 'list the folder',
  unlink: 'remove',
  rmdir: 'remove the folder',
  stat: 'look at',
  lstat: 'look at',
  access: 'use',
  copyfile: 'copy',
};

/**
 * A sentence for an error thrown by a file operation (`EACCES: permission denied,
 * mkdir '/x'`), naming the path and the reason in plain words; null when the error
 * is not one. The CLI prints this instead of the raw errno text.
 *
 * @example describeSystemError(Object.assign(new Error('…'), { code: 'ENOTDIR', syscall: 'mkdir', path: '/a/b' }));
 * // "cannot create the folder /a/b: a part of the path is a file, not a folder"
 */
export function describeSystemError(error: unknown): string | null {
  if (!(error instanceof Error)) return null;
  const { code, syscall, path } = error as NodeJS.ErrnoException;
  if (typeof code !== 'string' || !/^E[A-Z]+$/.test(code)) return null;
  const reason = REASONS[code] ?? `system error ${code}`;
  const action = (syscall && ACTIONS[syscall]) ?? 'use';
  return path ? `cannot ${action} ${path}: ${reason}` : `${syscall ? `${syscall} failed` : 'a system call failed'}: ${reason}`;
}
