import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { WorkspaceError } from '../../../container/workspace/errors.js';
import { extractTarball } from '../../../container/workspace/extractTarball.js';
import { buildTarball, paxRecord, type TarEntry } from './tarball.js';

const LIMITS = { maxBytes: 1024 * 1024, maxEntries: 1000 };

function tempDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'hw-extract-'));
}

async function extract(archive: Buffer, limits = LIMITS) {
  const root = tempDir();
  const destination = path.join(root, 'out');
  const result = await extractTarball(Readable.from([archive]), destination, limits).then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  return { root, destination, result };
}

describe('extractTarball', () => {
  it('unpacks what `tar -czf` makes: files, folders, executable bits, long names', async () => {
    // prepare
    const source = tempDir();
    const long = `${'deep/'.repeat(30)}file.txt`;
    execFileSync('mkdir', ['-p', path.join(source, 'src', path.dirname(long))]);
    writeFileSync(path.join(source, 'src', 'a.ts'), 'export const a = 1;\n');
    writeFileSync(path.join(source, 'run.sh'), '#!/bin/sh\n', { mode: 0o755 });
    writeFileSync(path.join(source, 'src', long), 'long\n');
    const archive = path.join(tempDir(), 'a.tar.gz');
    execFileSync('tar', ['-czf', archive, '-C', source, '.']);

    // act
    const { destination, result } = await extract(readFileSync(archive));

    // assess
    expect(result).toEqual({ ok: true, value: { files: 3, bytes: 20 + 10 + 5 } });
    expect(readFileSync(path.join(destination, 'src', 'a.ts'), 'utf8')).toBe('export const a = 1;\n');
    expect((await lstat(path.join(destination, 'run.sh'))).mode & 0o111).not.toBe(0);
    expect(readFileSync(path.join(destination, 'src', long), 'utf8')).toBe('long\n');
  });

  it.each<[string, TarEntry[], RegExp]>([
    ['a ../ path', [{ name: '../escape.txt', content: 'x' }], /climbs out of the workspace/],
    ['a ../ path in the middle', [{ name: 'src/../../escape.txt', content: 'x' }], /climbs out/],
    ['an absolute path', [{ name: '/tmp/hw-absolute-escape.txt', content: 'x' }], /absolute path/],
    ['a symbolic link', [{ name: 'passwd', type: '2', linkname: '/etc/passwd' }], /"passwd" is a symbolic link/],
    ['a hard link', [{ name: 'shadow', type: '1', linkname: '/etc/shadow' }], /hard link/],
    ['a character device', [{ name: 'null', type: '3' }], /character device/],
    ['a block device', [{ name: 'sda', type: '4' }], /block device/],
    ['a FIFO', [{ name: 'pipe', type: '6' }], /FIFO/],
    ['a pax path that climbs out', [{ name: 'PaxHeader/x', type: 'x', content: paxRecord('path', '../pax-escape.txt') }, { name: 'innocent.txt', content: 'x' }], /"..\/pax-escape.txt" climbs out/],
    ['a long name that climbs out', [{ name: `${'a/'.repeat(60)}../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../escape`, content: 'x' }], /climbs out/],
  ])('refuses an archive with %s, writing nothing outside', async (_what, entries, message) => {
    // act
    const { root, result } = await extract(buildTarball([{ name: 'ok.txt', content: 'fine' }, ...entries]));

    // assess
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toBeInstanceOf(WorkspaceError);
    expect(!result.ok && (result.error as Error).message).toMatch(message);
    expect(await readdir(root)).toEqual(['out']);
    expect(existsSync('/tmp/hw-absolute-escape.txt')).toBe(false);
  });

  it('refuses archives over the size and entry limits', async () => {
    // act
    const big = await extract(buildTarball([{ name: 'big.bin', content: Buffer.alloc(2048) }]), { maxBytes: 1024, maxEntries: 10 });
    const total = await extract(buildTarball([{ name: 'a', content: Buffer.alloc(800) }, { name: 'b', content: Buffer.alloc(800) }]), { maxBytes: 1024, maxEntries: 10 });
    const many = await extract(buildTarball(Array.from({ length: 12 }, (_, i) => ({ name: `f${i}`, content: 'x' }))), { maxBytes: 1024, maxEntries: 10 });

    // assess
    expect(!big.result.ok && (big.result.error as Error).message).toMatch(/"big.bin" is 2048 bytes, over the 1024-byte limit/);
    expect(!total.result.ok && (total.result.error as Error).message).toMatch(/unpacks to more than 1024 bytes/);
    expect(!many.result.ok && (many.result.error as Error).message).toMatch(/more than 10 entries/);
  });

  it('refuses what is not a tar.gz with a clear error', async () => {
    // act
    const notGzip = await extract(Buffer.from('hello, not an archive'));
    const notTar = await extract((await import('node:zlib')).gzipSync(Buffer.alloc(600, 7)));

    // assess
    expect(!notGzip.result.ok && (notGzip.result.error as Error).message).toMatch(/not a readable tar.gz archive/);
    expect(!notTar.result.ok && (notTar.result.error as Error).message).toMatch(/not a tar archive|truncated/);
  });
});
