import { afterEach, describe, expect, it } from 'vitest';
import { runMap } from '../../../workers/local/map/index.js';
import { createTempDirs, writeTree } from '../../helpers/contextFixtures.js';
import { mapFixtureTree } from '../../helpers/sourceTreeFixtures.js';

const temp = createTempDirs();
afterEach(() => temp.cleanup());

describe('runMap', () => {
  it('counts each language as cloc does (counts worked out by hand)', async () => {
    // Prepare
    const repo = await temp.make('hw-map-');
    await writeTree(repo, mapFixtureTree());

    // Act
    const map = await runMap(repo);

    // Assess
    expect(map.languages).toEqual([
      // app.ts: 1 blank, 4 comment, 5 code; helper.ts: the "/*" … "*/" strings hide a line and join two (2 comment, 4 code).
      { language: 'TypeScript', files: 2, blank: 1, comment: 6, code: 9 },
      { language: 'HTML', files: 1, blank: 0, comment: 1, code: 6 },
      { language: 'Go', files: 1, blank: 2, comment: 1, code: 5 },
      // The #! line is code; both docstrings and the # line are comments; the blank line inside the docstring is blank.
      { language: 'Python', files: 1, blank: 2, comment: 5, code: 5 },
      { language: 'JSON', files: 1, blank: 0, comment: 0, code: 4 },
      { language: 'make', files: 1, blank: 1, comment: 1, code: 4 },
      { language: 'Bourne Shell', files: 1, blank: 1, comment: 1, code: 3 },
      { language: 'CSS', files: 1, blank: 0, comment: 1, code: 3 },
      { language: 'Dockerfile', files: 1, blank: 0, comment: 2, code: 3 },
      // JavaScript's #! line is code (# is no comment marker there).
      { language: 'JavaScript', files: 1, blank: 1, comment: 1, code: 3 },
      { language: 'Markdown', files: 1, blank: 1, comment: 1, code: 3 },
      { language: 'Text', files: 1, blank: 0, comment: 0, code: 3 },
      { language: 'YAML', files: 1, blank: 1, comment: 1, code: 3 },
      { language: 'SQL', files: 1, blank: 0, comment: 3, code: 2 },
    ]);
  });

  it('counts files of no language (.gitignore) and empty files as files, and skips ignored and binary ones', async () => {
    // Prepare
    const repo = await temp.make('hw-map-');
    await writeTree(repo, mapFixtureTree());

    // Act
    const map = await runMap(repo);

    // Assess
    expect(map.files).toBe(17);
    expect(map.totalLines).toBe(91);
    expect(map.skipped).toEqual({ binary: 2, gitignored: 1 });
  });

  it('summarises code per directory and lists the longest files', async () => {
    // Prepare
    const repo = await temp.make('hw-map-');
    const tree = mapFixtureTree();
    await writeTree(repo, tree);
    const bytes = (file: string) => Buffer.byteLength(tree[file] as string);

    // Act
    const map = await runMap(repo, { largestFiles: 3 });

    // Assess
    expect(map.directories).toEqual([
      { path: '.', files: 5, code: 13 },
      { path: 'cmd', files: 1, code: 5 },
      { path: 'config', files: 2, code: 7 },
      { path: 'db', files: 1, code: 2 },
      { path: 'scripts', files: 2, code: 6 },
      { path: 'src', files: 3, code: 9 },
      { path: 'src/lib', files: 1, code: 4 },
      { path: 'tools', files: 1, code: 5 },
      { path: 'web', files: 2, code: 9 },
    ]);
    expect(map.largestFiles).toEqual([
      { path: 'tools/report.py', lines: 12, bytes: bytes('tools/report.py'), language: 'Python' },
      { path: 'src/app.ts', lines: 10, bytes: bytes('src/app.ts'), language: 'TypeScript' },
      { path: 'cmd/main.go', lines: 8, bytes: bytes('cmd/main.go'), language: 'Go' },
    ]);
  });

  it('skips lock, generated and oversized files by reason (vendored directories are never walked)', async () => {
    // Prepare
    const repo = await temp.make('hw-map-');
    await writeTree(repo, {
      'src/index.ts': 'export const a = 1;\n',
      'package-lock.json': '{}\n',
      'dist/index.js': 'exports.a = 1;\n',
      'src/big.ts': `${'x'.repeat(200)}\n`,
      'node_modules/dep/index.js': 'module.exports = 1;\n',
    });

    // Act
    const map = await runMap(repo, { maxFileBytes: 100 });

    // Assess
    expect(map.files).toBe(1);
    expect(map.skipped).toEqual({ generated: 1, lockfile: 1, 'too-large': 1 });
    expect(map.languages).toEqual([{ language: 'TypeScript', files: 1, blank: 0, comment: 0, code: 1 }]);
  });

  it('counts each file on its own when a file larger than the read buffer comes before smaller ones', async () => {
    // Prepare: the reader reuses one buffer (1 MiB to start); a.ts makes it grow, b.ts and c.ts must not see its bytes.
    const repo = await temp.make('hw-map-');
    await writeTree(repo, {
      'a.ts': `/* big\n${'const x = 1;\n'.repeat(200_000)}*/\nconst y = 2;\n`,
      'b.ts': 'const z = 3;',
      'c.ts': '// only a comment\n',
    });

    // Act
    const map = await runMap(repo);

    // Assess
    expect(map.languages).toEqual([{ language: 'TypeScript', files: 3, blank: 0, comment: 200_003, code: 2 }]);
    expect(map.largestFiles.map((file) => [file.path, file.lines])).toEqual([
      ['a.ts', 200_003],
      ['c.ts', 1],
      ['b.ts', 1],
    ]);
  });
});
