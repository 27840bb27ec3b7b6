import { gzipSync } from 'node:zlib';

/** One entry of a hand-built archive: any name, any type, so tests can build hostile archives tar would refuse. */
export interface TarEntry {
  readonly name: string;
  /** '0' file (default), '5' folder, '1' hard link, '2' symlink, '3' char device, '4' block device, '6' FIFO. */
  readonly type?: string;
  readonly content?: string | Buffer;
  readonly linkname?: string;
  readonly mode?: number;
}

function header(name: string, size: number, type: string, linkname: string, mode: number): Buffer {
  const block = Buffer.alloc(512);
  const write = (text: string, offset: number, length: number) => block.write(text, offset, Math.min(length, Buffer.byteLength(text)), 'utf8');
  const octal = (value: number, length: number) => value.toString(8).padStart(length - 1, '0');
  write(name, 0, 100);
  write(octal(mode, 8), 100, 8);
  write(octal(0, 8), 108, 8);
  write(octal(0, 8), 116, 8);
  write(octal(size, 12), 124, 12);
  write(octal(0, 12), 136, 12);
  block.fill(' ', 148, 156);
  write(type, 156, 1);
  write(linkname, 157, 100);
  write('ustar', 257, 6);
  write('00', 263, 2);
  let sum = 0;
  for (const byte of block) sum += byte;
  write(`${octal(sum, 7)}\0`, 148, 8);
  return block;
}

/**
 * Builds a tar.gz from entries, with GNU long-name records for names over
 * 100 bytes.
 *
 * @example
 * buildTarball([{ name: '../escape.txt', content: 'x' }]);
 */
export function buildTarball(entries: readonly TarEntry[]): Buffer {
  const parts: Buffer[] = [];
  const pad = (length: number) => Buffer.alloc((512 - (length % 512)) % 512);
  for (const entry of entries) {
    const type = entry.type ?? '0';
    const data = Buffer.from(entry.content ?? '');
    let name = entry.name;
    if (Buffer.byteLength(name) > 100) {
      const long = Buffer.from(`${name}\0`);
      parts.push(header('././@LongLink', long.length, 'L', '', 0o644), long, pad(long.length));
      name = name.slice(0, 99);
    }
    parts.push(header(name, data.length, type, entry.linkname ?? '', entry.mode ?? (type === '5' ? 0o755 : 0o644)), data, pad(data.length));
  }
  parts.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(parts));
}

/** A pax extended-header record (`<length> <key>=<value>\n`). */
export function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let length = body.length + 1;
  while (String(length).length + body.length !== length) length = String(length).length + body.length;
  return `${length}${body}`;
}
