import { afterEach, describe, expect, it } from 'vitest';
import { renderMapAccounting } from '../../cli/format/renderMapAccounting.js';
import { runMap } from '../../workers/local/map/index.js';
import { createTempDirs, writeTree } from '../helpers/contextFixtures.js';

const temp = createTempDirs();
afterEach(() => temp.cleanup());

describe('the map accounting as the CLI prints it', () => {
  it('says how many files were seen, counted and not counted, with a row per reason', async () => {
    // Prepare
    const repo = await temp.make('hw-map-accounting-');
    await writeTree(repo, {
      '.gitignore': 'local.env\n',
      'local.env': 'A=1\n',
      'src/a.ts': 'export const a = 1;\n',
      'LICENSE': 'MIT\n',
      'COPYING': 'GPL\n',
      'logo.png': new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0]),
    });
    const map = await runMap(repo);

    // Act
    const text = renderMapAccounting(map.accounting, { width: Infinity, color: false, interactive: false });

    // Assess
    const lines = text.split('\n');
    expect(lines[0]).toBe('files: 6 seen, 1 counted, 5 not counted (paths in --json)');
    expect(lines[1]).toMatch(/^NOT COUNTED\s+REASON\s+DETAIL$/);
    expect(lines.slice(3).map((line) => line.trim().split(/\s{2,}/))).toEqual([
      ['1', 'binary', 'binary content'],
      ['1', 'gitignored', 'ignored by .gitignore and not tracked by git'],
      ['1', 'unknown', 'cloc never counts .gitignore files'],
      ['1', 'unknown', 'cloc never counts files named COPYING'],
      ['1', 'unknown', 'no extension, file name or #! line cloc knows'],
    ]);
  });
});
