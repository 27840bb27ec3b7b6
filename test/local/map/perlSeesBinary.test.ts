import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { perlSeesBinary } from '../../../workers/local/map/perlSeesBinary.js';
import { createTempDirs } from '../../helpers/contextFixtures.js';

const temp = createTempDirs();
afterEach(() => temp.cleanup());

const latin1 = (text: string): Buffer => Buffer.from(text, 'latin1');

/** Heads on either side of Perl's rules: the 512-byte window, the one-third bar, UTF-8 cut at the window's end, odd control bytes. */
const CASES: Record<string, Buffer> = {
  empty: Buffer.alloc(0),
  ascii: latin1('const x = 1;\n'.repeat(100)),
  nul: latin1('abc\0def\n'),
  'latin1 a quarter accented': latin1('ab\xe9\n'.repeat(200)),
  'latin1 half accented': latin1('a\xe9\xe9\n'.repeat(200)),
  'accents after the 512-byte window': latin1(`${'a'.repeat(600)}${'\xe9'.repeat(400)}\n`),
  'accents straddling the window': latin1(`${'a'.repeat(400)}${'\xe9'.repeat(400)}\n`),
  utf8: Buffer.from('a\u00e9\u00e9\n'.repeat(200), 'utf8'),
  'utf8 cut by the window': Buffer.concat([latin1('x'.repeat(511)), Buffer.from('\u00e9', 'utf8'), latin1('\xe9'.repeat(300))]),
  'invalid utf8 then ascii': Buffer.concat([latin1('\xc3\x28'), latin1('a'.repeat(100))]),
  'escapes and backspaces': latin1('\x1b[0m hello\x08\n'.repeat(50)),
  'vertical tabs': latin1('ab\x0b\x0b\n'.repeat(100)),
  'form feeds': latin1('ab\x0c\x0c\n'.repeat(100)),
  'a third odd': latin1('ab\x01'.repeat(170)),
};

describe("perlSeesBinary (Perl's -B, which cloc uses)", () => {
  it('agrees with the real Perl on every case', async () => {
    // Prepare
    const dir = await temp.make('hw-perl-b-');
    const files = Object.entries(CASES).map(([name, bytes], index) => {
      const file = path.join(dir, `case${index}.txt`);
      writeFileSync(file, bytes);
      return { name, file, bytes };
    });

    // Act
    const perl = execFileSync('perl', ['-e', 'print join("", map { -B $_ ? "B" : "T" } @ARGV)', ...files.map((f) => f.file)], { encoding: 'utf8' });
    const ours = files.map((f) => (perlSeesBinary(f.bytes) ? 'B' : 'T')).join('');

    // Assess
    expect(Object.fromEntries(files.map((f, i) => [f.name, ours[i]]))).toEqual(Object.fromEntries(files.map((f, i) => [f.name, perl[i]])));
    expect(new Set(perl)).toEqual(new Set(['B', 'T']));
  });
});
