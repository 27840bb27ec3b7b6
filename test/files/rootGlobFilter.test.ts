import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import fg from 'fast-glob';
import { afterEach, describe, expect, it } from 'vitest';
import { listRepositoryFiles } from '../../workers/files/listRepositoryFiles.js';
import { rootGlobFilter } from '../../workers/files/rootGlobFilter.js';
import { createTempDirs, writeTree } from '../helpers/contextFixtures.js';

const temp = createTempDirs();
afterEach(() => temp.cleanup());

// `.git` and the package-manager install folders (DEPENDENCY_DIRS); `vendor/` and the like are walked.
const NEVER_WALKED = ['.git', 'node_modules', 'bower_components', '.venv', 'venv', 'site-packages'];
const IGNORE = NEVER_WALKED.map((dir) => `**/${dir}/**`);

/** Pattern sets fast-glob answers by walking from the root: the listing must match them itself, exactly as fast-glob. */
const ROOT_PATTERN_SETS: readonly (readonly string[])[] = [
  ['**/*.{ts,tsx,js,jsx,mjs,cjs,py,go,rs,java,kt,rb,php,cs,swift,scala,c,h,cpp,hpp,sh}', '**/*.{json,yaml,yml,toml,ini,cfg,conf,properties,xml,tf}', '**/Dockerfile', '**/.env*'],
  ['**/*'],
  ['**'],
  ['**/*.md', 'src/**'],
  ['*.json'],
  ['**/lib/*.js'],
  ['**/[a-c]*.ts'],
  ['**/*.+(ts|js)'],
  ['**/{src,docs}/**/*.ts'],
  ['**/.*'],
  ['**/file{1..3}.txt'],
  ['**/?nv*'],
];

/** Links, dot files, skipped names as files and directories, odd names, files named like patterns. */
async function patternTree(): Promise<string> {
  const repo = await temp.make('hw-glob-');
  await writeTree(repo, {
    'src/app.ts': 'export {};\n',
    'src/b.js': 'module.exports = 1;\n',
    'src/.hidden/deep/x.ts': 'export {};\n',
    'src/node_modules/dep/index.js': 'module.exports = 1;\n',
    'node_modules': 'a file named like a skipped directory\n',
    'lib/a.js': '1;\n',
    'pkg/lib/c.js': '1;\n',
    'docs/guide.md': '# guide\n',
    'docs/x.ts': 'export {};\n',
    'README.md': '# readme\n',
    'package.json': '{}\n',
    '.env.production': 'KEY=value\n',
    'deploy/Dockerfile': 'FROM node\n',
    'file1.txt': '1\n',
    'file4.txt': '4\n',
    'sub/.git': 'gitdir: ../.git/modules/sub\n',
    'sub/vendor/lib.go': 'package lib\n',
    '.git/config': '[core]\n',
    'a.ts/inside.ts': 'export {};\n',
    'sub/link-to-dir': { symlinkTo: '../src' },
    'sub/link.ts': { symlinkTo: '../src/app.ts' },
  });
  await mkdir(path.join(repo, 'empty'));
  await writeFile(path.join(repo, 'src', 'new\nline.ts'), 'export {};\n');
  await writeFile(Buffer.from([...Buffer.from(`${repo}/src/`), 0xff, 0xfe, '.'.charCodeAt(0), 't'.charCodeAt(0), 's'.charCodeAt(0)]) as unknown as string, 'export {};\n');
  return repo;
}

describe('rootGlobFilter', () => {
  it('keeps, from the plain walk, exactly the files fast-glob finds for patterns based at the root', async () => {
    // Prepare
    const repo = await patternTree();

    for (const patterns of ROOT_PATTERN_SETS) {
      // Act
      const listing = await listRepositoryFiles(repo, { patterns });
      const globbed = await fg([...patterns], { cwd: repo, dot: true, onlyFiles: false, followSymbolicLinks: false, objectMode: true, stats: false, ignore: IGNORE, suppressErrors: true });

      // Assess
      expect(rootGlobFilter(patterns), patterns.join(' ')).not.toBeNull();
      // Install folders left unwalked are counted too (`vendored`): fast-glob's ignore has no such entry.
      const listed = [...listing.files.map((file) => file.path), ...listing.skipped.filter((file) => file.reason !== 'vendored').map((file) => file.path)].sort();
      const expected = globbed.filter((entry) => !entry.dirent.isDirectory()).map((entry) => entry.path).sort();
      expect(listed, patterns.join(' ')).toEqual(expected);
    }
  });

  it('leaves to fast-glob the patterns it would not answer by a walk from the root', () => {
    for (const patterns of [['src/**/*.ts'], ['package.json'], ['**/*.ts', '!src/**'], ['../**/*.ts'], ['/etc/**'], ['./src/**']]) {
      expect(rootGlobFilter(patterns), patterns.join(' ')).toBeNull();
    }
  });
});
