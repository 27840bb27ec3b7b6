import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { looksBinary } from './fileClassification.js';

export type TextRead =
  | { readonly kind: 'text'; readonly text: string; readonly truncated: boolean }
  | { readonly kind: 'binary' }
  | { readonly kind: 'unreadable'; readonly reason: string };

/**
 * Reads at most `maxBytes` of a file as UTF-8, refusing binaries. Opening with
 * O_NOFOLLOW keeps a link swapped in after listing from being followed, and
 * O_NONBLOCK keeps a FIFO from blocking the open (a FIFO with no writer would
 * block it forever); anything but a regular file is then refused, after fstat,
 * before a byte is read.
 */
export async function readTextHead(absolutePath: string, maxBytes: number): Promise<TextRead> {
  let handle;
  try {
    handle = await open(absolutePath, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    const stats = await handle.stat();
    if (!stats.isFile()) return { kind: 'unreadable', reason: 'not a regular file' };
    const length = Math.min(stats.size, maxBytes);
    const buffer = Buffer.alloc(length);
    let offset = 0;
    while (offset < length) {
      const { bytesRead } = await handle.read(buffer, offset, length - offset, offset);
      if (bytesRead === 0) break;
      offset += bytesRead;
    }
    return decodeHead(buffer.subarray(0, offset), stats.size);
  } catch (error) {
    return { kind: 'unreadable', reason: (error as NodeJS.ErrnoException).code ?? String(error) };
  } finally {
    await handle?.close();
  }
}

/**
 * `readTextHead` without the thread-pool round trips (open, stat, read,
 * close), for a caller reading a few dozen bounded heads in a row: from the
 * page cache each call is a few microseconds. O_NONBLOCK keeps a FIFO swapped
 * in after listing from blocking the open; it is then refused as not a file.
 */
export function readTextHeadSync(absolutePath: string, maxBytes: number): TextRead {
  let fd: number | undefined;
  try {
    fd = openSync(absolutePath, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    const stats = fstatSync(fd);
    if (!stats.isFile()) return { kind: 'unreadable', reason: 'not a regular file' };
    const length = Math.min(stats.size, maxBytes);
    const buffer = Buffer.alloc(length);
    let offset = 0;
    while (offset < length) {
      const bytesRead = readSync(fd, buffer, offset, length - offset, offset);
      if (bytesRead === 0) break;
      offset += bytesRead;
    }
    return decodeHead(buffer.subarray(0, offset), stats.size);
  } catch (error) {
    return { kind: 'unreadable', reason: (error as NodeJS.ErrnoException).code ?? String(error) };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function decodeHead(bytes: Buffer, size: number): TextRead {
  if (looksBinary(bytes)) return { kind: 'binary' };
  return { kind: 'text', text: bytes.toString('utf8'), truncated: size > bytes.length };
}
