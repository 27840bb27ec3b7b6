import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readTextHead, readTextHeadSync } from '../../workers/files/readTextHead.js';
import { createTempDirs, writeTree } from '../helpers/contextFixtures.js';

const temp = createTempDirs();
afterEach(() => temp.cleanup());

describe('readTextHeadSync', () => {
  it('reads what readTextHead reads: text, truncated heads, binaries, links refused, missing files', async () => {
    // Prepare
    const dir = await temp.make('hw-head-');
    await writeTree(dir, {
      'small.ts': 'export const a = 1;\n',
      'long.txt': 'line\n'.repeat(1000),
      'utf8.md': 'héllo wörld ✓\n'.repeat(50),
      'blob.bin': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0x02]),
      'link.ts': { symlinkTo: 'small.ts' },
    });

    for (const [name, maxBytes] of [['small.ts', 1000], ['long.txt', 100], ['utf8.md', 31], ['blob.bin', 100], ['link.ts', 100], ['missing.ts', 100]] as const) {
      // Act
      const synchronous = readTextHeadSync(path.join(dir, name), maxBytes);
      const asynchronous = await readTextHead(path.join(dir, name), maxBytes);

      // Assess
      expect(synchronous, name).toEqual(asynchronous);
    }
    expect(readTextHeadSync(path.join(dir, 'long.txt'), 100)).toEqual({ kind: 'text', text: 'line\n'.repeat(20), truncated: true });
    expect(readTextHeadSync(path.join(dir, 'link.ts'), 100).kind).toBe('unreadable');
  });

  it('refuses a FIFO without waiting for a writer', async () => {
    // Prepare: a named pipe where a file was listed (a swap after listing); nobody ever writes to it.
    const dir = await temp.make('hw-head-');
    execFileSync('mkfifo', [path.join(dir, 'pipe.ts')]);

    // Act
    const read = readTextHeadSync(path.join(dir, 'pipe.ts'), 100);

    // Assess
    expect(read).toEqual({ kind: 'unreadable', reason: 'not a regular file' });
  });
});
