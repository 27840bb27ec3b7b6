import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildContext } from '../../workers/context/index.js';
import { createTempDirs } from '../helpers/contextFixtures.js';

const temp = createTempDirs();
afterEach(temp.cleanup);

const SMALL_FILES = 3000;
const BIG_FILE_BYTES = 5 * 1024 * 1024;

describe('buildContext on a wide tree', () => {
  it('reads only what fits: big files are too-large and the files past the budget stay unopened', async () => {
    // prepare: 3,000 small source files; all but the first 30 start with NUL bytes, so
    // opening one would exclude it as 'binary' rather than 'budget'. The big
    // files are all NUL too: reading them would say 'binary', not 'too-large'.
    const dir = await temp.make();
    for (let group = 0; group < 30; group++) await mkdir(path.join(dir, 'src', `g${String(group).padStart(2, '0')}`), { recursive: true });
    await mkdir(path.join(dir, 'src', 'a'));
    for (let start = 0; start < SMALL_FILES; start += 200) {
      await Promise.all(
        Array.from({ length: Math.min(200, SMALL_FILES - start) }, (_, offset) => {
          const i = start + offset;
          // The first 30 sort first (src/a/) and are plain text.
          const folder = i < 30 ? 'a' : `g${String(i % 30).padStart(2, '0')}`;
          const file = path.join(dir, 'src', folder, `file${String(i).padStart(4, '0')}.ts`);
          const content = i < 30 ? `export const value${i} = ${i};\n` : Buffer.concat([Buffer.alloc(8), Buffer.from(`export const value${i} = ${i};\n`)]);
          return writeFile(file, content);
        }),
      );
    }
    await mkdir(path.join(dir, 'data'));
    for (const name of ['a-huge.ts', 'b-huge.ts', 'c-huge.ts']) await writeFile(path.join(dir, 'src', name), Buffer.alloc(BIG_FILE_BYTES));
    await writeFile(path.join(dir, 'data', 'dump.sql'), Buffer.alloc(BIG_FILE_BYTES));
    // Each small entry is about 60 characters: the budget holds roughly a dozen.
    const budgetChars = 800;
    // act
    const context = await buildContext({ repoDir: dir, patterns: ['**/*'], budgetChars });
    // assess
    expect(context.text.length).toBeLessThanOrEqual(budgetChars);
    expect(context.candidateCount).toBe(SMALL_FILES + 4);
    expect(context.files.length).toBeGreaterThan(5);
    expect(context.files.length).toBeLessThan(30);
    const reasons = new Map(context.excluded.map((entry) => [entry.path, entry.reason]));
    for (const big of ['src/a-huge.ts', 'src/b-huge.ts', 'src/c-huge.ts', 'data/dump.sql']) expect(reasons.get(big)).toBe('too-large');
    expect([...reasons.values()].filter((reason) => reason === 'binary')).toEqual([]);
    expect(context.excluded.length + context.excludedOmitted).toBe(SMALL_FILES + 4 - context.files.length);
    expect(context.fileList).toHaveLength(2000);
  });
});
