import { chown, lstat, readdir } from 'node:fs/promises';
import path from 'node:path';

/**
 * The user hostile tests run the product as. Claude Code behaves differently as
 * root (it refuses bypass mode, for one), and the product runs as a plain user in
 * the container and on a developer's machine, so attacks are tried as one too.
 * When the tests already run as a non-root user, that user is used as is.
 */
export const UNPRIVILEGED = { uid: 65534, gid: 65534 } as const;

/** True when this process can start children as another user (it is root). */
export const canDropPrivileges = (): boolean => process.getuid?.() === 0;

/**
 * Spawn options that start a child as the unprivileged user when this process is
 * root, and as this process's own user otherwise.
 *
 * @example spawn('node', args, { ...asUnprivileged(), env });
 */
export function asUnprivileged(): { uid?: number; gid?: number } {
  return canDropPrivileges() ? { ...UNPRIVILEGED } : {};
}

/**
 * Hands a tree the test built (as root) to the unprivileged user, so the product
 * running as that user can read and write it as a real owner would. Symbolic links
 * are re-owned themselves, never followed.
 */
export async function giveToUnprivileged(root: string): Promise<void> {
  if (!canDropPrivileges()) return;
  const visit = async (entry: string): Promise<void> => {
    const stats = await lstat(entry);
    await chown(entry, UNPRIVILEGED.uid, UNPRIVILEGED.gid).catch(async () => {
      // chown follows links; lchown does not, and a dangling link cannot be chowned through.
      const { lchown } = await import('node:fs/promises');
      await lchown(entry, UNPRIVILEGED.uid, UNPRIVILEGED.gid);
    });
    if (stats.isDirectory()) for (const name of await readdir(entry)) await visit(path.join(entry, name));
  };
  await visit(root);
}
