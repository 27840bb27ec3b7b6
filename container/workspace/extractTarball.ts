import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { WorkspaceError } from './errors.js';

/** Limits of one snapshot. */
export interface TarballLimits {
  /** Most bytes of file content the archive may unpack to. */
  readonly maxBytes: number;
  /** Most entries (files and folders). */
  readonly maxEntries: number;
}

export const DEFAULT_TARBALL_LIMITS: TarballLimits = { maxBytes: 512 * 1024 * 1024, maxEntries: 200_000 };

const BLOCK = 512;

/** Entry types accepted: regular files and folders. Links, devices and FIFOs are refused. */
const TYPE_NAMES: Record<string, string> = {
  '1': 'hard link',
  '2': 'symbolic link',
  '3': 'character device',
  '4': 'block device',
  '6': 'FIFO',
};

/**
 * Unpacks a gzip-compressed tar stream into `destination`, refusing anything
 * that could reach outside it or is not plain data: absolute paths, `..`
 * segments, links, device files, FIFOs, and archives over the size or entry
 * limits. Understands ustar, GNU long names and pax path headers. Nothing is
 * followed: with links refused, every path written is checked to resolve
 * inside `destination`.
 *
 * @example
 * await extractTarball(s3Object.Body as Readable, '/scratch/runs/<runId>/snapshot', DEFAULT_TARBALL_LIMITS);
 */
export async function extractTarball(source: AsyncIterable<Uint8Array>, destination: string, limits: TarballLimits = DEFAULT_TARBALL_LIMITS): Promise<{ files: number; bytes: number }> {
  const root = path.resolve(destination);
  await mkdir(root, { recursive: true });
  const input = Readable.from(source, { objectMode: false });
  const gunzip = createGunzip();
  input.on('error', (error) => gunzip.destroy(error));
  input.pipe(gunzip);

  let buffer: Buffer = Buffer.alloc(0);
  let state: { kind: 'header' } | { kind: 'data'; entry: PendingEntry; remaining: number; padding: number; parts: Buffer[] } = { kind: 'header' };
  let longName: string | undefined;
  let paxPath: string | undefined;
  let entries = 0;
  let files = 0;
  let bytes = 0;
  let ended = false;

  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
      for (;;) {
        if (ended) break;
        if (state.kind === 'header') {
          if (buffer.length < BLOCK) break;
          const header = buffer.subarray(0, BLOCK);
          buffer = buffer.subarray(BLOCK);
          if (header.every((byte) => byte === 0)) {
            ended = true;
            break;
          }
          verifyChecksum(header);
          const entry = readHeader(header);
          if (entry.size > limits.maxBytes) throw new WorkspaceError(`snapshot entry "${entry.name}" is ${entry.size} bytes, over the ${limits.maxBytes}-byte limit`);
          state = { kind: 'data', entry, remaining: entry.size, padding: (BLOCK - (entry.size % BLOCK)) % BLOCK, parts: [] };
          continue;
        }
        const take = Math.min(state.remaining, buffer.length);
        if (take > 0) {
          state.parts.push(buffer.subarray(0, take));
          buffer = buffer.subarray(take);
          state.remaining -= take;
        }
        if (state.remaining > 0) break;
        if (buffer.length < state.padding) break;
        buffer = buffer.subarray(state.padding);
        const { entry } = state;
        const data = Buffer.concat(state.parts);
        state = { kind: 'header' };
        if (entry.type === 'L') {
          longName = cString(data);
          continue;
        }
        if (entry.type === 'x') {
          paxPath = paxPathOf(data) ?? paxPath;
          continue;
        }
        if (entry.type === 'g' || entry.type === 'K') continue;
        const name = paxPath ?? longName ?? entry.name;
        longName = undefined;
        paxPath = undefined;
        entries++;
        if (entries > limits.maxEntries) throw new WorkspaceError(`snapshot has more than ${limits.maxEntries} entries`);
        const target = safePath(root, name);
        if (entry.type === '5') {
          if (target) await mkdir(target, { recursive: true });
          continue;
        }
        if (entry.type !== '0' && entry.type !== '\0' && entry.type !== '7') {
          const what = TYPE_NAMES[entry.type] ?? `entry of type "${entry.type}"`;
          throw new WorkspaceError(`snapshot refused: "${name}" is a ${what}; snapshots may hold regular files and folders only`);
        }
        if (!target) continue;
        bytes += data.length;
        if (bytes > limits.maxBytes) throw new WorkspaceError(`snapshot unpacks to more than ${limits.maxBytes} bytes`);
        await mkdir(path.dirname(target), { recursive: true });
        await writeFile(target, data, { mode: entry.mode & 0o111 ? 0o755 : 0o644, flag: 'wx' }).catch(async (error: NodeJS.ErrnoException) => {
          // A later entry with the same name replaces an earlier one, as tar does.
          if (error.code !== 'EEXIST') throw error;
          await writeFile(target, data, { mode: entry.mode & 0o111 ? 0o755 : 0o644 });
        });
        files++;
      }
      if (ended) break;
    }
  } catch (error) {
    gunzip.destroy();
    if (error instanceof WorkspaceError) throw error;
    throw new WorkspaceError(`snapshot is not a readable tar.gz archive: ${(error as Error).message}`, { cause: error });
  } finally {
    input.destroy();
  }
  if (!ended && state.kind === 'data') throw new WorkspaceError('snapshot archive is truncated');
  return { files, bytes };
}

interface PendingEntry {
  readonly name: string;
  readonly type: string;
  readonly size: number;
  readonly mode: number;
}

function readHeader(header: Buffer): PendingEntry {
  const name = cString(header.subarray(0, 100));
  const prefix = header.subarray(257, 263).toString('latin1').startsWith('ustar') ? cString(header.subarray(345, 500)) : '';
  return {
    name: prefix ? `${prefix}/${name}` : name,
    type: String.fromCharCode(header[156] ?? 0),
    size: readNumber(header.subarray(124, 136)),
    mode: readNumber(header.subarray(100, 108)),
  };
}

function readNumber(field: Buffer): number {
  if ((field[0] ?? 0) & 0x80) {
    // GNU base-256 for sizes over 8 GiB: larger than any limit we accept anyway.
    let value = 0;
    for (const [i, byte] of field.entries()) value = value * 256 + (i === 0 ? byte & 0x7f : byte);
    return value;
  }
  const text = cString(field).trim();
  return text ? Number.parseInt(text, 8) : 0;
}

function verifyChecksum(header: Buffer): void {
  const stored = readNumber(header.subarray(148, 156));
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : header[i]!;
  if (sum !== stored) throw new WorkspaceError('snapshot is not a tar archive (header checksum mismatch)');
}

function cString(bytes: Buffer): string {
  const end = bytes.indexOf(0);
  return bytes.subarray(0, end === -1 ? bytes.length : end).toString('utf8');
}

/** The `path` record of a pax extended header (`<len> path=<value>\n`). */
function paxPathOf(data: Buffer): string | undefined {
  let offset = 0;
  let found: string | undefined;
  while (offset < data.length) {
    const space = data.indexOf(0x20, offset);
    if (space === -1) break;
    const length = Number.parseInt(data.subarray(offset, space).toString('latin1'), 10);
    if (!Number.isFinite(length) || length <= 0) break;
    const record = data.subarray(space + 1, offset + length - 1).toString('utf8');
    const equals = record.indexOf('=');
    if (record.slice(0, equals) === 'path') found = record.slice(equals + 1);
    offset += length;
  }
  return found;
}

/**
 * Where an entry goes, or null for the archive's root itself (`./`). Throws
 * for absolute paths, `..` segments and NUL bytes.
 */
function safePath(root: string, name: string): string | null {
  if (name.includes('\0')) throw new WorkspaceError('snapshot refused: an entry name contains a NUL byte');
  if (name.startsWith('/') || /^[A-Za-z]:[\\/]/.test(name)) throw new WorkspaceError(`snapshot refused: "${name}" is an absolute path`);
  const segments = name.split(/[\\/]+/).filter((s) => s !== '' && s !== '.');
  if (segments.includes('..')) throw new WorkspaceError(`snapshot refused: "${name}" climbs out of the workspace ("..")`);
  if (segments.length === 0) return null;
  const target = path.resolve(root, ...segments);
  if (!target.startsWith(`${root}${path.sep}`)) throw new WorkspaceError(`snapshot refused: "${name}" resolves outside the workspace`);
  return target;
}
