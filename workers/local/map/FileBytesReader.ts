import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { looksBinary } from '../../files/index.js';

export type FileBytes =
  | { readonly kind: 'bytes'; readonly bytes: Buffer; readonly truncated: boolean }
  | { readonly kind: 'binary' }
  | { readonly kind: 'unreadable'; readonly reason: string };

/** Bytes below tab or between CR and space: a head with none of them is text without counting (see looksBinary). */
const CONTROL_BYTE = /[\x00-\x06\x0e-\x1f]/;
const BINARY_CHECK_BYTES = 8000;

/**
 * Reads files whole, refusing binaries, without decoding them, into one
 * buffer it reuses: the bytes a read returns are valid until the next read.
 * Synchronous on purpose: the map reads a thousand small files in a row, and
 * the promise API pays a thread-pool round trip for each of open, stat, read
 * and close, which costs more than the reading; a fresh buffer per file costs
 * more than the copy. O_NOFOLLOW keeps a link swapped in after listing from
 * being followed; O_NONBLOCK keeps a FIFO swapped in from blocking the open
 * (it is then refused as not a file).
 *
 * @example const read = new FileBytesReader().read('/repo/src/index.ts', 8 * 1024 * 1024 + 1); read.kind
 */
export class FileBytesReader {
  private buffer = Buffer.allocUnsafe(1 << 20);

  /** Reads at most `maxBytes`; `truncated` says the file holds more. */
  read(absolutePath: string, maxBytes: number): FileBytes {
    let fd = -1;
    try {
      fd = openSync(absolutePath, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
      const stats = fstatSync(fd);
      if (!stats.isFile()) return { kind: 'unreadable', reason: 'not a regular file' };
      const length = Math.min(stats.size, maxBytes);
      if (length > this.buffer.length) this.buffer = Buffer.allocUnsafe(length);
      let offset = 0;
      while (offset < length) {
        const bytesRead = readSync(fd, this.buffer, offset, length - offset, offset);
        if (bytesRead === 0) break;
        offset += bytesRead;
      }
      const bytes = this.buffer.subarray(0, offset);
      if (looksBinaryQuickly(bytes)) return { kind: 'binary' };
      return { kind: 'bytes', bytes, truncated: stats.size > offset };
    } catch (error) {
      return { kind: 'unreadable', reason: (error as NodeJS.ErrnoException).code ?? String(error) };
    } finally {
      if (fd !== -1) closeSync(fd);
    }
  }
}

/** looksBinary, answered by one native regex search when the head holds no control byte (the usual case). */
function looksBinaryQuickly(bytes: Buffer): boolean {
  return CONTROL_BYTE.test(bytes.toString('latin1', 0, BINARY_CHECK_BYTES)) && looksBinary(bytes);
}
