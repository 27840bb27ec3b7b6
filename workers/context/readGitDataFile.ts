import { constants } from 'node:fs';
import { open, utimes, writeFile, type FileHandle } from 'node:fs/promises';

/**
 * Opens a file of a target's `.git` only when it is a regular file: O_NOFOLLOW
 * refuses a link, O_NONBLOCK keeps a FIFO from blocking the open, and fstat
 * refuses the FIFO, socket or device that was opened. Null for anything else,
 * a missing file, or one over `maxBytes`.
 */
async function openRegular(file: string, maxBytes: number): Promise<{ handle: FileHandle; size: number; mtimeMs: number } | null> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    const stats = await handle.stat();
    if (!stats.isFile() || stats.size > maxBytes) {
      await handle.close();
      return null;
    }
    return { handle, size: stats.size, mtimeMs: stats.mtimeMs };
  } catch {
    await handle?.close().catch(() => undefined);
    return null;
  }
}

/**
 * Reads a file of a target's `.git` (HEAD, a ref, packed-refs) as data: its
 * bytes when it is a regular file of at most `maxBytes`, else null. Never
 * follows a link and never blocks on a FIFO.
 *
 * @example await readGitDataFile('/work/repo/.git/HEAD', 4096) // Buffer 'ref: refs/heads/main\n'
 */
export async function readGitDataFile(file: string, maxBytes: number): Promise<Buffer | null> {
  return (await readWithTime(file, maxBytes))?.data ?? null;
}

async function readWithTime(file: string, maxBytes: number): Promise<{ data: Buffer; mtimeMs: number } | null> {
  const opened = await openRegular(file, maxBytes);
  if (!opened) return null;
  try {
    const buffer = Buffer.alloc(opened.size);
    let offset = 0;
    while (offset < buffer.length) {
      const { bytesRead } = await opened.handle.read(buffer, offset, buffer.length - offset, offset);
      if (bytesRead === 0) break;
      offset += bytesRead;
    }
    return { data: buffer.subarray(0, offset), mtimeMs: opened.mtimeMs };
  } catch {
    return null;
  } finally {
    await opened.handle.close();
  }
}

/**
 * Copies a file of a target's `.git` (index, shallow, info/exclude) to
 * `destination` under the same rules as `readGitDataFile`; false when it was
 * not copied. The copy keeps the source's modification time, one second
 * earlier: git trusts an index entry's file times only when they are older
 * than the index file itself ("racy git"), so a copy written now would hide
 * a file changed in the same clock tick as the index, and an older one only
 * makes git compare a few more contents.
 *
 * @example await copyGitDataFile('/work/repo/.git/index', '/tmp/hw-git-x/git/index', 256 * 1024 * 1024)
 */
export async function copyGitDataFile(file: string, destination: string, maxBytes: number): Promise<boolean> {
  const read = await readWithTime(file, maxBytes);
  if (read === null) return false;
  await writeFile(destination, read.data, { mode: 0o600 });
  const earlier = (read.mtimeMs - 1000) / 1000;
  await utimes(destination, earlier, earlier);
  return true;
}
